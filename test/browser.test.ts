// Which browser prints: what the user gives (--browser, PUPPETEER_EXECUTABLE_PATH, the config's
// browser:), then briefdeck's own Chromium, then an installed one; and how to get one otherwise.

import { describe, expect, it } from 'vitest';
import { chooseBrowser, howToGetBrowser, NoBrowserError } from '../src/browser.js';

// Stand-ins that exist on every Linux machine: chooseBrowser only checks that a given path exists.
const FLAG = '/bin/sh';
const ENV = '/bin/ls';
const CONFIG = '/bin/cat';
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('chooseBrowser', () => {
  it('takes --browser over PUPPETEER_EXECUTABLE_PATH over the config, and says why', () => {
    const env = { PUPPETEER_EXECUTABLE_PATH: ENV };
    expect(chooseBrowser({ flag: FLAG, config: CONFIG, env })).toMatchObject({ path: FLAG, source: 'flag', why: 'given with --browser' });
    expect(chooseBrowser({ config: CONFIG, env })).toMatchObject({ path: ENV, source: 'env', why: 'given in PUPPETEER_EXECUTABLE_PATH' });
    expect(chooseBrowser({ config: CONFIG, env: {} })).toMatchObject({ path: CONFIG, source: 'config', why: 'given as browser: in the project config' });
  });

  it.runIf(onLinuxX64)('takes briefdeck\'s own Chromium when nothing is given, even with a system browser installed', () => {
    expect(chooseBrowser({ env: { XDG_CACHE_HOME: '/cache' } })).toMatchObject({ source: 'pinned', path: expect.stringMatching(/^\/cache\/briefdeck\/chromium-[\d.]+\/chromium-headless-shell$/) });
  });

  it('names the setting and the fix when a given browser is missing', () => {
    const error = (() => {
      try {
        chooseBrowser({ config: '/nonexistent/chrome', env: {} });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NoBrowserError);
    expect((error as NoBrowserError).problem).toBe('browser not found at /nonexistent/chrome (given as browser: in the project config)');
    expect((error as NoBrowserError).fix).toMatch(/^correct the path, or remove it to print with /);
  });
});

describe('howToGetBrowser', () => {
  it('says in one line how to get a browser where briefdeck has none of its own', () => {
    expect(howToGetBrowser('darwin', 'arm64')).toMatch(/^install Google Chrome \(brew install --cask google-chrome\) or Microsoft Edge, or pass --browser/);
    expect(howToGetBrowser('win32', 'x64')).toMatch(/^Microsoft Edge comes with Windows/);
    expect(howToGetBrowser('linux', 'arm64')).toMatch(/^install Chromium \(Debian\/Ubuntu: sudo apt-get install chromium/);
    expect(howToGetBrowser('linux', 'x64')).toMatch(/^reinstall briefdeck's dependencies \(npm ci\)/);
    for (const platform of ['darwin', 'win32', 'linux'] as const) expect(howToGetBrowser(platform, 'arm64')).not.toContain('\n');
  });
});
