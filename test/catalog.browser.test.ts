// The catalog, `<out>/index.html`: valid HTML, passing axe, self-contained from file://, a plain
// list with scripts off, filtered by text, keyword and classification with them on, and readable
// at a phone's width. `--no-index` writes none. With slide images built, it shows each briefing's
// real title slide and its slides, from file:// and as watch serves it.

import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource } from '../src/accessibility.js';
import { build, type BuildResult } from '../src/build.js';
import { catalogPage, writeCatalogOf } from '../src/folder.js';
import { readManifest, type Manifest, type ManifestOutput } from '../src/manifest.js';
import { DeckServer } from '../src/serve.js';
import { launchBrowser, watchedPage } from './helpers/browser.js';
import { runCli, tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

let browser: Browser;
let project: string;
let url: string;

async function validate(html: string): Promise<string[]> {
  const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html, 'index.html');
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

beforeAll(async () => {
  project = await tempProject({ briefings: join(ROOT, 'briefings') });
  // Built in two builds: the catalog lists what earlier builds wrote too.
  const problems = (result: BuildResult) => [result.error ?? '', ...result.briefings.flatMap((b) => b.diagnostics.map((d) => d.message))].filter(Boolean);
  expect(problems(await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], pptx: true }))).toEqual([]);
  expect(problems(await build({ cwd: project, paths: ['briefings/panama-canal-drought.yaml'] }))).toEqual([]);
  url = pathToFileURL(join(project, 'dist', 'index.html')).href;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the catalog', () => {
  it('lists every briefing newest first, with its outputs, and is valid HTML', async () => {
    const html = await readFile(join(project, 'dist', 'index.html'), 'utf8');
    expect(await validate(html)).toEqual([]);
    expect(html.indexOf('Panama Canal drought')).toBeLessThan(html.indexOf('Assad in China'));
    expect(html).toContain('href="assad-china-visit.pptx"');
    expect(html).toContain('class="mark level-unclassified"');
  });

  it('works from file:// without a request, passes axe, and filters', async () => {
    const { page, requests, errors } = await watchedPage(browser, url);
    try {
      await page.goto(url);
      await page.evaluate(await axeSource());
      const violations = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations.map((v) => v.id));
      expect(violations).toEqual([]);
      const visible = () => page.$$eval('li.briefing', (items) => items.filter((i) => !i.hidden).map((i) => i.querySelector('h2')!.textContent));
      expect(await visible()).toHaveLength(2);
      await page.type('input[name=q]', 'assad china');
      expect(await visible()).toEqual(['Assad in China']);
      expect(await page.$eval('#count', (c) => c.textContent)).toBe('1 of 2 briefings');
      await page.$eval('input[name=q]', (i) => ((i as HTMLInputElement).value = ''));
      await page.select('select[name=keyword]', 'charts');
      expect(await visible()).toEqual(['Panama Canal drought and transits, 2023']);
      await page.select('select[name=keyword]', '');
      await page.select('select[name=marking]', 'UNCLASSIFIED // PUBLIC SOURCES');
      expect(await visible()).toEqual(['Assad in China']);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is a plain list with scripts off, and fits a phone', async () => {
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      await page.setViewport({ width: 375, height: 740 });
      await page.goto(url);
      expect(await page.$eval('#filters', (f) => (f as HTMLElement).hidden)).toBe(true);
      expect(await page.$$eval('li.briefing', (items) => items.filter((i) => i.getBoundingClientRect().height > 0).length)).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    } finally {
      await page.close();
    }
  });

  it('is not written with --no-index', async () => {
    const other = await tempProject({ briefings: join(ROOT, 'briefings') });
    const run = await runCli(['build', 'briefings/assad-china-visit.yaml', '--no-index'], other);
    expect(run.stderr).toBe('');
    expect(await stat(join(other, 'dist', 'index.html')).catch(() => undefined)).toBeUndefined();
    expect((await stat(join(other, 'dist', 'manifest.json'))).isFile()).toBe(true);
  }, 60_000);
});

/** Writes a file and says what a manifest says of it. */
async function output(dir: string, path: string, bytes: Uint8Array): Promise<ManifestOutput> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), bytes);
  return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Screenshots of every slide of a built deck, as the slide images of `--images` are. */
async function slideShots(deck: string, type: 'png' | 'jpeg', count = Infinity): Promise<Uint8Array[]> {
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(pathToFileURL(deck).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    await page.addStyleTag({ content: '.reveal .controls, .reveal .progress { display: none !important; }' });
    await page.evaluate(() => Reveal.configure({ transition: 'none', backgroundTransition: 'none' }));
    const shots: Uint8Array[] = [];
    for (let i = 0; i < Math.min(count, await page.evaluate(() => Reveal.getTotalSlides())); i++) {
      await page.evaluate((n) => Reveal.slide(n), i);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      shots.push(await page.screenshot({ type, ...(type === 'jpeg' ? { quality: 80 } : {}) }));
    }
    return shots;
  } finally {
    await page.close();
  }
}

/** Opens a catalog and records every request it makes and every error (a CSP violation is one). */
async function openCatalog(address: string, width = 1280): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.setViewport({ width, height: 900 });
  await page.goto(address, { waitUntil: 'load' });
  return { page, requests, errors };
}

