// PDFs printed by real Chromium and read back with poppler and pdf-lib: pages, sizes, text,
// fonts, metadata, outline, links, determinism, the notes handout.

import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { PDFBool, PDFDict, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { xmpPacket } from '../src/pdf/xmp.js';
import { EXAMPLE, FILES } from './helpers/paths.js';
import { loadPdf, pdfFonts, pdfInfo, pdfText, readLinks, readOutline } from './helpers/pdf.js';

const run = promisify(execFile);
const ASPECT_4_3 = join(FILES, 'valid', 'aspect-4-3.yaml');
const ASPECT_16_10 = join(FILES, 'valid', 'aspect-16-10.yaml');

let out: string;
let result: BuildResult;
const examplePdf = () => join(out, 'assad-china-visit.pdf');

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'briefdeck-pdf-'));
  result = await build({ paths: [EXAMPLE, ASPECT_4_3, ASPECT_16_10], outDir: out, pdf: true });
});

describe('the example briefing as a PDF', () => {
  it('is built with no diagnostics', () => {
    expect(result.error).toBeUndefined();
    expect(result.briefings.map((b) => b.diagnostics)).toEqual([[], [], []]);
    expect(result.ok).toBe(true);
  });

  it('has one 960x540 pt page per slide (16:9 at 1280x720 px)', async () => {
    const info = await pdfInfo(examplePdf());
    expect(info.Pages).toBe('14');
    expect(info['Page size']).toBe('960 x 540 pts');
  });

  it('keeps text as text on the right pages', async () => {
    expect(await pdfText(examplePdf(), 1)).toContain('Assad in China');
    const summary = await pdfText(examplePdf(), 3);
    expect(summary).toContain('Bottom line');
    expect(summary).toContain('UNCLASSIFIED // PUBLIC SOURCES');
    expect(summary).toContain('3 / 14');
    expect(await pdfText(examplePdf(), 14)).toContain('Syrian President Bashar Assad makes his first visit to China');
  });

  it('embeds every font', async () => {
    const fonts = await pdfFonts(examplePdf());
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);
    expect(fonts.every((f) => f.name.includes('SourceSans3'))).toBe(true);
  });

  it('carries the briefing as metadata, dated by the briefing', async () => {
    const info = await pdfInfo(examplePdf());
    expect(info).toMatchObject({
      Title: 'Assad in China',
      Author: 'briefdeck example, Open-source analysis desk',
      Creator: expect.stringMatching(/^briefdeck \d+\.\d+\.\d+$/),
      CreationDate: '2023-09-25T00:00:00Z',
      ModDate: '2023-09-25T00:00:00Z',
      Tagged: 'yes',
    });
    expect(info.Subject).toMatch(/^Bashar Assad's first visit to China in nearly two decades/);
    expect(info.Keywords).toContain('Xi Jinping');
  });

  it('says the same in XMP, names its language, and shows its title in a reader\'s window', async () => {
    const info = await pdfInfo(examplePdf());
    const doc = await loadPdf(examplePdf());
    const stream = doc.catalog.lookup(PDFName.of('Metadata'));
    expect(stream).toBeInstanceOf(PDFRawStream);
    const xmp = Buffer.from((stream as PDFRawStream).contents).toString('utf8');
    const field = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xmp)?.[1];
    const items = (name: string) => [...(field(name) ?? '').matchAll(/<rdf:li[^>]*>([^<]*)<\/rdf:li>/g)].map((m) => m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(items('dc:title')).toEqual([info.Title]);
    expect(items('dc:creator')).toEqual([info.Author]);
    expect(items('dc:description')).toEqual([info.Subject]);
    expect(items('dc:subject')).toEqual(info.Keywords!.split(', '));
    expect(items('dc:subject')).toContain('Xi Jinping');
    expect(items('dc:language')).toEqual(['en']);
    expect(field('pdf:Keywords')).toBe(info.Keywords);
    expect(field('pdf:Producer')).toBe(info.Producer);
    expect(field('xmp:CreatorTool')).toBe(info.Creator);
    expect([field('xmp:CreateDate'), field('xmp:ModifyDate')]).toEqual([info.CreationDate, info.ModDate]);
    expect((await run('pdfinfo', ['-meta', examplePdf()])).stdout).toContain('<dc:format>application/pdf</dc:format>');
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('en');
    expect(doc.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))).toBe(PDFBool.True);
  });

  it('has an outline of the slides, nested under their sections', async () => {
    const outline = readOutline(await loadPdf(examplePdf()));
    const titles = (nodes: typeof outline): unknown[] => nodes.map((n) => (n.children.length ? [n.title, titles(n.children)] : n.title));
    expect(titles(outline)).toEqual([
      'Assad in China',
      'Agenda',
      'Bottom line',
      ['The visit', ['The road to Hangzhou', 'What happened in Hangzhou', 'What the two sides committed to', 'The visit at a glance']],
      ['Why it matters', ['Quote: The visit holds immense symbolic power, reflected in the…', 'Economic recovery was a key topic', "China's stance on Syria", 'Outlook']],
      'Sources',
    ]);
    expect(outline.map((n) => n.page)).toEqual([0, 1, 2, 3, 8, 13]);
    expect(outline[3]!.children.map((n) => n.page)).toEqual([4, 5, 6, 7]);
  });

  it('links citation markers to the Sources page and agenda entries to their slides', async () => {
    const doc = await loadPdf(examplePdf());
    expect(readLinks(doc, 2)).toEqual(['page:13', 'page:13', 'page:13', 'page:13']);
    expect(readLinks(doc, 1)).toEqual(['page:3', 'page:8']);
  });

  it('is byte-identical when rebuilt', async () => {
    const again = await mkdtemp(join(tmpdir(), 'briefdeck-pdf-again-'));
    const rebuilt = await build({ paths: [EXAMPLE], outDir: again, pdf: true });
    expect(rebuilt.ok).toBe(true);
    const [a, b] = await Promise.all([readFile(examplePdf()), readFile(join(again, 'assad-china-visit.pdf'))]);
    expect(a.equals(b)).toBe(true);
  });
});

