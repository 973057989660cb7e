// `briefdeck doctor`, run as a user runs it: what it reports on a machine that can print, and the
// problem and fix it gives (exit 1) when it cannot.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

const cache = await mkdtemp(join(tmpdir(), 'briefdeck-cache-'));
afterAll(() => rm(cache, { recursive: true, force: true }));

/** The environment of a user who gave no browser, with an empty cache. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, ...extra };
  if (extra.PUPPETEER_EXECUTABLE_PATH === undefined) delete env.PUPPETEER_EXECUTABLE_PATH;
  return env;
}

describe('briefdeck doctor', () => {
  it('is listed in the help', async () => {
    const run = await runCli(['--help'], ROOT);
    expect(run.stdout).toMatch(/\n {2}briefdeck doctor +check this machine can print PDFs/);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('reports briefdeck\'s own Chromium: why, where, its version, that it starts, the fonts, and Node', async () => {
    const run = await runCli(['doctor'], await tempProject(), userEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`node      ${process.version} (briefdeck needs >=20.11)`);
    expect(lines[1]).toMatch(new RegExp(`^browser   ${cache}/briefdeck/chromium-[\\d.]+/chromium-headless-shell$`));
    expect(lines[2]).toMatch(/^ {10}briefdeck's own Chromium \([\d.]+\), the one its tests verify$/);
    expect(lines[3]).toMatch(/^ {10}unpacked into the cache now in /);
    expect(lines[4]).toMatch(/^ {10}checked: its files match the size and SHA-256 recorded at unpacking/);
    expect(run.stdout).toMatch(/\nversion   HeadlessChrome\/\d+\.\d+\.\d+\.\d+\n/);
    expect(run.stdout).toMatch(/\nstarts    yes: launched and opened a page in /);
    expect(run.stdout).toContain('\nfonts     embedded in every deck, and used: Source Sans 3, Source Code Pro\n');
    expect(run.stdout).toMatch(/\n {10}other text falls back to: sans-serif → [^,]+, serif → [^,]+, monospace → .+\n/);
    expect(lines.at(-2)).toBe('ok: briefdeck can print PDFs on this machine');
  });

  it('exits 1 with the fix when the given browser is missing', async () => {
    const run = await runCli(['doctor', '--browser', '/nonexistent/chrome'], await tempProject(), userEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\nbrowser   problem: browser not found at /nonexistent/chrome (given with --browser)\n          fix: correct the path, or remove it to print with ');
    expect(run.stderr).toBe('briefdeck doctor: 1 problem\n');
  });

  it('exits 1 with the fix when the browser does not start', async () => {
    const run = await runCli(['doctor'], await tempProject(), userEnv({ PUPPETEER_EXECUTABLE_PATH: '/bin/false' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\nbrowser   /bin/false\n          given in PUPPETEER_EXECUTABLE_PATH\nstarts    problem: it did not start: ');
    expect(run.stdout).toContain('\n          fix: check that /bin/false is Chrome or Chromium and runs here, or remove it (given in PUPPETEER_EXECUTABLE_PATH) to print with ');
    expect(run.stderr).toBe('briefdeck doctor: 1 problem\n');
  });

  it("uses the config's browser: (from the config's folder) when no flag or variable names one", async () => {
    const project = await tempProject();
    await writeFile(join(project, 'briefdeck.config.yaml'), 'browser: bin/chrome\n');
    const run = await runCli(['doctor'], project, userEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`browser   problem: browser not found at ${join(project, 'bin', 'chrome')} (given as browser: in the project config)`);
  });
});
