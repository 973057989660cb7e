// A briefing whose every writable field is hostile (test/_files/hostile/everything.yaml), built
// and opened in real headless Chromium from file://: nothing in it may run, load, or become an
// element; every payload must be shown as the text it is, in the deck, its print view and its PDF.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { build, type BuildResult } from '../src/build.js';
import { launchBrowser, watchedPage, type WatchedPage } from './helpers/browser.js';
import { EXAMPLE, FILES } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

const run = promisify(execFile);
const HOSTILE = join(FILES, 'hostile', 'everything.yaml');

// The payloads, spelled out here so that a change to the fixture cannot quietly weaken the test.
const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SVG = '<svg onload=window.__pwned=1>';
const ATTR = '"><script>window.__pwned=1</script>';
const END_TITLE = '</title><script>window.__pwned=1</script>';
const END_STYLE = '</style><script>window.__pwned=1</script>';
const END_SCRIPT = '</script><script>window.__pwned=1</script>';
const HBS = "{{constructor.constructor('window.__pwned=1')()}}";
const TRIPLE = '{{{x}}}';
const JS_LINK = '[click](javascript:window.__pwned=1)';
const VBS_LINK = '[x](vbscript:msgbox)';
const DATA_LINK = '[x](data:text/html,<script>alert(1)</script>)';
const FILE_LINK = '[x](file:///etc/passwd)';
const IFRAME = '<iframe src="file:///etc/passwd">';
const JS_TEXT = 'javascript:alert(1)';
const CSS = '</style><style>body{display:none}</style>';
const SOURCE_URL = 'https://example.com/?q="><script>window.__pwned=1</script>';

interface Briefing {
  title: string;
  subtitle: string;
  author: string;
  organization: string;
  classification: string;
  summary: string;
  keywords: string[];
  sources: { title: string; publisher: string; url: string }[];
  slides: Record<string, any>[];
}

interface Watch extends WatchedPage {
  /** Whether reveal.js (or its print view) finished setting up; false when it never did. */
  ready: boolean;
  dialogs: string[];
  /** Content-Security-Policy violations: something from the data tried to load or run. */
  violations: () => Promise<string[]>;
}

interface DomReport {
  pwned: unknown;
  scripts: number;
  scriptsWithSrc: number;
  styles: number;
  /** Each <meta> as "name=...", "http-equiv=..." or "charset", and whether it sits in <head>. */
  metas: string[];
  titles: number;
  tags: string[];
  forbidden: string[];
  onAttributes: string[];
  images: { src: string; slide: string | undefined }[];
  badHrefs: string[];
  bodyDisplay: string;
  csp: string | null;
  title: string;
}