describe('rebuilding with nothing to do', () => {
  it('keeps the PDF and starts no browser (none is even looked for)', async () => {
    const before = await readFile(examplePdf());
    const result = await build({ paths: [EXAMPLE], outDir: out, pdf: { executablePath: '/nonexistent/chromium' } });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.briefings.map((b) => [b.skipped, b.pdf !== undefined])).toEqual([[true, true]]);
    expect((await readFile(examplePdf())).equals(before)).toBe(true);
  });
});

describe('other aspects', () => {
  it.each([
    ['aspect-4-3', '720 x 540 pts'],
    ['aspect-16-10', '864 x 540 pts'],
  ])('%s prints pages of %s, one per slide', async (name, size) => {
    const info = await pdfInfo(join(out, `${name}.pdf`));
    const deck = result.briefings.find((b) => b.slug === name)!;
    expect(info['Page size']).toBe(size);
    expect(Number(info.Pages)).toBe(deck.slideCount);
  });
});

describe('the notes handout', () => {
  it('shows every slide as a vector picture from the slides PDF with its notes under it, pages shared, numbered and bannered, none blank', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'briefdeck-notes-'));
    await copyFile(EXAMPLE, join(dir, 'deck.yaml'));
    const handout = await build({ paths: [join(dir, 'deck.yaml')], outDir: dir, pdf: { notes: true } });
    expect(handout.ok).toBe(true);
    const pdf = join(dir, 'deck.notes.pdf');
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toMatch(/^595\.\d+ x 842\.\d+ pts \(A4\)$/);
    const pages = Number(info.Pages);
    // 14 slides share pages: fewer pages than slides, and no page without a slide on it.
    expect(pages).toBeLessThan(14);
    const doc = await loadPdf(pdf);
    // Each slide is drawn from the slides PDF as a form XObject (pdf-lib names them so), once.
    const pictures = doc.getPages().map((page) => {
      const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
      return (xobjects?.keys() ?? []).filter((key) => key.asString().startsWith('/EmbeddedPdfPage')).length;
    });
    expect(pictures.reduce((a, b) => a + b, 0)).toBe(14);
    expect(pictures.every((count) => count > 0)).toBe(true);
    const briefing = await readFile(EXAMPLE, 'utf8');
    const notes = [...briefing.matchAll(/^ {4}notes: (?:\|\n {6})?(.+)$/gm)].map((m) => m[1]!.replace(/[*_]/g, '').slice(0, 30));
    expect(notes.length).toBe(9);
    const text: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const onPage = await pdfText(pdf, page);
      text.push(onPage);
      expect(onPage).toContain(`Page ${page} of ${pages}`);
      expect(onPage.match(/UNCLASSIFIED \/\/ PUBLIC SOURCES/g)?.length).toBeGreaterThanOrEqual(2);
    }
    const all = text.join('\n').replace(/\s+/g, ' ');
    for (const note of notes) expect(all).toContain(note.replace(/\s+/g, ' '));
    // The outline leads to the page of each slide's picture.
    const outline = readOutline(doc);
    expect(outline[0]!.page).toBe(0);
    expect(outline.at(-1)!.page).toBe(pages - 1);
  });
});

describe('the XMP packet', () => {
  it('escapes text and leaves out what XML cannot hold', () => {
    const xmp = xmpPacket({ title: 'R&D <plans> "now"\u0007', keywords: ['a&b'], lang: 'en', creator: 'c', producer: 'p', date: '2024-01-02T00:00:00Z' });
    expect(xmp).toContain('<rdf:li xml:lang="x-default">R&amp;D &lt;plans&gt; &quot;now&quot;</rdf:li>');
    expect(xmp).toContain('<dc:subject><rdf:Bag><rdf:li>a&amp;b</rdf:li></rdf:Bag></dc:subject>');
    expect(xmp).not.toContain('\u0007');
    expect(xmp).not.toContain('<dc:creator>');
  });
});
