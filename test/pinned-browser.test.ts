// briefdeck's own Chromium: unpacked into a private per-user cache, checked before every launch,
// written so that two builds starting at once never see half of it, and started with its
// libraries and fonts set for the browser alone.

import { open, chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserArgs, chooseBrowser, prepareBrowser } from '../src/browser.js';
import { pinnedBrowser, preparePinned, verifyPinned, type PinnedBrowser } from '../src/pinned-browser.js';
import { runNode, type Run } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

const packageVersion = JSON.parse(await readFile(join(ROOT, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8')).version as string;
const isRoot = process.getuid?.() === 0;
const folders: string[] = [];

async function freshCache(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'briefdeck-cache-'));
  folders.push(dir);
  return dir;
}

function pinnedIn(cache: string): PinnedBrowser {
  const pinned = pinnedBrowser({ XDG_CACHE_HOME: cache });
  if (pinned === undefined) throw new Error('no pinned browser on this platform');
  return pinned;
}

afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the pinned browser', () => {
  // One unpack for the checks that only read it: each costs about 2 s of CPU and 200 MB of disk.
  let pinned: PinnedBrowser;
  beforeAll(async () => {
    pinned = pinnedIn(await freshCache());
    const prepared = await preparePinned(pinned);
    expect(prepared.unpacked).toBe(true);
  });

  it('is chosen when nothing else is given, before any installed browser', () => {
    const env = { XDG_CACHE_HOME: '/somewhere/cache' };
    expect(chooseBrowser({ env })).toMatchObject({ source: 'pinned', path: `/somewhere/cache/briefdeck/chromium-${packageVersion}/chromium-headless-shell` });
  });

  it('is a Linux x64 executable, in <XDG_CACHE_HOME>/briefdeck/chromium-<version>, private to this user', async () => {
    expect(pinned.dir).toBe(join(pinned.cacheRoot, `chromium-${packageVersion}`));
    expect((await stat(pinned.cacheRoot)).mode & 0o777).toBe(0o700);
    const header = Buffer.alloc(20);
    const file = await open(pinned.executablePath);
    await file.read(header, 0, 20, 0);
    await file.close();
    expect(header.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(header.readUInt16LE(18)).toBe(0x3e); // e_machine: x86-64
    const entries = await readdir(pinned.dir, { recursive: true });
    for (const entry of entries) {
      const info = await lstat(join(pinned.dir, entry));
      expect(info.uid, entry).toBe(process.getuid!());
      expect(info.mode & 0o077, entry).toBe(0);
    }
    expect(entries).toEqual(expect.arrayContaining(['chromium-headless-shell', 'fonts.conf', 'manifest.json', join('lib', 'libnss3.so')]));
    expect(await readdir(pinned.cacheRoot)).toEqual([`chromium-${packageVersion}`]);
  });

  it('is not offered where the package has no browser', () => {
    expect(pinnedBrowser({}, 'darwin', 'arm64')).toBeUndefined();
    expect(pinnedBrowser({}, 'linux', 'arm64')).toBeUndefined();
    expect(pinnedBrowser({}, 'win32', 'x64')).toBeUndefined();
  });

  it('starts with its libraries and fonts set in its own environment, leaving process.env as it was', async () => {
    const before = { ...process.env };
    const ready = await prepareBrowser(pinned.executablePath, { ...process.env, XDG_CACHE_HOME: join(pinned.cacheRoot, '..') });
    expect(ready.env).toMatchObject({ FONTCONFIG_FILE: join(pinned.dir, 'fonts.conf'), LD_LIBRARY_PATH: expect.stringMatching(new RegExp(`^${join(pinned.dir, 'lib')}`)) });
    const browser = await puppeteer.launch({ headless: 'shell', executablePath: ready.executablePath, env: ready.env, args: browserArgs() });
    try {
      expect(await browser.version()).toMatch(new RegExp(`^HeadlessChrome/${packageVersion.split('.')[0]}\\.`));
    } finally {
      await browser.close();
    }
    expect(process.env).toEqual(before);
  });

  it('fails its check when a file is added, or differs from the SHA-256 recorded at unpacking', async () => {
    expect(await verifyPinned(pinned)).toBeUndefined();
    const extra = join(pinned.dir, 'lib', 'libextra.so');
    await writeFile(extra, 'planted', { mode: 0o600 });
    expect(await verifyPinned(pinned)).toBe(`${join('lib', 'libextra.so')} was added after unpacking`);
    await rm(extra);
    expect(await verifyPinned(pinned)).toBeUndefined();

    // A change the size and times cannot show: the same stamp, another hash in the manifest.
    const manifestPath = join(pinned.dir, 'manifest.json');
    const original = await readFile(manifestPath, 'utf8');
    const manifest = JSON.parse(original) as { files: { path: string; sha256: string }[] };
    manifest.files.find((f) => f.path === 'fonts.conf')!.sha256 = '0'.repeat(64);
    await writeFile(manifestPath, JSON.stringify(manifest));
    expect(await verifyPinned(pinned)).toBe('fonts.conf does not have the SHA-256 recorded when it was unpacked');
    await writeFile(manifestPath, original);
    expect(await verifyPinned(pinned)).toBeUndefined();
  });

  it('is unpacked again when a file changed, even with its size and modification time put back', async () => {
    const target = join(pinned.dir, 'lib', 'libplc4.so');
    const { mtime, atime } = await stat(target);
    const file = await open(target, 'r+');
    await file.write(Buffer.from('tampered'), 0, 8, 1000);
    await file.close();
    await utimes(target, atime, mtime);
    expect(await verifyPinned(pinned)).toBe(`${join('lib', 'libplc4.so')} changed after unpacking`);
    const prepared = await preparePinned(pinned);
    expect(prepared).toMatchObject({ unpacked: true, replaced: `${join('lib', 'libplc4.so')} changed after unpacking` });
    expect(await verifyPinned(pinned)).toBeUndefined();
    expect(await readdir(pinned.cacheRoot)).toEqual([`chromium-${packageVersion}`]);
  });
});

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the cache folder', () => {
  it('is refused when other users can write to it', async () => {
    const cache = await freshCache();
    await mkdir(join(cache, 'briefdeck'));
    await chmod(join(cache, 'briefdeck'), 0o777);
    await expect(preparePinned(pinnedIn(cache))).rejects.toThrow(`refusing to use ${join(cache, 'briefdeck')} for briefdeck's Chromium: other users can write to it; fix: chmod 700 ${join(cache, 'briefdeck')}`);
  });

  it('that cannot be made is an error that says what to do, not a bug', async () => {
    const pinned = pinnedIn('/dev/null/cache');
    await expect(preparePinned(pinned)).rejects.toThrow(
      `cannot unpack briefdeck's Chromium into ${pinned.dir}: ENOTDIR: not a directory, mkdir '/dev/null/cache/briefdeck'; set XDG_CACHE_HOME to a folder you can write to, or pass --browser`,
    );
  });

  it('is refused when a folder above it is writable by others', async () => {
    const cache = await freshCache();
    await chmod(cache, 0o777);
    await expect(preparePinned(pinnedIn(cache))).rejects.toThrow(`${cache} above it can be changed by another user`);
  });

  it('is refused when it is a link to somewhere else', async () => {
    const cache = await freshCache();
    await mkdir(join(cache, 'elsewhere'), { mode: 0o700 });
    await symlink(join(cache, 'elsewhere'), join(cache, 'briefdeck'));
    await expect(preparePinned(pinnedIn(cache))).rejects.toThrow('it is not a folder');
  });

  it.runIf(isRoot)('is refused when it belongs to another user (the <tmp>/chromium attack)', async () => {
    const cache = await freshCache();
    await mkdir(join(cache, 'briefdeck'), { mode: 0o700 });
    await chown(join(cache, 'briefdeck'), 65534, 65534);
    await expect(preparePinned(pinnedIn(cache))).rejects.toThrow('it belongs to another user (uid 65534)');
  });
});

