// What you present is what you print: every deck fits its slides itself when it loads, in every
// view, so a plain `build` (no --pdf) gives a fitted deck; every build reports a slide that cannot
// fit and then writes nothing; the PDF is printed at the scale the audience sees; the handout is
// its own file; and the summary line says what the run did, no more.

import { execFile } from 'node:child_process';
import { chmod, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../src/browser.js';
import { launchBrowser } from './helpers/browser.js';
import { runCli, tempProject } from './helpers/cli.js';
import { EXAMPLE, FILES } from './helpers/paths.js';
import { pdfInfo } from './helpers/pdf.js';

declare const Reveal: import('reveal.js').RevealApi;
const run = promisify(execFile);

const FITS = join(FILES, 'overflow', 'fits.yaml');
const TOO_MUCH = join(FILES, 'overflow', 'too-much.yaml');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a deck in reveal.js's normal (presenting) view and waits until it is ready and fitted. */
async function present(htmlPath: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.goto(pathToFileURL(htmlPath).href);
  await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
  // A deck that does not fit itself has no such promise; it is measured as it is.
  await page.evaluate(() => window.briefdeckFit);
  await page.evaluate(() => Reveal.configure({ transition: 'none' }));
  return page;
}

/** Shows slide `index` (0-based) and measures, through reveal.js, how its content sits in its box. */
async function showSlide(page: Page, index: number): Promise<{ overflow: number; fit: string; scale: number }> {
  return page.evaluate((i) => {
    Reveal.slide(i);
    const slide = Reveal.getCurrentSlide();
    const body = slide.querySelector('.slide-body')!.getBoundingClientRect();
    const box = slide.getBoundingClientRect();
    let over = 0;
    for (const el of slide.querySelectorAll('.slide-body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      over = Math.max(over, r.bottom - body.bottom, r.right - box.right, box.left - r.left);
    }
    // reveal.js scales the slide to the window: measure in slide pixels.
    return { overflow: over / Reveal.getScale(), fit: getComputedStyle(slide).getPropertyValue('--bd-fit').trim(), scale: Reveal.getScale() };
  }, index);
}

/** Word heights on a PDF page, read by poppler: the printed text size. */
async function wordHeight(pdf: string, page: number, word: string): Promise<number> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', pdf, '-']);
  const match = new RegExp(`yMin="([\\d.]+)" xMax="[\\d.]+" yMax="([\\d.]+)">${word}<`).exec(stdout);
  if (!match) throw new Error(`no "${word}" on page ${page} of ${pdf}`);
  return Number(match[2]) - Number(match[1]);
}

/**
 * A Chromium that counts its launches: a script named like the headless shell (so it is started
 * the same way) that writes a line to `log` and then runs the real one.
 */
async function countingBrowser(dir: string): Promise<{ path: string; launches: () => Promise<number> }> {
  const log = join(dir, 'launches.log');
  const path = join(dir, 'chromium-headless-shell');
  await writeFile(path, `#!/bin/sh\necho launch >> '${log}'\nexec '${findBrowser()}' "$@"\n`);
  await chmod(path, 0o755);
  const launches = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  return { path, launches };
}

describe('a deck built without --pdf', () => {
  it('fits its long slide itself, in reveal.js\'s normal view, at any window size', async () => {
    const project = await tempProject({ 'briefings/fits.yaml': FITS });
    const built = await runCli(['build'], project);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const deck = join(project, 'dist', 'fits.html');
    for (const viewport of [{ width: 1280, height: 720 }, { width: 900, height: 700 }, { width: 1920, height: 1080 }]) {
      const page = await present(deck, viewport);
      try {
        // Slide 2 was hidden (display: none) when the deck loaded on slide 1, and was fitted anyway.
        const long = await showSlide(page, 1);
        expect(long.fit).toBe('0.95');
        expect(long.overflow).toBeLessThanOrEqual(2);
        expect(await showSlide(page, 2)).toMatchObject({ fit: '' });
        if (viewport.width === 900) {
          await page.evaluate(() => Reveal.slide(1));
          await page.screenshot({ path: join(project, 'fitted-slide.png') });
        }
        // Resizing the window lays the slides out again at the same size: they stay fitted.
        await page.setViewport({ width: 700, height: 700 });
        expect((await showSlide(page, 1)).overflow).toBeLessThanOrEqual(2);
      } finally {
        await page.close();
      }
    }
  });

  it('fits its slides again when watch swaps them in place after a rebuild', async () => {
    const project = await tempProject({ 'briefings/fits.yaml': FITS });
    expect((await runCli(['build'], project)).code).toBe(0);
    const page = await present(join(project, 'dist', 'fits.html'), { width: 1280, height: 720 });
    try {
      // What the live-reload client does with a rebuilt deck whose styles did not change.
      await page.evaluate(() => {
        const slides = document.querySelector('.reveal .slides')!;
        slides.innerHTML = slides.innerHTML.replace(/ fitted"/g, '"').replace(/ style="[^"]*--bd-fit[^"]*"/g, '');
        Reveal.sync();
      });
      await page.evaluate(() => window.briefdeckFit);
      const long = await showSlide(page, 1);
      expect(long.fit).toBe('0.95');
      expect(long.overflow).toBeLessThanOrEqual(2);
    } finally {
      await page.close();
    }
  });

  it('is the deck that is printed: the PDF shows the scale the audience sees', async () => {
    const project = await tempProject({ 'briefings/fits.yaml': FITS });
    // The same slide, not allowed to shrink, gives the text size at scale 1.
    const text = await readFile(FITS, 'utf8');
    await writeFile(join(project, 'briefings', 'unfitted.yaml'), text.replace('    title: Long bullets\n', '    title: Long bullets\n    fit: false\n'));
    const built = await runCli(['build', '--pdf'], project);
    expect(built.code).toBe(0);
    const page = await present(join(project, 'dist', 'fits.html'), { width: 1024, height: 768 });
    let presented: number[];
    try {
      presented = await page.evaluate(async () => (await window.briefdeckFit)!.map((fit) => fit.scale));
    } finally {
      await page.close();
    }
    expect(presented).toEqual([1, 0.95, 1]);
    const printed = (await wordHeight(join(project, 'dist', 'fits.pdf'), 2, 'Point')) / (await wordHeight(join(project, 'dist', 'unfitted.pdf'), 2, 'Point'));
    expect(printed).toBeCloseTo(presented[1]!, 2);
  });
});

describe('a slide that cannot fit', () => {
  it('fails a plain build at its file:line:col and leaves the last good deck and PDF as they were', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    expect((await runCli(['build', '--pdf'], project)).code).toBe(0);
    const dist = join(project, 'dist');
    const before = await Promise.all(['deck.html', 'deck.pdf'].map((f) => readFile(join(dist, f))));
    await copyFile(TOO_MUCH, join(project, 'briefings', 'deck.yaml'));
    for (const args of [['build'], ['build', '--pdf'], ['build', '--notes']]) {
      const failed = await runCli(args, project);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('briefings/deck.yaml:4:5: error: slide 2 (slides[0]) "Thirty rows" overflows by');
      expect(failed.stderr).toContain('briefings/deck.yaml:39:5: warning: slide 3 (slides[1]) "Not allowed to shrink" overflows by');
      expect(failed.stderr).toMatch(/^0 decks built, (0 PDFs printed, )?(0 handouts printed, )?1 briefing failed$/m);
      expect(failed.stdout).not.toContain('built');
      const after = await Promise.all(['deck.html', 'deck.pdf'].map((f) => readFile(join(dist, f))));
      expect(after.map((bytes, i) => bytes.equals(before[i]!))).toEqual([true, true]);
      // Nothing else was written, and the staged copy that was measured is gone.
      expect((await readdir(dist)).sort()).toEqual(['.briefdeck-cache.json', 'deck.html', 'deck.pdf', 'index.html', 'manifest.json']);
    }
  });

  it('with `fit: false` is a warning: the deck and PDF are written', async () => {
    const project = await tempProject();
    const text = await readFile(TOO_MUCH, 'utf8');
    // Only the slide that may overflow.
    await writeFile(join(project, 'deck.yaml'), text.replace(/ {2}- type: table[\s\S]*?(?= {2}- type: bullets)/, ''));
    const built = await runCli(['build', 'deck.yaml', '--pdf'], project);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/^deck\.yaml:4:5: warning: slide 2 \(slides\[0\]\) "Not allowed to shrink" overflows by \d+ px \(fit: false\)$/m);
    expect(built.stdout).toContain('1 deck built, 1 PDF printed');
    expect((await pdfInfo(join(project, 'dist', 'deck.pdf'))).Pages).toBe('2');
  });

  it('is reported by watch too, which keeps serving the last good deck', async () => {
    const { watch } = await import('../src/watch.js');
    const project = await tempProject({ 'briefings/deck.yaml': TOO_MUCH });
    const errors: string[] = [];
    const session = await watch({ cwd: project, port: 0, log: () => undefined, logError: (line) => errors.push(line) });
    await session.close();
    expect(errors).toContainEqual(expect.stringMatching(/^briefings\/deck\.yaml:4:5: error: slide 2 \(slides\[0\]\) "Thirty rows" overflows by/));
    expect(await readdir(join(project, 'dist'))).not.toContain('deck.html');
  });
});

