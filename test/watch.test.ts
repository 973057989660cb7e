// `briefdeck watch` as a user runs it: a real process, a real browser on the served deck, real
// edits to the briefing on disk.

import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { tempProject } from './helpers/cli.js';
import { BIN, EXAMPLE, ROOT } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

let project: string;
let child: ChildProcess;
let output = '';
let base: string;
let browser: Browser;
let page: Page;
const briefing = () => join(project, 'briefings', 'brief.yaml');

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, body: '' });
        req.destroy();
        return;
      }
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls the served deck until it contains `text`. */
async function waitForDeck(text: string, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await get('/brief.html')).body.includes(text)) {
    if (Date.now() - start > timeout) throw new Error(`the served deck never contained "${text}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForOutput(text: string, timeout = 20_000): Promise<void> {
  const start = Date.now();
  while (!output.includes(text)) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for "${text}" in:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  project = await tempProject({ 'briefings/brief.yaml': EXAMPLE });
  // A project config with its own templates folder (outside the briefings folder), as a team would have.
  await mkdir(join(project, 'look', 'partials'), { recursive: true });
  await writeFile(join(project, 'look', 'partials', 'frame.hbs'), await readFile(join(ROOT, 'templates', 'partials', 'frame.hbs'), 'utf8'));
  await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\n');
  child = spawn(process.execPath, [BIN, 'watch', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitForOutput('serving http://127.0.0.1:');
  base = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!;
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
});

afterAll(async () => {
  await browser?.close();
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('briefdeck watch', () => {
  it('serves an index of the briefings', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Assad in China');
    expect(index.body).toContain('href="/brief.html"');
  });

  it('reloads an open deck on the same slide when the briefing is saved', async () => {
    await page.goto(new URL('brief.html', base).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    await page.evaluate(() => Reveal.slide(6));
    await page.waitForFunction(() => location.hash === '#/slide-7');
    const text = await readFile(briefing(), 'utf8');
    await writeFile(briefing(), text.replace('title: What the two sides committed to', 'title: What both sides promised'));
    await page.waitForFunction(() => document.querySelector('section.present .slide-title')?.textContent === 'What both sides promised', { timeout: 15_000 });
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    expect(await page.evaluate(() => Reveal.getIndices().h)).toBe(6);
  });

  it('shows the errors of a broken edit, keeps serving the last good deck, and recovers', async () => {
    const good = await readFile(briefing(), 'utf8');
    await writeFile(briefing(), good.replace('    title: What both sides promised', '    title: [not, a, string]'));
    await page.waitForSelector('#briefdeck-errors', { timeout: 15_000 });
    const overlay = await page.$eval('#briefdeck-errors', (el) => el.textContent ?? '');
    expect(overlay).toMatch(/briefings\/brief\.yaml:\d+:\d+: error: slide 7 \(slides\[4\]\): title must be a string, got a list/);
    expect(output).toMatch(/briefings\/brief\.yaml:\d+:\d+: error: slide 7 \(slides\[4\]\): title must be a string/);
    expect((await get('/brief.html')).body).toContain('What both sides promised');
    await writeFile(briefing(), good);
    await page.waitForFunction(() => document.querySelector('#briefdeck-errors') === null, { timeout: 15_000 });
    expect(child.exitCode).toBeNull();
  });

  it('rebuilds when a template in the config\'s templates folder changes', async () => {
    const frame = join(project, 'look', 'partials', 'frame.hbs');
    const text = await readFile(frame, 'utf8');
    expect((await get('/brief.html')).body).not.toContain('data-edited');
    await writeFile(frame, text.replace('<section', '<section data-edited="yes"'));
    await waitForDeck('data-edited="yes"');
  });

  it('rebuilds when the project config changes', async () => {
    expect((await get('/brief.html')).body).toContain('class="theme-light');
    await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\ntheme: dark\n');
    await waitForDeck('class="theme-dark');
    expect(child.exitCode).toBeNull();
  });

  it('serves nothing outside the output folder', async () => {
    for (const path of ['/../briefings/brief.yaml', '/..%2Fbriefings%2Fbrief.yaml', '/%2e%2e/%2e%2e/etc/passwd', '/..%5Cbriefings%5Cbrief.yaml', '/%2e%2e%5c%2e%2e%5cetc%5cpasswd', '/.briefdeck-cache.json', '/brief.html%00.pdf']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
  });

  it('refuses the live-reload channel to other origins and other host names', async () => {
    expect((await get('/__briefdeck/events?deck=brief', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/__briefdeck/events?deck=brief', { Host: 'evil.example' })).status).toBe(403);
    expect((await get('/__briefdeck/events?deck=brief')).status).toBe(200);
  });

  it('stops on Ctrl-C with exit code 0 and no child processes left, even mid-rebuild', async () => {
    await page.close();
    const children = execSync(`pgrep -P ${child.pid} || true`).toString().trim();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A config change reloads the toolkit and watches what the config names: Ctrl-C comes while
    // that rebuild runs (after the 40 ms quiet time), and nothing it starts may keep watch alive.
    await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\n');
    await new Promise((r) => setTimeout(r, 60));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    for (const pid of children.split('\n').filter(Boolean)) {
      expect(execSync(`ps -o stat= -p ${pid} || true`).toString().trim()).toMatch(/^(Z|)$/);
    }
  });
});