/** The natural width of every image in the page once loaded (0 for one that failed), by its src. */
async function loadedImages(page: Page, selector: string): Promise<Record<string, number>> {
  await page.$$eval(selector, (images) => images.forEach((i) => i.scrollIntoView()));
  await page.waitForFunction((s) => [...document.querySelectorAll<HTMLImageElement>(s)].every((i) => i.complete), {}, selector);
  return page.$$eval(selector, (images) => Object.fromEntries(images.map((i) => [i.getAttribute('src')!, (i as HTMLImageElement).naturalWidth])));
}

describe('the catalog with slide images', () => {
  let dir: string;
  let manifest: Manifest;
  let slides: number;

  // The output folder of a build with `--images png --thumbnail` for one briefing and
  // `--images jpeg --thumbnail` for the other (one with no slide folder): real screenshots of the decks.
  beforeAll(async () => {
    dir = join(project, 'with-images');
    await cp(join(project, 'dist'), dir, { recursive: true });
    manifest = await readManifest(dir);
    const assad = await slideShots(join(dir, 'assad-china-visit.html'), 'png');
    slides = assad.length;
    const files = await Promise.all(assad.map((shot, i) => output(dir, `assad-china-visit/slide-${String(i + 1).padStart(2, '0')}.png`, shot)));
    const images = { path: 'assad-china-visit', size: files.reduce((sum, f) => sum + f.size, 0), sha256: '0'.repeat(64), files };
    Object.assign(manifest.briefings['assad-china-visit']!.outputs, { thumbnail: await output(dir, 'assad-china-visit.png', assad[0]!), images });
    const [panama] = await slideShots(join(dir, 'panama-canal-drought.html'), 'jpeg', 1);
    manifest.briefings['panama-canal-drought']!.outputs.thumbnail = await output(dir, 'panama-canal-drought.jpg', panama!);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeCatalogOf(dir, manifest);
  }, 120_000);

  it('shows the real title slide, sized so the page does not shift, and links every slide image; valid HTML', async () => {
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(await validate(html)).toEqual([]);
    expect(html).toContain('<a class="shot" href="assad-china-visit.html" tabindex="-1" aria-hidden="true"><img src="assad-china-visit.png" alt="" width="1280" height="720" loading="lazy" decoding="async"></a>');
    expect(html).toContain('<img src="panama-canal-drought.jpg" alt="" width="1280" height="720"');
    expect(html).not.toContain('class="thumb"');
    expect(html).toContain(`<summary>Slide images (${slides})</summary>`);
    expect(html).toContain(`<a href="assad-china-visit/slide-${String(slides).padStart(2, '0')}.png">`);
  });

  it('loads its images from file://, asking for nothing outside its folder, and passes axe', async () => {
    const address = pathToFileURL(join(dir, 'index.html')).href;
    const { page, requests, errors } = await openCatalog(address);
    try {
      expect(await loadedImages(page, '.shot img')).toEqual({ 'assad-china-visit.png': 1280, 'panama-canal-drought.jpg': 1280 });
      await page.click('.slides summary');
      const shown = await loadedImages(page, '.slides img');
      expect(Object.values(shown)).toEqual(Array(slides).fill(1280));
      await page.evaluate(await axeSource());
      const violations = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations.map((v) => v.id));
      expect(violations).toEqual([]);
      expect(requests.filter((r) => !r.startsWith(pathToFileURL(dir).href + '/'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('loads its images as watch serves it', async () => {
    const server = new DeckServer(dir);
    const base = await server.listen(0);
    try {
      const { page, requests, errors } = await openCatalog(base);
      try {
        expect(await loadedImages(page, '.shot img')).toEqual({ '/assad-china-visit.png': 1280, '/panama-canal-drought.jpg': 1280 });
        await page.click('.slides summary');
        expect(Object.values(await loadedImages(page, '.slides img'))).toEqual(Array(slides).fill(1280));
        expect(requests.filter((r) => !r.startsWith(base))).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    } finally {
      await server.close();
    }
  });

  it('fits a phone with the slide images open', async () => {
    const { page } = await openCatalog(pathToFileURL(join(dir, 'index.html')).href, 375);
    try {
      await page.click('.slides summary');
      await loadedImages(page, 'img');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      if (process.env.BRIEFDECK_SHOTS) {
        await page.screenshot({ path: join(process.env.BRIEFDECK_SHOTS, 'catalog-375.png'), fullPage: true });
        await page.setViewport({ width: 1280, height: 900 });
        await page.screenshot({ path: join(process.env.BRIEFDECK_SHOTS, 'catalog-1280.png'), fullPage: true });
      }
    } finally {
      await page.close();
    }
  });

  it('shows the miniature for a briefing whose thumbnail file is missing', async () => {
    await rm(join(dir, 'panama-canal-drought.jpg'));
    const html = await catalogPage(dir, manifest);
    expect(html).not.toContain('panama-canal-drought.jpg');
    expect(html.match(/class="thumb"/g)).toHaveLength(1);
    expect(html).toContain('src="assad-china-visit.png"');
  });
});