describe('no browser at hand', () => {
  it('a plain build still writes the self-fitting deck, and says once that overflow was not checked', async () => {
    const project = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': FITS });
    const built = await runCli(['build'], project, { ...process.env, PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' });
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('2 decks built\n');
    const warnings = built.stderr.split('\n').filter(Boolean);
    expect(warnings).toEqual([expect.stringMatching(/^briefdeck: warning: slides were not checked for overflow: browser not found at \/nonexistent\/chrome .*: correct the path/)]);
    expect(await readFile(join(project, 'dist', 'b.html'), 'utf8')).toContain('window.briefdeckFit');
  });
});

describe('the notes handout, and what a second run does', () => {
  it('--notes writes <name>.pdf and <name>.notes.pdf; the next run finds both unchanged and starts no browser', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    const chromium = await countingBrowser(project);
    const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: chromium.path };
    const first = await runCli(['build', '--notes'], project, env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('printed dist/deck.pdf (14 pages)\n');
    expect(first.stdout).toContain('printed dist/deck.notes.pdf (7 pages)\n');
    expect(first.stdout).toContain('1 deck built, 1 PDF printed, 1 handout printed\n');
    expect(await chromium.launches()).toBe(1);
    // The slides PDF is the slides only; the handout puts two slides to a page with their notes.
    expect((await pdfInfo(join(project, 'dist', 'deck.pdf'))).Pages).toBe('14');
    expect((await pdfInfo(join(project, 'dist', 'deck.notes.pdf'))).Pages).toBe('7');

    const second = await runCli(['build', '--notes'], project, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('unchanged dist/deck.html (14 slides) from briefings/deck.yaml\n1 deck unchanged, 1 PDF unchanged, 1 handout unchanged\n');
    const plain = await runCli(['build'], project, env);
    expect(plain.stdout).toContain('1 deck unchanged\n');
    expect(await chromium.launches()).toBe(1);
  });
});

describe('the summary line', () => {
  it('counts what this run did: built or unchanged decks, printed or unchanged PDFs, failed briefings', async () => {
    const project = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': FITS });
    expect((await runCli(['build', '--pdf'], project)).stdout).toMatch(/\n2 decks built, 2 PDFs printed\n$/);
    expect((await runCli(['build', '--pdf'], project)).stdout).toMatch(/\n2 decks unchanged, 2 PDFs unchanged\n$/);
    const text = await readFile(FITS, 'utf8');
    await writeFile(join(project, 'briefings', 'b.yaml'), text.replace('title: Overflow that can be fitted', 'title: Edited'));
    await copyFile(TOO_MUCH, join(project, 'briefings', 'c.yaml'));
    const mixed = await runCli(['build', '--pdf'], project);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/\n1 deck built, 1 deck unchanged, 1 PDF printed, 1 PDF unchanged, 1 briefing failed\n$/);
    expect((await runCli(['build'], project)).stderr).toMatch(/\n2 decks unchanged, 1 briefing failed\n$/);
  });
});
