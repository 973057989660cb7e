// The pinned browser: the headless Chromium shipped inside the @sparticuz/chromium npm package
// (Linux x64 only), unpacked once into a private per-user cache folder and checked before every
// launch. The package's own executablePath() is not used: it unpacks into the shared temporary
// folder, reuses whatever already sits at <tmp>/chromium, and sets HOME, FONTCONFIG_PATH and
// LD_LIBRARY_PATH for the whole process. Here nothing outside the cache folder is written, and
// what the browser needs goes into the browser's own environment only (pinnedEnv).

import { readFileSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { BriefdeckError } from './diagnostics.js';
import { assertPrivate, verifyFolder } from './pinned-check.js';
import { discard, unpack } from './pinned-unpack.js';

const PACKAGE = '@sparticuz/chromium';
const EXECUTABLE = 'chromium-headless-shell';

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
    pending = (seen === undefined ? Promise.resolve() : discard(pinned.dir, seen.ino)).then(() => unpack(pinned, { package: PACKAGE, version: pinned.version }));
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

/** Checks the unpacked browser (see verifyFolder in pinned-check.ts): the first problem, or undefined. */
export function verifyPinned(pinned: PinnedBrowser): Promise<string | undefined> {
  return verifyFolder(pinned.dir, { package: PACKAGE, version: pinned.version });
}
