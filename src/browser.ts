// The browser: finding Chrome or Chromium and launching it. Every browser briefdeck starts is
// owned by a BrowserSession (pdf/session.ts), which closes it in all cases, so no process outlives
// a command.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, LaunchOptions } from 'puppeteer-core';
import { BriefdeckError } from './diagnostics.js';
import { pinnedBrowser, pinnedEnv, preparePinned, type PinnedBrowser, type PreparedPinned } from './pinned-browser.js';
import { timed } from './timings.js';

// Installed browsers, used where there is no pinned browser (macOS, Windows, Linux other than x64)
// or when it cannot be used. The headless shell first: it is the build of Chromium made for
// automation (Puppeteer's own default), without the desktop browser's window, tab strip and
// services, and it prints a batch of decks in about two thirds of the time. Then the full browsers.
function installedBrowsers(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  switch (platform) {
    case 'linux':
      return [
        '/usr/lib/chromium/chromium-headless-shell',
        '/usr/bin/chromium-headless-shell',
        '/usr/lib/chromium/chromium',
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
        '/opt/google/chrome/chrome',
        '/usr/bin/microsoft-edge-stable',
        '/usr/bin/microsoft-edge',
        '/opt/microsoft/msedge/msedge',
        '/snap/bin/chromium',
      ];
    case 'darwin':
      return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'].flatMap((app) => [
        `/Applications/${app}`,
        join(homedir(), 'Applications', app),
      ]);
    case 'win32': {
      const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA].filter((r): r is string => r !== undefined);
      return ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'].flatMap((exe) => roots.map((root) => `${root}\\${exe}`));
    }
    default:
      return [];
  }
}

/** One line on how to get a browser on this platform, for errors and `briefdeck doctor`. */
export function howToGetBrowser(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const pass = 'or pass --browser <path> (or set PUPPETEER_EXECUTABLE_PATH)';
  if (platform === 'linux' && arch === 'x64') return `reinstall briefdeck's dependencies (npm ci): they bring its own Chromium (@sparticuz/chromium); ${pass}`;
  if (platform === 'linux') return `install Chromium (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium), ${pass}`;
  if (platform === 'darwin') return `install Google Chrome (brew install --cask google-chrome) or Microsoft Edge, ${pass}`;
  if (platform === 'win32') return `Microsoft Edge comes with Windows; if it was removed, install Google Chrome, ${pass}`;
  return `install Chrome or Chromium, ${pass}`;
}

export const NO_BROWSER_MESSAGE = 'no Chrome or Chromium found';

/** No browser to print with: what is wrong and how to fix it, kept apart for `briefdeck doctor`. */
export class NoBrowserError extends BriefdeckError {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}: ${fix}`);
  }
}

// briefdeck depends on puppeteer-core, which downloads nothing when installed: a browser is
// found, not fetched. Browsers that Puppeteer's tools downloaded (`npx @puppeteer/browsers install
// chrome-headless-shell@stable --path ~/.cache/puppeteer`, or `npx puppeteer browsers install`)
// live in Puppeteer's cache folder; the newest build there is used, the headless shell first.
// The library is loaded only when no installed browser was found, not by every command.
function puppeteerDownload(env: NodeJS.ProcessEnv): string | undefined {
  const cacheDir = env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  if (!existsSync(cacheDir)) return undefined;
  let installed;
  try {
    const { Cache } = createRequire(import.meta.url)('@puppeteer/browsers') as typeof import('@puppeteer/browsers');
    installed = new Cache(cacheDir).getInstalledBrowsers();
  } catch {
    return undefined;
  }
  for (const kind of ['chrome-headless-shell', 'chrome']) {
    const builds = installed
      .filter((b) => b.browser === kind && existsSync(b.executablePath))
      .sort((a, b) => b.buildId.localeCompare(a.buildId, 'en', { numeric: true }));
    if (builds[0] !== undefined) return builds[0].executablePath;
  }
  return undefined;
}

/** Whether a browser is a headless shell, which takes the plain `--headless` flag. */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell/i.test(basename(executablePath));
}

export type BrowserSource = 'flag' | 'env' | 'config' | 'pinned' | 'installed' | 'puppeteer';

export interface BrowserChoice {
  path: string;
  source: BrowserSource;
  /** Why this one, in a few words, for `briefdeck doctor`. */
  why: string;
  /** Set when it is briefdeck's own Chromium, which is unpacked and checked before launch. */
  pinned?: PinnedBrowser;
}

