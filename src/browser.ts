// The browser: finding Chrome or Chromium and launching it. Every browser briefdeck starts is
// owned by a BrowserSession (pdf/session.ts), which closes it in all cases, so no process outlives
// a command.

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, LaunchOptions } from 'puppeteer';
import { BriefdeckError } from './diagnostics.js';
import { timed } from './timings.js';

// The headless shell first: it is the build of Chromium made for automation (Puppeteer's own
// default), without the desktop browser's window, tab strip and services, and it prints a batch of
// decks in about two thirds of the time (see README, Performance). Then the full browsers.
const INSTALLED_BROWSERS: Readonly<Record<string, readonly string[]>> = {
  linux: [
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium-headless-shell',
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

export const NO_BROWSER_MESSAGE =
  'no Chrome or Chromium found: install one (Debian/Ubuntu: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH to its path';

// Puppeteer is large: it is loaded only by commands that start a browser, not by every command.
function puppeteerDownload(): string | undefined {
  let puppeteer: typeof import('puppeteer');
  try {
    puppeteer = createRequire(import.meta.url)('puppeteer') as typeof import('puppeteer');
  } catch {
    return undefined;
  }
  for (const headless of ['shell', true] as const) {
    try {
      const path = puppeteer.executablePath({ headless });
      if (existsSync(path)) return path;
    } catch {
      // Not downloaded: try the next one.
    }
  }
  return undefined;
}

/** Whether a browser is a headless shell, which takes the plain `--headless` flag. */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell/i.test(basename(executablePath));
}

/**
 * The browser to use, in this order: an explicit path or PUPPETEER_EXECUTABLE_PATH, an installed
 * Chrome or Chromium, then a browser Puppeteer downloaded itself.
 */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new BriefdeckError(`browser not found at ${chosen}; ${NO_BROWSER_MESSAGE}`);
    return chosen;
  }
  const installed = (INSTALLED_BROWSERS[process.platform] ?? []).find((path) => existsSync(path));
  const found = installed ?? puppeteerDownload();
  if (found === undefined) throw new BriefdeckError(NO_BROWSER_MESSAGE);
  return found;
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
  const puppeteer = await timed('puppeteer', async () => createRequire(import.meta.url)('puppeteer') as typeof import('puppeteer'));
  const path = findBrowser(executablePath);
  return timed('launch', () => puppeteer.launch({
    headless: isHeadlessShell(path) ? 'shell' : true,
    executablePath: path,
    args: browserArgs(),
    // Signals belong to the command (build exits 130, watch closes cleanly and exits 0); the
    // browser is still killed when the process exits, whatever the reason.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    ...rest,
  }));
}
