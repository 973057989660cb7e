// The pinned browser: the headless Chromium shipped inside the @sparticuz/chromium npm package
// (Linux x64 only), unpacked once into a private per-user cache folder and checked before every
// launch. The package's own executablePath() is not used: it unpacks into the shared temporary
// folder, reuses whatever already sits at <tmp>/chromium, and sets HOME, FONTCONFIG_PATH and
// LD_LIBRARY_PATH for the whole process. Here nothing outside the cache folder is written, and
// what the browser needs goes into the browser's own environment only (pinnedEnv).

import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';
import { BriefdeckError } from './diagnostics.js';

const PACKAGE = '@sparticuz/chromium';
const EXECUTABLE = 'chromium-headless-shell';
const MANIFEST = 'manifest.json';
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

export interface PinnedBrowser {
  /** The package's version; it names the browser's folder in the cache. */
  version: string;
  /** The package's brotli-packed files. */
  sourceDir: string;
  /** <XDG_CACHE_HOME or ~/.cache>/briefdeck: private to this user. */
  cacheRoot: string;
  /** <cacheRoot>/chromium-<version>: the unpacked browser, its libraries and fonts. */
  dir: string;
  executablePath: string;
}

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

interface Manifest {
  package: string;
  version: string;
  files: ManifestFile[];
}

export interface PreparedPinned {
  executablePath: string;
  /** Whether this call unpacked it (first use of this version, or a copy that failed its check). */
  unpacked: boolean;
  /** Why an existing copy was replaced, when it was. */
  replaced?: string;
  unpackMs: number;
  verifyMs: number;
}

/** The cache folder for briefdeck's files: $XDG_CACHE_HOME/briefdeck, else ~/.cache/briefdeck. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative path in XDG_CACHE_HOME is invalid and is ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'briefdeck');
}

/** The pinned browser for this platform, or undefined where the package has none (not Linux x64). */
export function pinnedBrowser(env: NodeJS.ProcessEnv = process.env, platform = process.platform, arch = process.arch): PinnedBrowser | undefined {
  if (platform !== 'linux' || arch !== 'x64') return undefined;
  let packageDir: string;
  let version: string;
  try {
    // Resolved, never imported: importing the package changes process.env on some hosts.
    packageDir = join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), '..', '..');
    version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
  const root = cacheRoot(env);
  const dir = join(root, `chromium-${version}`);
  return { version, sourceDir: join(packageDir, 'bin'), cacheRoot: root, dir, executablePath: join(dir, EXECUTABLE) };
}

/** What the pinned browser needs in its own environment: its libraries and a fonts config. */
export function pinnedEnv(pinned: PinnedBrowser, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const lib = join(pinned.dir, 'lib');
  return {
    ...base,
    LD_LIBRARY_PATH: base.LD_LIBRARY_PATH ? `${lib}:${base.LD_LIBRARY_PATH}` : lib,
    FONTCONFIG_FILE: join(pinned.dir, 'fonts.conf'),
  };
}

const unpacking = new Map<string, Promise<void>>();

/**
 * Makes sure the pinned browser is unpacked and unchanged, unpacking it when it is missing or
 * fails its check, and returns where it is. Throws a BriefdeckError when the cache folder is not
 * private to this user, or it cannot be unpacked (no room, no write access).
 */
export async function preparePinned(pinned: PinnedBrowser): Promise<PreparedPinned> {
  try {
    return await prepare(pinned);
  } catch (error) {
    if (error instanceof BriefdeckError) throw error;
    throw new BriefdeckError(
      `cannot unpack briefdeck's Chromium into ${pinned.dir}: ${(error as Error).message}; set XDG_CACHE_HOME to a folder you can write to, or pass --browser`,
      1,
      { cause: error },
    );
  }
}

