// PDF printing when things go wrong: broken briefings, requests a deck must not make, a page that
// hangs, a browser that dies mid-batch, no browser at all.

import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit, type Toolkit } from '../src/compile.js';
import { renderPdfs, type PdfJob } from '../src/pdf/batch.js';
import { runCli, startCliUntil, tempProject } from './helpers/cli.js';
import { EXAMPLE, ROOT } from './helpers/paths.js';
import { pdfInfo } from './helpers/pdf.js';

let toolkit: Toolkit;
let dir: string;

/** A print job for the example deck, written as `name.html`, optionally altered first. */
async function exampleJob(name: string, alter: (html: string) => string = (h) => h): Promise<PdfJob & { pdfPath: string }> {
  const compiled = await compileBriefing(EXAMPLE, toolkit, ROOT);
  const htmlPath = join(dir, `${name}.html`);
  await writeFile(htmlPath, alter(compiled.html!));
  return { file: `${name}.yaml`, htmlPath, pdfPath: join(dir, `${name}.pdf`), deck: compiled.deck! };
}

beforeAll(async () => {
  toolkit = await loadToolkit();
  dir = await mkdtemp(join(tmpdir(), 'briefdeck-faults-'));
});

describe('a batch with a broken briefing', () => {
  it('still prints the others and exits 1', async () => {
    const project = await tempProject({ 'briefings/good.yaml': EXAMPLE });
    await writeFile(join(project, 'briefings', 'bad.yaml'), 'title: Bad\ndate: 2024-01-01\nslides: 3\n');
    const run = await runCli(['build', '--pdf'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('briefings/bad.yaml:3:9: error: slides must be a list, got a number');
    expect(run.stdout).toContain('printed dist/good.pdf (14 pages)');
    expect(run.stderr).toContain('1 deck built, 1 PDF printed, 1 briefing failed');
    expect((await readdir(join(project, 'dist'))).sort()).toEqual(['.briefdeck-cache.json', 'good.html', 'good.pdf', 'index.html', 'manifest.json']);
  });
});

describe('requests from a deck', () => {
  it('are blocked, never made, and reported with their slide', async () => {
    let hits = 0;
    const server = createServer((_, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracker.png`;
    try {
      // Plant what hostile input might try if it ever got past escaping: a remote image and a local
      // file. The deck's Content-Security-Policy alone would stop them; it is removed here so that
      // the renderer's own blocking is what is tested.
      const planted = `<img src="${url}"><iframe src="file:///etc/passwd"></iframe>`;
      const job = await exampleJob('planted', (html) =>
        html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('<p class="summary-label">', `${planted}<p class="summary-label">`),
      );
      const [result] = await renderPdfs([job], { timeoutMs: 30_000 });
      expect(result!.pdf).toBeDefined();
      const warnings = result!.diagnostics.map((d) => `${d.severity}: ${d.message}`);
      expect(warnings).toContain(`warning: slide 3 (slides[0]) "Bottom line": blocked a request to ${url} (a deck may load nothing from outside its own file)`);
      expect(warnings).toContain('warning: slide 3 (slides[0]) "Bottom line": blocked a request to file:///etc/passwd (a deck may load nothing from outside its own file)');
      expect(warnings).toHaveLength(2);
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('a page that hangs', () => {
  it('fails that briefing after its timeout, keeps its previous PDF, and prints the rest', async () => {
    const hung = await exampleJob('hung', () => '<!doctype html><title>never ready</title><p>no reveal.js here</p>');
    await writeFile(hung.pdfPath, 'previous good output');
    const good = await exampleJob('after-hang');
    const results = await renderPdfs([hung, good], { timeoutMs: 3_000, jobs: 1 });
    expect(results[0]!.pdf).toBeUndefined();
    expect(results[0]!.diagnostics.map((d) => d.message)).toEqual(['PDF rendering timed out after 3 s; the browser was restarted']);
    expect(await readFile(hung.pdfPath, 'utf8')).toBe('previous good output');
    expect(results[1]!.diagnostics).toEqual([]);
    expect((await pdfInfo(good.pdfPath)).Pages).toBe('14');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a browser that dies mid-batch', () => {
  it('is relaunched and every briefing is still printed', async () => {
    const jobs = await Promise.all([1, 2, 3, 4].map((n) => exampleJob(`crash-${n}`)));
    let killed = false;
    const results = await renderPdfs(jobs, { jobs: 1, timeoutMs: 30_000 }, process.cwd(), () => {
      if (killed) return;
      killed = true;
      execSync(`pkill -KILL -P ${process.pid} -f '[c]hrom' || true`);
    });
    expect(killed).toBe(true);
    expect(results.map((r) => r.diagnostics)).toEqual([[], [], [], []]);
    for (const job of jobs) expect((await pdfInfo(job.pdfPath)).Pages).toBe('14');
  });
});

describe('no browser', () => {
  it('still writes the HTML decks and says in one line how to get a browser', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    const run = await runCli(['build', '--pdf'], project, { ...process.env, PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' });
    expect(run.code).toBe(1);
    expect(existsSync(join(project, 'dist', 'deck.html'))).toBe(true);
    expect(existsSync(join(project, 'dist', 'deck.pdf'))).toBe(false);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('briefdeck: error:'));
    expect(errors).toEqual([
      "briefdeck: error: browser not found at /nonexistent/chrome (given in PUPPETEER_EXECUTABLE_PATH): correct the path, or remove it to print with briefdeck's own Chromium",
    ]);
  });

  it('reports a browser that does not start as an error to look into, not a bug in briefdeck', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    const run = await runCli(['build', '--pdf', '--browser', '/bin/false'], project);
    expect(run.code).toBe(1);
    expect(existsSync(join(project, 'dist', 'deck.html'))).toBe(true);
    expect(run.stderr).toContain('briefdeck: error: the browser /bin/false did not start (Failed to launch the browser process: Code: 1); run "npx briefdeck doctor" to see why\n');
    expect(run.stderr).not.toContain('internal error');
  });
});

describe('no processes left behind', () => {
  it('leaves no Chromium running after the batches above', async () => {
    await copyFile(EXAMPLE, join(dir, 'unused.yaml'));
    const children = execSync(`pgrep -P ${process.pid} -f '[c]hrom' || true`).toString().trim();
    expect(children).toBe('');
  });
});

describe('Ctrl-C in the middle of a PDF batch', () => {
  it('exits at once with no browser left running and no half-written file', async () => {
    const project = await tempProject();
    for (let i = 1; i <= 8; i++) await copyFile(EXAMPLE, join(project, `deck-${i}.yaml`));
    const { child, exited } = await startCliUntil(['build', '.', '--pdf', '--jobs', '2'], project, 'printed ');
    const browsers = execSync(`pgrep -P ${child.pid} || true`).toString().trim().split('\n').filter(Boolean);
    expect(browsers.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // Killed processes (zombies included, which only wait to be reaped) must be gone within 5 s.
    const running = () => browsers.filter((pid) => !/^(Z|$)/.test(execSync(`ps -o stat= -p ${pid} || true`).toString().trim()));
    for (let waited = 0; running().length > 0 && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toEqual([]);
    const files = await readdir(join(project, 'dist'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.pdf')).length).toBeLessThan(8);
  });
});