export interface BrowserRequest {
  /** --browser on the command line. */
  flag?: string;
  /** `browser:` in the project config, already resolved against the config's folder. */
  config?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The browser to print with, in this order: --browser, PUPPETEER_EXECUTABLE_PATH, the config's
 * `browser:`; then briefdeck's own pinned Chromium (Linux x64), the one the tests verify, which
 * prints the same PDF bytes on every machine; then an installed Chrome, Edge or Chromium; last,
 * a browser Puppeteer downloaded itself. Reads nothing but existence checks; the pinned browser
 * is unpacked and checked when it is launched.
 */
export function chooseBrowser(request: BrowserRequest = {}): BrowserChoice {
  const env = request.env ?? process.env;
  const pinned = pinnedBrowser(env);
  const given: [string | undefined, BrowserSource, string][] = [
    [request.flag, 'flag', 'given with --browser'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'env', 'given in PUPPETEER_EXECUTABLE_PATH'],
    [request.config, 'config', 'given as browser: in the project config'],
  ];
  for (const [path, source, why] of given) {
    if (!path) continue;
    // The pinned browser's path is a given one too once chosen (BrowserSession passes it back).
    if (pinned?.executablePath === path) return { path, source, why, pinned };
    if (!existsSync(path)) {
      const otherwise = pinned ? "briefdeck's own Chromium" : 'an installed Chrome, Edge or Chromium';
      throw new NoBrowserError(`browser not found at ${path} (${why})`, `correct the path, or remove it to print with ${otherwise}`);
    }
    return { path, source, why };
  }
  if (pinned !== undefined) return { path: pinned.executablePath, source: 'pinned', why: `briefdeck's own Chromium (${pinned.version}), the one its tests verify`, pinned };
  const installed = installedBrowsers(process.platform, env).find((path) => existsSync(path));
  if (installed !== undefined) return { path: installed, source: 'installed', why: 'installed on this machine (briefdeck has no Chromium of its own for this platform)' };
  const downloaded = puppeteerDownload(env);
  if (downloaded !== undefined) return { path: downloaded, source: 'puppeteer', why: "downloaded by Puppeteer" };
  throw new NoBrowserError(NO_BROWSER_MESSAGE, howToGetBrowser());
}

/** The path of the browser chooseBrowser picks; `configured` is the config's `browser:`. */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env, configured?: string): string {
  return chooseBrowser({ ...(explicit ? { flag: explicit } : {}), ...(configured ? { config: configured } : {}), env }).path;
}

/**
 * What launching a browser needs: for the pinned one, unpacking or checking it, and the
 * environment of its own process (its libraries, its fonts config); nothing in process.env changes.
 */
export async function prepareBrowser(path: string, env: NodeJS.ProcessEnv = process.env): Promise<{ executablePath: string; env?: NodeJS.ProcessEnv; prepared?: PreparedPinned }> {
  const pinned = pinnedBrowser(env);
  if (pinned === undefined || path !== pinned.executablePath) return { executablePath: path };
  const prepared = await preparePinned(pinned);
  return { executablePath: prepared.executablePath, env: pinnedEnv(pinned, env), prepared };
}

/** The line of Puppeteer's launch error that says why: the browser's own complaint when known. */
export function launchFailure(message: string): string {
  const line = /error while loading shared libraries[^\n]*|No usable sandbox[^\n]*/.exec(message)?.[0] ?? message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.replace(/\s+/g, ' ').trim();
}

/** Flags for a quiet, offline, deterministic headless browser (root needs --no-sandbox). */
export function browserArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--font-render-hinting=none',
    '--hide-scrollbars',
    '--mute-audio',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export async function launchBrowser(options: { executablePath?: string } & LaunchOptions = {}): Promise<Browser> {
  const { executablePath, ...rest } = options;
  // Required, not imported: Puppeteer's CommonJS build loads in two thirds of the time of its
  // ES modules, and the cold path waits for it.
  const puppeteer = await timed('puppeteer', async () => createRequire(import.meta.url)('puppeteer-core') as typeof import('puppeteer-core'));
  const prepared = await prepareBrowser(findBrowser(executablePath));
  return timed('launch', () =>
    puppeteer.launch({
      headless: isHeadlessShell(prepared.executablePath) ? 'shell' : true,
      executablePath: prepared.executablePath,
      ...(prepared.env === undefined ? {} : { env: prepared.env }),
      args: browserArgs(),
      // Signals belong to the command (build exits 130, watch closes cleanly and exits 0); the
      // browser is still killed when the process exits, whatever the reason.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...rest,
    }),
  ).catch((error: unknown) => {
    // A browser that does not start is the machine's problem, not a bug: say where to look.
    const reason = launchFailure((error as Error).message);
    throw new BriefdeckError(`the browser ${prepared.executablePath} did not start (${reason}); run "npx briefdeck doctor" to see why`, 1, { cause: error });
  });
}