/** Runs an ES module script in a new Node process, with this cache folder. */
function node(script: string, cache: string): Promise<Run> {
  return runNode(['--input-type=module', '-e', script], ROOT, { ...process.env, XDG_CACHE_HOME: cache });
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('two builds starting at once', () => {
  it('both get a whole browser, and a third process watching never sees half of one', async () => {
    const cache = await freshCache();
    const lib = join(ROOT, 'lib', 'pinned-browser.js');
    // The watcher looks at the browser's folder as often as it can until both are done: whenever
    // the folder is there, its manifest must be too, and every file whole.
    const watcher = node(
      `import { existsSync, readFileSync, statSync } from 'node:fs';
       import { join } from 'node:path';
       const { pinnedBrowser } = await import(${JSON.stringify(lib)});
       const { dir, cacheRoot } = pinnedBrowser();
       const bad = new Set(); let looks = 0; let whole = 0;
       while (!existsSync(join(cacheRoot, 'done'))) {
         looks++;
         await new Promise((resolve) => setTimeout(resolve, 2));
         if (!existsSync(dir)) continue;
         try {
           const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
           for (const f of manifest.files) if (statSync(join(dir, f.path)).size !== f.size) bad.add('short ' + f.path);
           whole++;
         } catch (error) { bad.add(String(error.message)); }
       }
       console.log(JSON.stringify({ looks, whole, bad: [...bad] }));`,
      cache,
    );
    const prepare = `const { pinnedBrowser, preparePinned } = await import(${JSON.stringify(lib)});
       const result = await preparePinned(pinnedBrowser());
       console.log(JSON.stringify(result));`;
    const [first, second] = await Promise.all([node(prepare, cache), node(prepare, cache)]);
    await writeFile(join(cache, 'briefdeck', 'done'), '');
    const watched = await watcher;
    expect(first.stderr + second.stderr).toBe('');
    const results = [first, second].map((run) => JSON.parse(run.stdout) as { executablePath: string; unpacked: boolean });
    expect(results.map((r) => r.executablePath)).toEqual([pinnedIn(cache).executablePath, pinnedIn(cache).executablePath]);
    expect(results.some((r) => r.unpacked)).toBe(true);
    expect(JSON.parse(watched.stdout)).toMatchObject({ bad: [], whole: expect.any(Number) });
    expect(JSON.parse(watched.stdout).whole).toBeGreaterThan(0);
    expect(await verifyPinned(pinnedIn(cache))).toBeUndefined();
    // No half-unpacked copy is left behind.
    expect((await readdir(join(cache, 'briefdeck'))).sort()).toEqual([`chromium-${packageVersion}`, 'done']);
  });
});
