// Checking briefdeck's own Chromium (pinned-browser.ts) before every launch: its cache folder must
// be private to this user, and its files exactly those recorded in the manifest written when it
// was unpacked (pinned-unpack.ts): size, times, inode and SHA-256.

import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BriefdeckError } from './diagnostics.js';

const MANIFEST = 'manifest.json';

/** What a manifest is for: the package and version it was unpacked from. */
export interface ManifestOf {
  package: string;
  version: string;
}

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

interface Manifest extends ManifestOf {
  files: ManifestFile[];
}

/**
 * Refuses a cache folder another user could change: it must be a real folder owned by us that no
 * one else can write to, and so must every folder above it be (owned by us or root, or sticky
 * like /tmp), since whoever can write to a parent can swap the folder for their own.
 */
export async function assertPrivate(folder: string): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  const info = await lstat(folder);
  const fix = `set XDG_CACHE_HOME to a folder of your own, or pass --browser`;
  if (!info.isDirectory()) throw new BriefdeckError(`refusing to use ${folder} for briefdeck's Chromium: it is not a folder; ${fix}`);
  if (info.uid !== uid) throw new BriefdeckError(`refusing to use ${folder} for briefdeck's Chromium: it belongs to another user (uid ${info.uid}); ${fix}`);
  if ((info.mode & 0o022) !== 0) throw new BriefdeckError(`refusing to use ${folder} for briefdeck's Chromium: other users can write to it; fix: chmod 700 ${folder}`);
  for (let dir = dirname(await realpath(folder)); ; dir = dirname(dir)) {
    const parent = await stat(dir);
    const sticky = (parent.mode & 0o1000) !== 0;
    if ((parent.uid !== uid && parent.uid !== 0) || ((parent.mode & 0o022) !== 0 && !sticky)) {
      throw new BriefdeckError(`refusing to use ${folder} for briefdeck's Chromium: ${dir} above it can be changed by another user; ${fix}`);
    }
    if (dirname(dir) === dir) break;
  }
}

/**
 * Checks the unpacked browser against the manifest written when it was unpacked: the same files
 * and nothing else, each ours, written by no one else, with the size, times and inode recorded
 * (cheap, and no one but root can set a file's change time back), then the same SHA-256.
 * Returns the first problem found, or undefined when it all matches.
 */
export async function verifyFolder(dir: string, of: ManifestOf): Promise<string | undefined> {
  try {
    return await compareWithManifest(dir, of);
  } catch (error) {
    // A folder removed or replaced while it was read fails like a changed one.
    return (error as Error).message;
  }
}

async function compareWithManifest(dir: string, of: ManifestOf): Promise<string | undefined> {
  if (!(await exists(dir))) return 'not unpacked yet';
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return `${MANIFEST} is missing or unreadable`;
  }
  if (manifest.package !== of.package || manifest.version !== of.version || !Array.isArray(manifest.files)) return `${MANIFEST} is not for ${of.package} ${of.version}`;
  const found = await listFiles(dir);
  if (typeof found === 'string') return found;
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  for (const path of found.keys()) if (path !== MANIFEST && !expected.has(path)) return `${path} was added after unpacking`;
  for (const file of manifest.files) {
    const info = found.get(file.path);
    if (info === undefined) return `${file.path} is missing`;
    if (info.size !== file.size || info.mtimeMs !== file.mtimeMs || info.ctimeMs !== file.ctimeMs || info.ino !== file.ino) return `${file.path} changed after unpacking`;
  }
  const hashes = await sha256Files(manifest.files.map((f) => join(dir, f.path)));
  const differs = manifest.files.find((file, i) => hashes[i] !== file.sha256);
  if (differs !== undefined) return `${differs.path} does not have the SHA-256 recorded when it was unpacked`;
  return undefined;
}

/** Every file under `dir` with its stat, after checking each entry is ours and private. */
async function listFiles(dir: string): Promise<Map<string, Stats> | string> {
  const uid = process.getuid?.();
  const files = new Map<string, Stats>();
  const walk = async (folder: string): Promise<string | undefined> => {
    for (const name of await readdir(folder)) {
      const path = join(folder, name);
      const info = await lstat(path);
      const rel = relative(dir, path);
      if (uid !== undefined && info.uid !== uid) return `${rel} belongs to another user`;
      if ((info.mode & 0o022) !== 0) return `${rel} can be written by other users`;
      if (info.isDirectory()) {
        const problem = await walk(path);
        if (problem !== undefined) return problem;
      } else if (info.isFile()) files.set(rel, info);
      else return `${rel} is neither a file nor a folder`;
    }
    return undefined;
  };
  const problem = await walk(dir);
  return problem ?? files;
}

// Hashing the browser (about 200 MB) takes a tenth of a second of CPU; in a worker thread it runs
// beside the compile on the main thread instead of holding it up.
// Dynamic imports, since the code runs as a script or as a module depending on the parent's flags.
const HASH_WORKER = `
Promise.all([import('node:worker_threads'), import('node:crypto'), import('node:fs')]).then(([{ parentPort, workerData }, { createHash }, { openSync, readSync, closeSync }]) => {
  const buffer = Buffer.allocUnsafe(4 << 20);
  parentPort.postMessage(workerData.map((path) => {
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return hash.digest('hex');
  }));
});
`;

/** The SHA-256 of each file, in order, computed in a worker thread. */
function sha256Files(paths: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: paths });
    worker.once('message', (hashes: string[]) => resolve(hashes));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing thread exited with code ${code}`)));
  });
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Records the manifest of a freshly unpacked folder, in the folder. */
export async function writeManifest(dir: string, of: ManifestOf): Promise<void> {
  const found = await listFiles(dir);
  if (typeof found === 'string') throw new BriefdeckError(`unpacking briefdeck's Chromium: ${found}`);
  const entries = [...found].sort(([a], [b]) => a.localeCompare(b));
  const hashes = await sha256Files(entries.map(([path]) => join(dir, path)));
  const files = entries.map(([path, info], i): ManifestFile => ({ path, size: info.size, sha256: hashes[i]!, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino }));
  const manifest: Manifest = { ...of, files };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
}
