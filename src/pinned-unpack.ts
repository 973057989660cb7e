// Unpacking briefdeck's own Chromium (pinned-browser.ts) from the npm package's brotli-packed
// files into the cache: privately, atomically, and with the manifest that the check before every
// launch compares against (pinned-check.ts).

import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';
import { writeManifest, type ManifestOf } from './pinned-check.js';
import type { PinnedBrowser } from './pinned-browser.js';

/** An unpacking folder untouched this long belongs to a process that died. */
const STALE_MS = 10 * 60 * 1000;

// System fonts first (where the machine has any), then the package's Open Sans, so a machine with
// no fonts at all still has one for text the deck's embedded fonts do not cover.
const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir prefix="relative">fonts</dir>
  <cachedir prefix="xdg">fontconfig</cachedir>
</fontconfig>
`;

const unpackingFolders = new Set<string>();
let exitHookInstalled = false;

/** A process that exits mid-unpack (Ctrl-C) leaves no half browser behind. */
function removeOnExit(folder: string): void {
  unpackingFolders.add(folder);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const f of unpackingFolders) rmSync(f, { recursive: true, force: true });
  });
}

/**
 * Unpacks into a new folder beside the final one, records the manifest, then renames the folder
 * into place in one step: another process sees no browser or a whole one, never half of one.
 * When two unpack at once, the first rename wins and the other drops its copy.
 */
export async function unpack(pinned: PinnedBrowser, of: ManifestOf): Promise<void> {
  await removeStale(pinned.cacheRoot);
  const temp = await mkdtemp(join(pinned.cacheRoot, `.unpacking-chromium-${pinned.version}-`));
  removeOnExit(temp);
  try {
    const source = (name: string) => join(pinned.sourceDir, name);
    await Promise.all([
      pipeline(createReadStream(source('chromium.br')), createBrotliDecompress(), createWriteStream(join(temp, basename(pinned.executablePath)), { mode: 0o700 })),
      // Shared libraries it links against (NSS, NSPR, expat), so it starts with no system packages.
      untar(source('al2023.tar.br'), temp),
      // Open Sans; the package's own fonts.conf points at Lambda's folders, so ours replaces it.
      untar(source('fonts.tar.br'), temp, (name) => name === 'fonts.conf'),
      writeFile(join(temp, 'fonts.conf'), FONTS_CONF, { mode: 0o600 }),
    ]);
    await writeManifest(temp, of);
    try {
      await rename(temp, pinned.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      // Another process unpacked the same version first: use theirs (it is checked like ours).
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
    unpackingFolders.delete(temp);
  }
}

function untar(archive: string, into: string, skip: (name: string) => boolean = () => false): Promise<void> {
  const target = extract(into, {
    // Files and folders only: no links that could point out of the cache folder.
    ignore: (_path, header) => header === undefined || (header.type !== 'file' && header.type !== 'directory') || skip(header.name),
    // As root, tar-fs would give the files to the archive's owner; they must stay ours.
    chown: false,
    umask: 0o077,
  });
  return pipeline(createReadStream(archive), createBrotliDecompress(), target);
}

/**
 * Moves a copy that failed its check out of the way (atomically), then deletes it; only the copy
 * that was checked (same inode), not a good one another process has put in its place since.
 */
export async function discard(dir: string, ino: number): Promise<void> {
  const aside = `${dir}.discarded-${process.pid}-${Date.now()}`;
  if ((await lstat(dir).catch(() => undefined))?.ino !== ino) return;
  try {
    await rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

/** Removes what crashed unpacks and discards left behind. */
async function removeStale(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (!name.startsWith('.unpacking-chromium-') && !name.includes('.discarded-')) continue;
    const path = join(root, name);
    const info = await lstat(path).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true });
  }
}
