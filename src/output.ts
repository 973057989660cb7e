// Output: files are written whole or not at all. Each goes to a temporary file beside its target
// and is renamed over it, so a failed or interrupted build never leaves a truncated deck and
// never removes the previous good one.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** Temporary files being written now; removed if the process exits (Ctrl-C) before the rename. */
const inFlight = new Set<string>();
let cleanupInstalled = false;

function track(temp: string): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on('exit', () => {
      for (const path of inFlight) rmSync(path, { force: true });
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
 * Writes a file beside `path` without replacing it yet; removed if the process exits first. With
 * `keepExtension` the temporary name ends in the target's extension (`….tmp.html`), so that a
 * browser opens a staged deck as HTML.
 */
export async function stageFile(path: string, data: string | Uint8Array, keepExtension = false): Promise<StagedFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp${keepExtension ? extname(path) : ''}`);
  track(temp);
  const discard = async () => {
    await rm(temp, { force: true });
    inFlight.delete(temp);
  };
  try {
    await writeFile(temp, data);
  } catch (error) {
    await discard();
    throw error;
  }
  const commit = async () => {
    if (!inFlight.has(temp)) return;
    try {
      await rename(temp, path);
      inFlight.delete(temp);
    } catch (error) {
      await discard();
      throw error;
    }
  };
  return { path: temp, commit, discard };
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await (await stageFile(path, data)).commit();
}

/** Writes a text file atomically unless it already holds this text (so its time stays as it was). */
export async function writeIfChanged(path: string, text: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => undefined)) !== text) await writeFileAtomic(path, text);
}
