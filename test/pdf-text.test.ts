// Text in the PDF reads as the slide's words in every viewer: pdf.js (Firefox's viewer, and many
// web apps) and poppler extract, page by page, exactly the words the slide shows in the deck.
// Letter-spacing, a letter drawn from a second copy of a font, text printed out of order or in
// a group of its own each made pdf.js split or join words ("UNCL A SSIFIED", "SOURCESHangzhou").

import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { launchBrowser } from './helpers/browser.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';

const run = promisify(execFile);

const VALID = join(FILES, 'valid');
const BRIEFINGS = [EXAMPLE, ...readdirSync(VALID).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(VALID, f))];
const slugOf = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.\w+$/, '');

/** pdf.js, as Node loads it (the legacy build). */
async function pdfjs() {
  return import('pdfjs-dist/legacy/build/pdf.mjs');
}

/** Each page's text items as pdf.js extracts them: a string, and whether a line ends after it. */
async function pdfjsItems(path: string): Promise<{ str: string; hasEOL: boolean }[][]> {
  const { getDocument } = await pdfjs();
  const doc = await getDocument({ data: new Uint8Array(await readFile(path)), verbosity: 0, useSystemFonts: false }).promise;
  try {
    const pages: { str: string; hasEOL: boolean }[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { items } = await (await doc.getPage(n)).getTextContent();
      pages.push(items.flatMap((item) => ('str' in item ? [{ str: item.str, hasEOL: item.hasEOL }] : [])));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/**
 * A page's text as pdf.js's viewer searches it: the items joined as they come, with a line break
 * where pdf.js ends a line (pdf_find_controller.js). With `separator`, as a program that joins the
 * items with spaces reads it: then an item boundary inside a word splits the word.
 */
function joinItems(items: { str: string; hasEOL: boolean }[], separator = ''): string {
  return items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join(separator);
}

/** Each page's text as poppler reads it (pdftotext, keeping the layout). */
async function popplerPages(path: string, count: number): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
  return stdout.split('\f').slice(0, count);
}

/**
 * Words as a viewer's whole-word search sees them: runs of letters and digits, anything else
 * between them a boundary. (So poppler's "2/5" for "2 / 5", a URL broken after a hyphen and a
 * citation's brackets do not count; "UNCL A SSIFIED" and "SOURCESHangzhou" do.)
 */
function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

/**
 * The differences between the words a page shows and the words read from it, as readable lines.
 * Numbers CSS generates (list counters) are on the page but not in the slide's text: extra numbers
 * are allowed, missing ones are not.
 */
function wordDiff(expected: string[], actual: string[]): string[] {
  const count = (list: string[]) => list.reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const got = count(actual);
  const problems: string[] = [];
  for (const [word, n] of want) if ((got.get(word) ?? 0) < n) problems.push(`missing "${word}"`);
  for (const [word, n] of got) if (!/^\d+$/.test(word) && (want.get(word) ?? 0) < n) problems.push(`unexpected "${word}"`);
  return problems;
}

let browser: Browser;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'briefdeck-pdf-text-'));
  const result = await build({ paths: BRIEFINGS, outDir: out, pdf: true });
  expect(result.briefings.map((b) => [b.file, b.pdf !== undefined])).toEqual(BRIEFINGS.map((f) => [expect.stringContaining(slugOf(f)), true]));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The text of each page of a deck's print view, as the browser shows it (text-transform applied). */
async function slideTexts(slug: string): Promise<string[]> {
  const page = await browser.newPage();
  try {
    await page.evaluateOnNewDocument(() => {
      (window as unknown as { ready: Promise<void> }).ready = new Promise((resolve) => document.addEventListener('pdf-ready', () => resolve()));
    });
    await page.goto(`${pathToFileURL(join(out, `${slug}.html`)).href}?print-pdf`);
    const { texts, outside } = await page.evaluate(async () => {
      await (window as unknown as { ready: Promise<void> }).ready;
      const pages = [...document.querySelectorAll<HTMLElement>('.slides > .pdf-page')];
      // Text drawn at no size (a chart's data table, scaled to nothing for screen readers) is in
      // innerText but not printed: blank it, judged by each text node's own boxes, then read. Only
      // the chart's table may be so: any other text at no size is a fault, reported below.
      const range = document.createRange();
      const unprinted: Text[] = [];
      for (const p of pages) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!(node as Text).data.trim()) continue;
          range.selectNodeContents(node);
          const rects = [...range.getClientRects()];
          if (rects.length > 0 && rects.every((r) => r.width === 0 || r.height === 0)) unprinted.push(node as Text);
        }
      }
      const outside = unprinted.filter((node) => !node.parentElement?.closest('.chart-data')).map((node) => node.data);
      for (const node of unprinted) node.data = '';
      return { texts: pages.map((p) => p.innerText), outside };
    });
    expect(outside, "text drawn at no size, outside a chart's screen-reader table").toEqual([]);
    return texts;
  } finally {
    await page.close();
  }
}