async function prepare(pinned: PinnedBrowser): Promise<PreparedPinned> {
  await mkdir(pinned.cacheRoot, { recursive: true, mode: 0o700 });
  await assertPrivate(pinned.cacheRoot);
  let started = performance.now();
  const seen = await lstat(pinned.dir).catch(() => undefined);
  const problem = await verifyPinned(pinned);
  let verifyMs = performance.now() - started;
  if (problem === undefined) return { executablePath: pinned.executablePath, unpacked: false, unpackMs: 0, verifyMs };

  started = performance.now();
  let pending = unpacking.get(pinned.dir);
  if (pending === undefined) {
    pending = (seen === undefined ? Promise.resolve() : discard(pinned.dir, seen.ino)).then(() => unpack(pinned));
    unpacking.set(pinned.dir, pending);
    pending.then(
      () => unpacking.delete(pinned.dir),
      () => unpacking.delete(pinned.dir),
    );
  }
  await pending;
  const unpackMs = performance.now() - started;
  started = performance.now();
  const after = await verifyPinned(pinned);
  verifyMs = performance.now() - started;
  if (after !== undefined) throw new BriefdeckError(`briefdeck's Chromium in ${pinned.dir} fails its check right after unpacking (${after}); remove that folder and try again`);
  return {
    executablePath: pinned.executablePath,
    unpacked: true,
    ...(seen === undefined ? {} : { replaced: problem }),
    unpackMs,
    verifyMs,
  };
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
export async function verifyPinned(pinned: PinnedBrowser): Promise<string | undefined> {
  try {
    return await compareWithManifest(pinned);
  } catch (error) {
    // A folder removed or replaced while it was read fails like a changed one.
    return (error as Error).message;
  }
}

async function compareWithManifest(pinned: PinnedBrowser): Promise<string | undefined> {
  if (!(await exists(pinned.dir))) return 'not unpacked yet';
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(pinned.dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return `${MANIFEST} is missing or unreadable`;
  }
  if (manifest.package !== PACKAGE || manifest.version !== pinned.version || !Array.isArray(manifest.files)) return `${MANIFEST} is not for ${PACKAGE} ${pinned.version}`;
  const found = await listFiles(pinned.dir);
  if (typeof found === 'string') return found;
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  for (const path of found.keys()) if (path !== MANIFEST && !expected.has(path)) return `${path} was added after unpacking`;
  for (const file of manifest.files) {
    const info = found.get(file.path);
    if (info === undefined) return `${file.path} is missing`;
    if (info.size !== file.size || info.mtimeMs !== file.mtimeMs || info.ctimeMs !== file.ctimeMs || info.ino !== file.ino) return `${file.path} changed after unpacking`;
  }
  const hashes = await sha256Files(manifest.files.map((f) => join(pinned.dir, f.path)));
  const differs = manifest.files.find((file, i) => hashes[i] !== file.sha256);
  if (differs !== undefined) return `${differs.path} does not have the SHA-256 recorded when it was unpacked`;
  return undefined;
}

/** Every file under `dir` with its stat, after checking each entry is ours and private. */
async function listFiles(dir: string): Promise<Map<string, import('node:fs').Stats> | string> {
  const uid = process.getuid?.();
  const files = new Map<string, import('node:fs').Stats>();
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
async function unpack(pinned: PinnedBrowser): Promise<void> {
  await removeStale(pinned.cacheRoot);
  const temp = await mkdtemp(join(pinned.cacheRoot, `.unpacking-chromium-${pinned.version}-`));
  removeOnExit(temp);
  try {
    const source = (name: string) => join(pinned.sourceDir, name);
    await Promise.all([
      pipeline(createReadStream(source('chromium.br')), createBrotliDecompress(), createWriteStream(join(temp, EXECUTABLE), { mode: 0o700 })),
      // Shared libraries it links against (NSS, NSPR, expat), so it starts with no system packages.
      untar(source('al2023.tar.br'), temp),
      // Open Sans; the package's own fonts.conf points at Lambda's folders, so ours replaces it.
      untar(source('fonts.tar.br'), temp, (name) => name === 'fonts.conf'),
      writeFile(join(temp, 'fonts.conf'), FONTS_CONF, { mode: 0o600 }),
    ]);
    const manifest: Manifest = { package: PACKAGE, version: pinned.version, files: await describe(temp) };
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
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

async function describe(dir: string): Promise<ManifestFile[]> {
  const found = await listFiles(dir);
  if (typeof found === 'string') throw new BriefdeckError(`unpacking briefdeck's Chromium: ${found}`);
  const entries = [...found].sort(([a], [b]) => a.localeCompare(b));
  const hashes = await sha256Files(entries.map(([path]) => join(dir, path)));
  return entries.map(([path, info], i) => ({ path, size: info.size, sha256: hashes[i]!, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino }));
}

/**
 * Moves a copy that failed its check out of the way (atomically), then deletes it; only the copy
 * that was checked (same inode), not a good one another process has put in its place since.
 */
async function discard(dir: string, ino: number): Promise<void> {
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
