// Print one deck: open the written HTML in reveal.js's print view, let nothing else load, read
// how the deck fitted its slides, fix what print view leaves wrong for a PDF (aria-hidden slides,
// hash links), and print one page per slide at exactly the slide size.

import { pathToFileURL } from 'node:url';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { readFits, type SlideFit } from '../fit.js';
import type { Deck } from '../model.js';
import { timed } from '../timings.js';

declare global {
  interface Window {
    /** Settles when reveal.js has laid out the print view (its `pdf-ready` event). */
    __briefdeckPdfReady?: Promise<void>;
  }
}

/**
 * Runs in the page: reveal.js's print view leaves aria-hidden on every slide but the first, which
 * empties a tagged PDF and hides the slides from accessibility checks.
 */
export function unhideSlides(): void {
  for (const el of document.querySelectorAll('.reveal [aria-hidden]')) {
    if (el.closest('section') || el.classList.contains('pdf-page')) el.removeAttribute('aria-hidden');
  }
}

/** Runs in the page once print view is ready. */
function prepareForPrint(): void {
  // reveal.js navigates by "#/id"; a PDF links to element ids. Citations go to their source entry.
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href^="#/"]')) {
    const source = a.dataset.source;
    a.setAttribute('href', source ? `#source-${source}` : `#${a.getAttribute('href')!.slice(2)}`);
  }
  // The last page breaks nowhere: no blank page after it.
  const pages = [...document.querySelectorAll<HTMLElement>('.slides > .pdf-page')];
  pages.at(-1)?.style.setProperty('page-break-after', 'auto', 'important');
  pages.at(-1)?.style.setProperty('break-after', 'auto', 'important');
}

function findBlockedSlides(urls: string[]): (number | undefined)[] {
  return urls.map((url) => {
    for (const el of document.querySelectorAll<HTMLElement>('[src], [href], [data-src], [srcset], [poster], [data]')) {
      const attrs = ['src', 'href', 'data-src', 'poster', 'data', 'srcset'].map((a) => el.getAttribute(a));
      const resolved = attrs.map((v) => (v ? new URL(v.split(/\s/)[0]!, document.baseURI).href : ''));
      if (!resolved.includes(url)) continue;
      const slide = el.closest<HTMLElement>('section[data-slide-number]');
      if (slide) return Number(slide.dataset.slideNumber);
    }
    return undefined;
  });
}

/** A deck opened in reveal.js's print view, every slide laid out at its real size and fitted. */
export interface PrintView {
  page: Page;
  /** What the deck's own fit script chose for each slide (undefined: the deck has no such script). */
  fits: SlideFit[] | undefined;
  /** Requests made so far that were blocked, with their slide when known. */
  blocked(): Promise<{ url: string; slide?: number }[]>;
}

/**
 * A browser tab that prints one deck after another. A new tab starts a renderer process, which
 * costs more than printing a deck, so a tab is kept and reused. It may load nothing but the deck
 * it is showing: every other request is blocked and recorded.
 */
export class PrintTab {
  private deckUrl = '';
  private blockedUrls: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(browser: Browser): Promise<PrintTab> {
    // A background tab is never painted on screen: it costs about a third less CPU per deck than
    // a tab in a window of its own (in a shared window only the front tab is visible). It gets no
    // animation frames, though, and reveal.js's print layout waits for some: frames are replaced
    // by tasks there (a print view has nothing to animate).
    const page = await browser.newPage({ background: true });
    const tab = new PrintTab(page);
    try {
      await page.setRequestInterception(true);
      page.on('request', (request: HTTPRequest) => tab.filter(request));
      await page.evaluateOnNewDocument(() => {
        window.requestAnimationFrame = (callback) => window.setTimeout(() => callback(performance.now()), 0);
        window.__briefdeckPdfReady = new Promise((resolve) => document.addEventListener('pdf-ready', () => resolve()));
      });
    } catch (error) {
      await tab.close();
      throw error;
    }
    return tab;
  }

  private filter(request: HTTPRequest): void {
    const url = request.url();
    if (url.startsWith('data:') || url.split(/[?#]/)[0] === this.deckUrl) return void request.continue().catch(() => undefined);
    this.blockedUrls.push(url);
    void request.abort('blockedbyclient').catch(() => undefined);
  }

  /**
   * Opens a written deck in print view and waits until reveal.js has laid out every slide and the
   * deck has fitted them. With `viewport` (the slide size) the tab is sized to it first, as slide
   * images are captured in it (capture.ts); print view lays out the same in any viewport.
   */
  async show(htmlPath: string, options: { timeoutMs: number; viewport?: { width: number; height: number } }): Promise<PrintView> {
    const { page } = this;
    const size = options.viewport;
    const current = page.viewport();
    if (size !== undefined && (current?.width !== size.width || current.height !== size.height)) await page.setViewport(size);
    this.deckUrl = pathToFileURL(htmlPath).href;
    const blockedUrls: string[] = [];
    this.blockedUrls = blockedUrls;
    page.setDefaultTimeout(options.timeoutMs);
    await page.goto(`${this.deckUrl}?print-pdf`, { waitUntil: 'load', timeout: options.timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      const error = new Error(`the deck's print view was not ready after ${options.timeoutMs / 1000} s`);
      error.name = 'TimeoutError';
      timer = setTimeout(() => reject(error), options.timeoutMs);
    });
    const ready = async () => {
      // The fonts are polled, not awaited: Chromium may replace document.fonts.ready when print
      // view restyles the deck, and a promise chained on the old one is collected, never settled.
      await page.evaluate(() =>
        window.__briefdeckPdfReady!.then(
          () => new Promise<void>((resolve) => {
            const check = () => (document.fonts.status === 'loaded' ? resolve() : void setTimeout(check, 10));
            check();
          }),
        ),
      );
      // The deck fits its slides once they are laid out (see fit.ts).
      return readFits(page);
    };
    let fits: SlideFit[] | undefined;
    try {
      fits = await Promise.race([ready(), late]);
    } finally {
      clearTimeout(timer);
    }
    const blocked = async () => {
      const slides = blockedUrls.length > 0 ? await page.evaluate(findBlockedSlides, blockedUrls) : [];
      return blockedUrls.map((url, i) => ({ url, slide: slides[i] }));
    };
    return { page, fits, blocked };
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }
}

/** Prints a deck opened with `PrintTab.show`: one page per slide. */
export async function printPages(view: PrintView, deck: Deck, timeoutMs: number): Promise<Uint8Array> {
  const { page } = view;
  await page.evaluate(unhideSlides);
  await page.evaluate(prepareForPrint);
  const { width, height } = deck.meta;
  return timed('print', () => page.pdf({
    width: `${width}px`,
    height: `${height}px`,
    margin: { top: 0, right: 0, bottom: 0, left: 0 },
    printBackground: true,
    preferCSSPageSize: false,
    tagged: true,
    outline: false,
    timeout: timeoutMs,
  }));
}