describe('every page reads as the words of its slide', () => {
  it.each(BRIEFINGS.map((f) => [slugOf(f)]))('%s, in pdf.js (as searched, and item by item) and in poppler', async (slug) => {
    const pdf = join(out, `${slug}.pdf`);
    const expected = await slideTexts(slug);
    const [items, byPoppler] = [await pdfjsItems(pdf), await popplerPages(pdf, expected.length)];
    expect(items).toHaveLength(expected.length);
    const problems = expected.flatMap((text, i) => [
      ...wordDiff(words(text), words(joinItems(items[i]!))).map((p) => `page ${i + 1}, pdf.js: ${p}`),
      ...wordDiff(words(text), words(joinItems(items[i]!, ' '))).map((p) => `page ${i + 1}, pdf.js items: ${p}`),
      ...wordDiff(words(text), words(byPoppler[i]!)).map((p) => `page ${i + 1}, poppler: ${p}`),
    ]);
    expect(problems).toEqual([]);
  });

  it('reads the example the way the issue found it broken, now whole', async () => {
    const pages = (await pdfjsItems(join(out, 'assad-china-visit.pdf'))).map((page) => joinItems(page));
    expect(pages[2]).toContain('UNCLASSIFIED // PUBLIC SOURCES');
    expect(pages[2]).toContain('Bottom line');
    expect(pages[2]).toContain('BOTTOM LINE UP FRONT');
    expect(pages[2]).toContain('seeking to rebuild ties after\nyears of isolation [1]');
    expect(pages[3]).not.toMatch(/SOURCES\S/);
  });

  it('compares words, so a split or joined word fails', () => {
    expect(wordDiff(words('UNCLASSIFIED // PUBLIC'), words(joinItems([{ str: 'UNCL', hasEOL: false }, { str: 'A', hasEOL: false }, { str: 'SSIFIED // PUBLIC', hasEOL: false }], ' ')))).toEqual(['missing "UNCLASSIFIED"', 'unexpected "UNCL"', 'unexpected "A"', 'unexpected "SSIFIED"']);
    expect(wordDiff(words('SOURCES Hangzhou, and'), words('SOURCESHangzhou, and'))).toEqual(['missing "SOURCES"', 'missing "Hangzhou"', 'unexpected "SOURCESHangzhou"']);
    expect(wordDiff(words('members joined [1]'), words('members joined1'))).toEqual(['missing "joined"', 'missing "1"', 'unexpected "joined1"']);
    expect(wordDiff(words('isolation [1]'), words('isolation [ ]1 4'))).toEqual([]);
  });
});

describe('letter-spaced text', () => {
  it('keeps every pair of capitals and digits together in pdf.js, at every letter-spacing the stylesheet uses', async () => {
    const css = await readFile(join(ROOT, 'templates', 'styles', 'base.css'), 'utf8');
    const spacings = [...new Set([...css.matchAll(/letter-spacing:\s*([\d.]+)em/g)].map((m) => Number(m[1])))].filter((s) => s > 0);
    expect(spacings.length).toBeGreaterThan(0);
    const deck = await readFile(join(out, 'assad-china-visit.html'), 'utf8');
    const fonts = [...deck.matchAll(/<style>(@font-face[\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    // One word per first letter, holding every pair that letter starts: "AAABAC...A9".
    const pairs = [...alphabet].map((a) => [...alphabet].map((b) => a + b).join(''));
    const blocks = spacings.flatMap((em) => [15, 18].flatMap((px) => ['400', '600', '700'].map((weight) => `<p style="letter-spacing:${em}em;font-size:${px}px;font-weight:${weight}">${pairs.join(' ')}</p>`)));
    const file = join(out, 'letter-spacing.html');
    await writeFile(file, `<!DOCTYPE html><meta charset="utf-8"><style>${fonts} body{font-family:'Source Sans 3';font-kerning:normal;text-rendering:optimizeLegibility;width:1200px}</style>${blocks.join('')}`);
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.evaluate(() => document.fonts.ready);
      await writeFile(join(out, 'letter-spacing.pdf'), await page.pdf({ width: '1280px', height: '3000px' }));
    } finally {
      await page.close();
    }
    const text = (await pdfjsItems(join(out, 'letter-spacing.pdf'))).map((page) => joinItems(page, ' ')).join('\n');
    expect(wordDiff(blocks.flatMap(() => pairs), words(text))).toEqual([]);
  });
});
