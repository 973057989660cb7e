// Output: files are written whole or not at all. Each goes to a temporary file beside its target
// and is renamed over it, so a failed or interrupted build never leaves a truncated deck and
// never removes the previous good one. A folder output (the slide images) is written whole in a
// temporary folder beside its place and swapped in.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** Temporary files being written now; removed if the process exits (Ctrl-C) before the rename. */
const inFlight = new Set<string>();
let cleanupInstalled = false;

function track(temp: string): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on('exit', () => {
      for (const path of inFlight) rmSync(path, { force: true, recursive: true });
    });
  }
  inFlight.add(temp);
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a parent of it is not a folder',
  EISDIR: 'it is a folder',
};

/** A file system error in words, with its code: "the disk is full (ENOSPC)". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return String((error as Error).message ?? error);
  return FS_ERRORS[code] ? `${FS_ERRORS[code]} (${code})` : code;
}

/** A file written beside its target, not yet in place: moved there by `commit`, or removed. */
export interface StagedFile {
  /** Where the file is until committed: a hidden name beside the target, with its extension. */
  path: string;
  /** Moves the file over its target. */
  commit(): Promise<void>;
  /** Removes the file (nothing happens if it was committed). */
  discard(): Promise<void>;
}

/**
 * Makes something (`make`) at a hidden temporary path beside `path`, removed if the process exits
 * first; `commit` puts it in place (`place`), `discard` removes it.
 */
async function stage(path: string, extension: string, make: (temp: string) => Promise<void>, place: (temp: string) => Promise<void>): Promise<StagedFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp${extension}`);
  track(temp);
  const discard = async () => {
    await rm(temp, { force: true, recursive: true });
    inFlight.delete(temp);
  };
  try {
    await make(temp);
  } catch (error) {
    await discard();
    throw error;
  }
  const commit = async () => {
    if (!inFlight.has(temp)) return;
    try {
      await place(temp);
      inFlight.delete(temp);
    } catch (error) {
      await discard();
      throw error;
    }
  };
  return { path: temp, commit, discard };
}

/**
 * Writes a file beside `path` without replacing it yet; removed if the process exits first. With
 * `keepExtension` the temporary name ends in the target's extension (`….tmp.html`), so that a
 * browser opens a staged deck as HTML.
 */
export function stageFile(path: string, data: string | Uint8Array, keepExtension = false): Promise<StagedFile> {
  return stage(path, keepExtension ? extname(path) : '', (temp) => writeFile(temp, data), (temp) => rename(temp, path));
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await (await stageFile(path, data)).commit();
}

/** Writes a text file atomically unless it already holds this text (so its time stays as it was). */
export async function writeIfChanged(path: string, text: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => undefined)) !== text) await writeFileAtomic(path, text);
}

/**
 * Starts an empty folder beside `path` that will replace it as a whole: `commit` swaps it in,
 * `discard` removes it. `owned` says which names the folder's owner writes: a folder in the way
 * that holds anything else is someone's own and is never replaced.
 */
function stageFolder(path: string, owned: (name: string) => boolean): Promise<StagedFile> {
  const place = async (temp: string) => {
    const there = await stat(path).catch(() => undefined);
    if (there === undefined) return rename(temp, path);
    const foreign = there.isDirectory() ? (await readdir(path)).find((name) => !owned(name)) : '';
    if (foreign === '') throw new Error('a file is in the way of the folder; move it away');
    if (foreign !== undefined) throw new Error(`the folder holds ${foreign}, which briefdeck did not write; move it away`);
    // The earlier folder is moved aside, and removed once the new one is in place: a rename
    // cannot replace a folder that has files in it.
    const old = `${temp}.old`;
    track(old);
    await rename(path, old);
    try {
      await rename(temp, path);
    } catch (error) {
      await rename(old, path).catch(() => undefined);
      throw error;
    }
    await rm(old, { force: true, recursive: true });
    inFlight.delete(old);
  };
  return stage(path, '', (temp) => mkdir(temp).then(() => undefined), place);
}

/**
 * Replaces the folder `path` as a whole with what `fill` writes into an empty folder beside it
 * (see stageFolder): a failure or Ctrl-C midway leaves the old folder as it was.
 */
export async function replaceFolder(path: string, owned: (name: string) => boolean, fill: (dir: string) => Promise<void>): Promise<void> {
  const folder = await stageFolder(path, owned);
  try {
    await fill(folder.path);
    await folder.commit();
  } finally {
    await folder.discard();
  }
}
