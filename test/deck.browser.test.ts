// The example deck in real headless Chromium, from file://, driven through reveal.js's own API.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { launchBrowser, watchedPage, type WatchedPage } from './helpers/browser.js';
import { EXAMPLE } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

let browser: Browser;
let deckUrl: string;
let watched: WatchedPage;
let page: Page;

const current = () => page.evaluate(() => ({ index: Reveal.getIndices().h, id: Reveal.getCurrentSlide().id }));

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'briefdeck-deck-'));
  const result = await build({ paths: [EXAMPLE], outDir: out });
  expect(result.ok).toBe(true);
  deckUrl = pathToFileURL(join(out, 'assad-china-visit.html')).href;
  browser = await launchBrowser();
  watched = await watchedPage(browser, deckUrl);
  page = watched.page;
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(deckUrl);
  await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
});

afterAll(async () => {
  await browser?.close();
});

describe('the example deck', () => {
  it('is a reveal.js deck of 14 slides: title, agenda, 11 slides, sources', async () => {
    expect(await page.evaluate(() => Reveal.getTotalSlides())).toBe(14);
    expect(await page.title()).toBe('Assad in China');
    const kinds = await page.evaluate(() => Reveal.getSlides().map((s) => s.getAttribute('data-slide-kind')));
    expect(kinds[0]).toBe('title');
    expect(kinds[1]).toBe('agenda');
    expect(kinds[13]).toBe('sources');
  });

  it('moves with the keyboard and numbers its slides', async () => {
    await page.evaluate(() => Reveal.slide(0));
    await page.keyboard.press('ArrowRight');
    expect(await current()).toEqual({ index: 1, id: 'agenda' });
    await page.keyboard.press('End');
    expect((await current()).id).toBe('sources');
    await page.keyboard.press('Home');
    expect((await current()).index).toBe(0);
    const footer = await page.evaluate(() => Reveal.getSlide(2)?.querySelector('.footer-number')?.textContent);
    expect(footer).toBe('3 / 14');
  });

  it('shows the classification banner at the top and bottom of every slide', async () => {
    const banners = await page.evaluate(() =>
      Reveal.getSlides().map((s) => [...s.querySelectorAll('.banner')].map((b) => b.textContent)),
    );
    for (const pair of banners) expect(pair).toEqual(['UNCLASSIFIED // PUBLIC SOURCES', 'UNCLASSIFIED // PUBLIC SOURCES']);
  });

  it('follows a citation marker to the Sources slide', async () => {
    await page.evaluate(() => Reveal.slide(2));
    await new Promise((r) => setTimeout(r, 400));
    await page.click('section.present a.citation');
    await page.waitForFunction(() => Reveal.getCurrentSlide().id === 'sources');
    const entry = await page.evaluate(() => document.querySelector('#source-article')?.textContent ?? '');
    expect(entry).toContain('[1]');
    expect(entry).toContain('Syrian President Bashar Assad makes his first visit to China');
  });

  it('links agenda entries to their section slides', async () => {
    await page.evaluate(() => Reveal.slide(1));
    await new Promise((r) => setTimeout(r, 400));
    await page.click('section.present ol.agenda li:nth-child(2) a');
    await page.waitForFunction(() => Reveal.getCurrentSlide().querySelector('.section-title')?.textContent === 'Why it matters');
  });

  it('carries speaker notes for reveal.js', async () => {
    const notes = await page.evaluate(() => Reveal.getSlides().map((s) => Reveal.getSlideNotes(s) ?? ''));
    expect(notes[2]).toContain('Open with the four points');
    expect(notes.filter((n) => n.trim() !== '').length).toBeGreaterThanOrEqual(8);
  });

  it('reveals fragment points one at a time', async () => {
    const index = await page.evaluate(() => Reveal.getSlides().findIndex((s) => s.querySelector('li.fragment')));
    await page.evaluate((i) => Reveal.slide(i, 0, -1), index);
    expect(await page.evaluate(() => Reveal.getCurrentSlide().querySelectorAll('.fragment.visible').length)).toBe(0);
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => Reveal.getCurrentSlide().querySelectorAll('.fragment.visible').length)).toBe(1);
  });

  it('opens and closes the overview', async () => {
    await page.keyboard.press('o');
    expect(await page.evaluate(() => Reveal.isOverview())).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => Reveal.isOverview())).toBe(false);
  });

  it('opens the speaker view with the current slide notes, running the notes plugin only then', async () => {
    await page.evaluate(() => Reveal.slide(2));
    // The deck's four scripts: reveal.js, the notes plugin's stand-in, the set-up, the fit script.
    expect(await page.evaluate(() => document.scripts.length)).toBe(4);
    const popup = new Promise<Page | null>((resolve) => browser.once('targetcreated', (t) => resolve(t.page())));
    await page.keyboard.press('s');
    const speaker = await popup;
    expect(speaker).not.toBeNull();
    expect(await page.evaluate(() => document.scripts.length)).toBe(5);
    await speaker!.waitForFunction(() => document.body.innerText.includes('Open with the four points'), { timeout: 15_000 });
    await speaker!.close();
  });

  it('uses its embedded fonts', async () => {
    await page.evaluate(() => document.fonts.ready);
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family));
    expect(loaded).toContain('Source Sans 3');
    const bodyFont = await page.evaluate(() => getComputedStyle(document.querySelector('.reveal')!).fontFamily);
    expect(bodyFont.startsWith('"Source Sans 3"')).toBe(true);
  });

  it('made no network or file requests and raised no errors', () => {
    expect(watched.requests).toEqual([]);
    expect(watched.errors).toEqual([]);
  });
});
