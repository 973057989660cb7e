// Long content continues instead of failing: a table too long for one slide at the smallest
// readable size goes on over as many slides as it needs (header row repeated, title marked
// "(2/3)"), a list splits only between top-level points, and the numbers, agenda, outline,
// citations and Sources slide follow. The split is measured in the browser at build time, so the
// deck and its PDF split the same way, and a rebuild writes the same bytes.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { runCli, tempProject } from './helpers/cli.js';
import { FILES } from './helpers/paths.js';
import { loadPdf, pdfInfo, pdfText, readOutline } from './helpers/pdf.js';

const LONG = join(FILES, 'continue', 'long.yaml');

interface SlideSeen {
  number: string;
  title: string;
  footer: string;
  header: string[];
  rows: string[];
  points: number;
  citations: string[];
  notes: boolean;
}

let browser: Browser;
let project: string;
let slides: SlideSeen[];

beforeAll(async () => {
  browser = await launchBrowser();
  project = await tempProject({ 'long.yaml': LONG });
  const built = await runCli(['build', 'long.yaml', '--pdf'], project);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(join(project, 'dist', 'long.html')).href);
    slides = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.reveal .slides > section')].map((s) => ({
        number: s.dataset.slideNumber!,
        title: s.querySelector('.slide-title, .section-title, .deck-title')?.textContent ?? '',
        footer: s.querySelector('.footer-number')?.textContent ?? '',
        header: [...s.querySelectorAll('.data-table thead th')].map((th) => th.textContent!),
        rows: [...s.querySelectorAll('.data-table tbody tr')].map((tr) => tr.querySelector('td')!.textContent!),
        points: s.querySelectorAll('.slide-body ul.points > li').length,
        citations: [...s.querySelectorAll('a.citation')].map((a) => a.textContent!),
        notes: s.querySelector('aside.notes') !== null,
      })),
    );
  } finally {
    await page.close();
  }
});

afterAll(async () => {
  await browser?.close();
});

describe('a table too long for one slide', () => {
  it('continues over slides that share its rows, in order, with the header row on each', () => {
    const parts = slides.filter((s) => s.title.startsWith('Daily transit capacity'));
    expect(parts.map((s) => s.title)).toEqual(['Daily transit capacity (1/3)', 'Daily transit capacity (2/3)', 'Daily transit capacity (3/3)']);
    expect(parts.map((s) => s.rows.length)).toEqual([14, 13, 13]);
    expect(parts.flatMap((s) => s.rows)).toEqual(Array.from({ length: 40 }, (_, i) => `Day ${i + 1}`));
    for (const part of parts) expect(part.header).toEqual(['Day', 'Transits', 'Note']);
    // The speaker notes go with the first part only.
    expect(parts.map((s) => s.notes)).toEqual([true, false, false]);
  });
});

describe('a list too long for one slide', () => {
  it('splits between top-level points, never inside one', () => {
    const parts = slides.filter((s) => s.title.startsWith('What shippers said'));
    expect(parts.map((s) => s.title)).toEqual(['What shippers said (1/2)', 'What shippers said (2/2)']);
    expect(parts.map((s) => s.points)).toEqual([9, 9]);
  });
});

describe('the deck around the continued slides', () => {
  it('numbers every slide, links the agenda to the right ones and keeps the citation numbers', () => {
    expect(slides.map((s) => s.number)).toEqual(slides.map((_, i) => String(i + 1)));
    expect(slides.map((s) => s.footer.replace(/\s/g, ''))).toEqual(slides.map((_, i) => (i === 0 ? '' : `${i + 1}/${slides.length}`)));
    expect(slides.length).toBe(11);
    // The first use of [@acp] is in row 4 (the first part), of [@lloyds] in point 8 (the first list part).
    expect(slides.find((s) => s.title === 'Daily transit capacity (1/3)')!.citations).toEqual(['1', '1']);
    expect(slides.find((s) => s.title === 'After the table')!.citations).toEqual(['2', '1']);
  });

  it('prints the same split: one page each, an outline entry each, the agenda pointing past the parts', async () => {
    const pdf = join(project, 'dist', 'long.pdf');
    expect((await pdfInfo(pdf)).Pages).toBe('11');
    const outline = readOutline(await loadPdf(pdf));
    expect(outline.flatMap((e) => [e.title, ...e.children.map((c) => c.title)])).toEqual(slides.map((s) => s.title));
    expect(await pdfText(pdf, 2)).toMatch(/Outlook\s+slide 9/);
    expect(await pdfText(pdf, 5)).toContain('Day 27');
    expect(await pdfText(pdf, 11)).toMatch(/\[1\]\s+Canal authority advisories[\s\S]*\[2\]\s+Shipping list/);
  });

  it('is the same deck and PDF, byte for byte, when built again', async () => {
    const before = await Promise.all(['long.html', 'long.pdf'].map((f) => readFile(join(project, 'dist', f))));
    expect((await runCli(['build', 'long.yaml', '--pdf', '--force'], project)).code).toBe(0);
    const after = await Promise.all(['long.html', 'long.pdf'].map((f) => readFile(join(project, 'dist', f))));
    expect(after[0]!.equals(before[0]!)).toBe(true);
    expect(after[1]!.equals(before[1]!)).toBe(true);
  });
});

describe('continue: false', () => {
  it('keeps the slide whole, and its overflow is the error it always was', async () => {
    const text = await readFile(LONG, 'utf8');
    await writeFile(join(project, 'whole.yaml'), text.replace('    title: Daily transit capacity\n', '    title: Daily transit capacity\n    continue: false\n'));
    const built = await runCli(['build', 'whole.yaml'], project);
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/^whole\.yaml:\d+:5: error: slide 4 \(slides\[1\]\) "Daily transit capacity" overflows by \d+ px even at 70% text size/m);
  });
});