/** Runs in the page: everything in the DOM that could have come from the data. */
function inspectDom(): DomReport {
  const all = [...document.querySelectorAll('*')];
  const hrefOk = (href: string | null) => href !== null && /^(https?:|mailto:|#)/i.test(href);
  return {
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.querySelectorAll('script').length,
    scriptsWithSrc: document.querySelectorAll('script[src]').length,
    styles: document.querySelectorAll('style').length,
    metas: [...document.querySelectorAll('meta')].map((m) => {
      const kind = m.hasAttribute('charset') ? 'charset' : m.hasAttribute('http-equiv') ? `http-equiv=${m.getAttribute('http-equiv')}` : `name=${m.getAttribute('name')}`;
      return m.parentElement === document.head ? kind : `outside head: ${kind}`;
    }),
    titles: document.querySelectorAll('title').length,
    tags: [...new Set(all.map((el) => el.localName))].sort(),
    forbidden: [...document.querySelectorAll('iframe, frame, frameset, object, embed, svg, math, link, base, form, input, textarea, select, video, audio, source, template, portal')].map(
      (el) => el.outerHTML.slice(0, 120),
    ),
    onAttributes: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${el.localName} ${a.name}="${a.value}">`)),
    images: [...document.querySelectorAll('img, image, picture')].map((el) => ({
      src: (el.getAttribute('src') ?? el.getAttribute('href') ?? '').slice(0, 40),
      slide: el.closest('section')?.id,
    })),
    badHrefs: [...document.querySelectorAll('a, area')].map((a) => a.getAttribute('href')).filter((h) => !hrefOk(h)).map(String),
    bodyDisplay: getComputedStyle(document.body).display,
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    title: document.querySelector('title')?.textContent ?? '',
  };
}

let browser: Browser;
let out: string;
let built: BuildResult;
let briefing: Briefing;
let hostileUrl: string;
let clean: DomReport;
let deck: Watch;
let page: Page;

async function open(url: string, ready: 'reveal' | 'pdf' = 'reveal'): Promise<Watch> {
  const watched = await watchedPage(browser, url);
  const dialogs: string[] = [];
  watched.page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await watched.page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __violations: string[]; __pdfReady: boolean };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener('pdf-ready', () => (w.__pdfReady = true));
  });
  await watched.page.setViewport({ width: 1280, height: 720 });
  await watched.page.goto(url, { waitUntil: 'load' });
  // A deck broken by its data never gets ready: that fails the tests that need it, not the setup.
  const isReady =
    ready === 'reveal'
      ? () => typeof Reveal !== 'undefined' && Reveal.isReady()
      : () => (window as unknown as { __pdfReady?: boolean }).__pdfReady === true;
  const done = await watched.page.waitForFunction(isReady, { timeout: 15_000 }).then(
    () => true,
    () => false,
  );
  const violations = () => watched.page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
  return { ...watched, ready: done, dialogs, violations };
}

/** The text of every element matching `selector` inside the slide whose id is `id`, in order. */
const texts = (id: string, selector: string) =>
  page.evaluate(
    (id, selector) => [...(document.getElementById(id)?.querySelectorAll(selector) ?? [])].map((el) => el.textContent ?? ''),
    id,
    selector,
  );

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'briefdeck-injection-'));
  briefing = parse(await readFile(HOSTILE, 'utf8')) as Briefing;
  expect((await build({ paths: [EXAMPLE], outDir: out })).ok).toBe(true);
  built = await build({ paths: [HOSTILE], outDir: out, pdf: true });
  hostileUrl = pathToFileURL(join(out, 'everything.html')).href;
  browser = await launchBrowser();
  // The clean example deck is the yardstick: the deck's own scripts, styles and elements.
  const example = await open(pathToFileURL(join(out, 'assad-china-visit.html')).href);
  expect(example.ready).toBe(true);
  clean = await example.page.evaluate(inspectDom);
  await example.page.close();
  deck = await open(hostileUrl);
  page = deck.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('a briefing made only of hostile text', () => {
  it('is a valid briefing: it builds, and prints, with no diagnostics', () => {
    expect(built.error).toBeUndefined();
    expect(built.briefings.map((b) => b.diagnostics)).toEqual([[]]);
    expect(built.ok).toBe(true);
    expect(built.briefings[0]!.slideCount).toBe(13);
  });

  it('loads as a reveal.js deck with the deck policy', async () => {
    expect(deck.ready).toBe(true);
    expect(await page.evaluate(() => Reveal.isReady())).toBe(true);
    expect(await page.evaluate(() => Reveal.getTotalSlides())).toBe(13);
    const report = await page.evaluate(inspectDom);
    expect(report.csp).toMatch(/^default-src 'none';/);
    expect(report.csp).toBe(clean.csp);
  });

  it('runs nothing while every slide and every fragment is shown', async () => {
    const total = await page.evaluate(() => Reveal.getTotalSlides());
    for (let i = 0; i < total; i++) {
      await page.evaluate((i) => Reveal.slide(i, 0, Number.MAX_SAFE_INTEGER), i);
      await new Promise((r) => setTimeout(r, 150));
      expect(await page.evaluate(() => Reveal.getIndices().h)).toBe(i);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    }
    await page.keyboard.press('o');
    await page.keyboard.press('Escape');
    await page.evaluate(() => Reveal.slide(0));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(deck.dialogs).toEqual([]);
    expect(deck.errors).toEqual([]);
    expect(await deck.violations()).toEqual([]);
  });

  it('has no element that came from the data', async () => {
    const report = await page.evaluate(inspectDom);
    expect(report.pwned).toBeUndefined();
    // reveal.js, its notes plugin, its initialization and the fit script.
    expect(clean.scripts).toBe(4);
    expect(report.scripts).toBe(clean.scripts);
    expect(report.scriptsWithSrc).toBe(0);
    expect(report.styles).toBe(clean.styles);
    // The same metadata elements as the example deck (which also has a description, author and keywords).
    expect(report.metas).toEqual(clean.metas);
    expect(report.titles).toBe(1);
    expect(report.forbidden).toEqual([]);
    expect(report.onAttributes).toEqual([]);
    expect(report.badHrefs).toEqual([]);
    expect(report.images).toEqual([{ src: expect.stringMatching(/^data:image\/svg\+xml[;,]/), slide: 'slide-12' }]);
    // Every kind of element is one the templates or Markdown's own marks make.
    const markdown = ['a', 'blockquote', 'code', 'em', 'img', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'ul'];
    expect(report.tags.filter((t) => !clean.tags.includes(t) && !markdown.includes(t))).toEqual([]);
    // The stylesheet payload stayed text: the deck is still displayed.
    expect(report.bodyDisplay).not.toBe('none');
  });

  it('uses the briefing title, literally, as the document title', async () => {
    expect(briefing.title).toBe(END_TITLE);
    expect((await page.evaluate(inspectDom)).title).toBe(END_TITLE);
    expect(await page.title()).toBe(END_TITLE);
    const meta = (name: string) => page.evaluate((name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content'), name);
    expect(await meta('description')).toBe(briefing.summary);
    expect(await meta('author')).toBe(briefing.author);
    expect(await meta('keywords')).toBe(briefing.keywords.join(', '));
  });

  it('shows the title slide and the banners as the text written', async () => {
    expect(await texts('title', '.deck-title')).toEqual([END_TITLE]);
    expect(await texts('title', '.deck-subtitle')).toEqual([`${ATTR} ${SVG}`]);
    expect(await texts('title', '.deck-author')).toEqual([`${IMG} ${HBS}`]);
    expect(await texts('title', '.deck-organization')).toEqual([`${CSS} ${TRIPLE}`]);
    expect(briefing.classification).toBe(`${END_SCRIPT} ${IFRAME} ${JS_TEXT}`);
    const banners = await page.evaluate(() => Reveal.getSlides().map((s) => [...s.querySelectorAll('.banner')].map((b) => b.textContent)));
    for (const pair of banners) expect(pair).toEqual([briefing.classification, briefing.classification]);
    const footers = await page.evaluate(() => [...document.querySelectorAll('.footer-title')].map((f) => f.textContent));
    expect(new Set(footers)).toEqual(new Set([END_TITLE]));
    expect(await texts('agenda', '.agenda-title')).toEqual([SVG]);
  });

  it('shows every slide field as the text written', async () => {
    const s = briefing.slides;
    // summary: a slide title that is exactly a script element, and points of every payload.
    expect(await texts('summary', '.slide-title')).toEqual([SCRIPT]);
    expect(await texts('summary', '.summary-points > li')).toEqual([
      IMG,
      SVG,
      `${ATTR} [1]`,
      `${JS_LINK} ${VBS_LINK} ${FILE_LINK}`,
      // Markdown images are off: the "!" stays, the rest is an ordinary https link.
      `!img ${IFRAME} ${JS_TEXT}`,
      `${HBS} ${TRIPLE} ${CSS}`,
    ]);
    // bullets, with a nested level
    expect(await texts('slide-4', '.slide-title')).toEqual([IMG]);
    expect(await texts('slide-4', 'ul.points > li > ul > li')).toEqual([SVG, DATA_LINK, HBS]);
    const top = await page.evaluate(() => [...document.querySelectorAll('#slide-4 ul.points > li')].map((li) => li.firstChild?.textContent));
    expect(top).toEqual([END_SCRIPT, `${END_TITLE}\n`, s[1]!.points[2]]);
    // section
    expect(await texts('slide-5', '.section-title')).toEqual([SVG]);
    expect(await texts('slide-5', '.section-subtitle')).toEqual([ATTR]);
    // columns
    expect(await texts('slide-6', '.slide-title')).toEqual([ATTR]);
    expect(await texts('slide-6', '.column-heading')).toEqual([END_TITLE, IFRAME, TRIPLE]);
    expect(await texts('slide-6', '.column li')).toEqual([SCRIPT, VBS_LINK]);
    expect(await texts('slide-6', '.column-text')).toEqual([`${CSS} ${FILE_LINK}`, `${IMG} ${JS_TEXT}`]);
    // timeline
    expect(await texts('slide-7', '.slide-title')).toEqual([END_TITLE]);
    expect(await texts('slide-7', '.timeline-date')).toEqual([SCRIPT, HBS, JS_TEXT]);
    expect(await texts('slide-7', '.timeline-text')).toEqual([IMG, END_SCRIPT, JS_LINK]);
    // quote (no title: the outline title is made from the quote)
    expect(await texts('slide-8', '.quote-text')).toEqual([END_STYLE]);
    expect(await texts('slide-8', '.quote-attribution')).toEqual([`${SVG} ${TRIPLE} [1]`]);
    expect(await page.evaluate(() => document.getElementById('slide-8')?.getAttribute('aria-label'))).toBe(`Slide 8 of 13: Quote: ${END_STYLE}`);
    // figures
    expect(await texts('slide-9', '.slide-title')).toEqual([END_STYLE]);
    expect(await texts('slide-9', '.figure-value')).toEqual([SCRIPT, `">${SVG}`, '42']);
    expect(await texts('slide-9', '.figure-label')).toEqual([IMG, HBS, DATA_LINK]);
    // table
    expect(await texts('slide-10', '.slide-title')).toEqual([END_SCRIPT]);
    expect(await texts('slide-10', 'th')).toEqual([SCRIPT, `">${IMG}`, TRIPLE]);
    expect(await texts('slide-10', 'td')).toEqual([SVG, END_TITLE, '7', JS_LINK, IFRAME, '8']);
    expect(await texts('slide-10', '.caption')).toEqual([`${CSS} [2]`]);
    // text: a Markdown block
    expect(await texts('slide-11', '.slide-title')).toEqual([HBS]);
    const prose = (await texts('slide-11', '.prose'))[0]!;
    for (const literal of [SCRIPT, IFRAME, '<div onclick="window.__pwned=1">"><script>window.__pwned=1</script></div>', JS_LINK, VBS_LINK, DATA_LINK, FILE_LINK, '<javascript:window.__pwned=1>', '[reference][evil]', '[JAVASCRIPT][caps]', '[evil]: javascript:window.__pwned=1', CSS, `${HBS} ${TRIPLE}`, JS_TEXT, END_SCRIPT, SVG]) {
      expect(prose).toContain(literal);
    }
    const proseLinks = await page.evaluate(() => [...document.querySelectorAll('#slide-11 .prose a')].map((a) => [a.textContent, a.getAttribute('href')]));
    expect(proseLinks).toEqual([
      ['img', 'https://example.com/x.png'],
      ['https://example.com/ok', 'https://example.com/ok'],
      ['mail', 'mailto:someone@example.com'],
    ]);
    // image: the alt text is an attribute, the caption and credit are text
    expect(await texts('slide-12', '.slide-title')).toEqual([IFRAME]);
    expect(await page.evaluate(() => document.querySelector('#slide-12 img')?.getAttribute('alt'))).toBe(`${ATTR} ${IMG}`);
    expect(await texts('slide-12', '.caption-text')).toEqual([`${SVG} !img`]);
    expect(await texts('slide-12', '.credit')).toEqual([`Credit: ${END_TITLE} ${JS_TEXT}`]);
  });

  it('shows sources as text and links their URL only as written', async () => {
    expect(await texts('sources', '.source-title')).toEqual([`${SCRIPT} ${JS_LINK}`, `${HBS} ${DATA_LINK}`]);
    expect(await texts('sources', '.source-publisher')).toEqual([`${IFRAME} ${CSS}`, `${ATTR} ${SVG}`]);
    expect(briefing.sources[0]!.url).toBe(SOURCE_URL);
    const urls = await page.evaluate(() => [...document.querySelectorAll('#sources a.source-url')].map((a) => [a.textContent, a.getAttribute('href')]));
    expect(urls).toEqual(briefing.sources.map((source) => [source.url, source.url]));
  });

  it('carries every slide note as text', async () => {
    const notes = await page.evaluate(() =>
      Object.fromEntries(Reveal.getSlides().map((s) => [s.id, s.querySelector('aside.notes')?.textContent?.trim() ?? null])),
    );
    expect(notes).toMatchObject({
      summary: `${SCRIPT}\n${JS_LINK} ${IMG}`,
      'slide-4': `${CSS} ${SVG}`,
      'slide-5': `${TRIPLE} ${IFRAME}`,
      'slide-6': ATTR,
      'slide-7': END_TITLE,
      'slide-8': END_SCRIPT,
      'slide-9': IFRAME,
      'slide-10': VBS_LINK,
      'slide-11': `${IMG}\n${DATA_LINK}`,
      'slide-12': `${TRIPLE} ${FILE_LINK}`,
    });
    // Every briefing slide has notes, and reveal.js reads them without making elements of them.
    const briefingSlides = briefing.slides.length;
    expect(Object.values(notes).filter((n) => n !== null)).toHaveLength(briefingSlides);
  });

  it('runs nothing in the speaker view either', async () => {
    await page.evaluate(() => Reveal.slide(2));
    const popup = new Promise<Page | null>((resolve) => browser.once('targetcreated', (t) => resolve(t.page())));
    await page.keyboard.press('s');
    const speaker = await popup;
    expect(speaker).not.toBeNull();
    const dialogs: string[] = [];
    speaker!.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await speaker!.waitForFunction((text) => document.body.innerText.includes(text), { timeout: 15_000 }, JS_LINK);
    // Let the current and upcoming slide previews (the deck again, in frames) load.
    await new Promise((r) => setTimeout(r, 1500));
    for (const frame of speaker!.frames()) {
      expect(await frame.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    }
    expect(speaker!.frames().length).toBeGreaterThan(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await speaker!.close();
  });

  it('made no network or file requests and raised no errors', async () => {
    expect(deck.requests).toEqual([]);
    expect(deck.errors).toEqual([]);
    expect(deck.dialogs).toEqual([]);
    expect(await deck.violations()).toEqual([]);
  });
});

describe('the hostile deck in print view', () => {
  it.each(['?print-pdf', '?print-pdf&showNotes=separate-page'])('runs nothing and makes no element from the data (%s)', async (query) => {
    const printed = await open(`${hostileUrl}${query}`, 'pdf');
    try {
      expect(printed.ready).toBe(true);
      const report = await printed.page.evaluate(inspectDom);
      expect(report.pwned).toBeUndefined();
      expect(report.scripts).toBe(clean.scripts);
      expect(report.forbidden).toEqual([]);
      expect(report.onAttributes).toEqual([]);
      expect(report.badHrefs).toEqual([]);
      expect(report.images).toEqual([{ src: expect.stringMatching(/^data:image\/svg\+xml[;,]/), slide: 'slide-12' }]);
      expect(report.bodyDisplay).not.toBe('none');
      expect(await printed.page.evaluate(() => document.querySelectorAll('.pdf-page').length)).toBe(13);
      expect(await printed.page.evaluate(() => document.querySelector('#summary .slide-title')?.textContent)).toBe(SCRIPT);
      if (query.includes('showNotes')) {
        const notes = await printed.page.evaluate(() => [...document.querySelectorAll('.speaker-notes-pdf')].map((n) => n.textContent ?? ''));
        expect(notes.some((n) => n.includes(`${JS_LINK} ${IMG}`))).toBe(true);
      }
      expect(printed.requests).toEqual([]);
      expect(printed.errors).toEqual([]);
      expect(printed.dialogs).toEqual([]);
      expect(await printed.violations()).toEqual([]);
    } finally {
      await printed.page.close();
    }
  });
});

describe('the hostile deck as a PDF', () => {
  const pdfPath = () => join(out, 'everything.pdf');
  const pdfText = async (page: number) => (await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdfPath(), '-'])).stdout;

  it('has one page per slide and the payloads as plain text on their pages', async () => {
    expect(built.briefings[0]!.pdf).toBeDefined();
    const { stdout } = await run('pdfinfo', [pdfPath()]);
    expect(stdout).toMatch(/^Pages:\s+13$/m);
    expect(stdout).toContain(`Title:           ${END_TITLE}`);
    // Long lines wrap on the page, so text is compared without its whitespace.
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(await pdfText(1))).toContain(squash(END_TITLE));
    const summary = await pdfText(3);
    expect(summary).toContain(SCRIPT);
    expect(summary).toContain('3 / 13');
    for (const point of [IMG, SVG, ATTR, JS_LINK, HBS, CSS]) expect(squash(summary)).toContain(squash(point));
    expect(squash(await pdfText(8))).toContain(squash(END_STYLE));
    expect(squash(await pdfText(13))).toContain(squash(`${SCRIPT} ${JS_LINK}`));
    expect(squash(await pdfText(13))).toContain(squash(SOURCE_URL));
  });
});
