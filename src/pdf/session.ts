// The browser of a command (or of a watch session): launched once, relaunched when it dies, and
// closed whatever happens. It lends out print tabs, kept between decks, since starting a tab costs
// more than printing a deck on it; the first one opens as soon as the browser is up, while the
// first decks still compile.

import type { Browser } from 'puppeteer-core';
import { findBrowser, launchBrowser } from '../browser.js';
import { BriefdeckError } from '../diagnostics.js';
import { timed } from '../timings.js';
import { PrintTab } from './print.js';

/** Why no browser can be found (what to do about it), or undefined when one can. Starts nothing. */
export function whyNoBrowser(executablePath?: string): string | undefined {
  try {
    findBrowser(executablePath);
    return undefined;
  } catch (caught) {
    if (!(caught instanceof BriefdeckError)) throw caught;
    return caught.message;
  }
}

/**
 * Whether an error means the page lost what it was asked for (Chromium collected the promise
 * under load, or the tab's document went away) rather than that the deck is at fault: the job is
 * worth one more try in a fresh tab.
 */
export function isLostPage(error: unknown): boolean {
  return /Promise was collected|Execution context was destroyed|Target closed/.test(String((error as Error)?.message ?? error));
}

export class BrowserSession {
  private browser: Promise<Browser> | undefined;
  private idle: PrintTab[] = [];
  /** Once closed, nothing launches again (a job still running when watch stops, say). */
  private closed = false;
  /** The tab opened with the browser, until a deck takes it. */
  private spare: Promise<PrintTab | undefined> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly executablePath: string) {}

  get(): Promise<Browser> {
    if (this.closed) return Promise.reject(new BriefdeckError('the browser was closed: the command is stopping'));
    if (this.browser === undefined) {
      const launching = launchBrowser({ executablePath: this.executablePath });
      this.browser = launching;
      this.spare = launching.then((b) => timed('tab', () => PrintTab.open(b))).catch(() => undefined);
      launching.then(
        (b) => b.once('disconnected', () => this.browser === launching && (this.browser = undefined)),
        () => this.browser === launching && (this.browser = undefined),
      );
    }
    return this.browser;
  }

  /**
   * Runs `use` with a print tab of the current browser. The tab goes back to the session when
   * `use` succeeds; after a failure it is closed, since its state is unknown.
   */
  async withTab<T>(use: (tab: PrintTab) => Promise<T>): Promise<T> {
    const browser = await this.get();
    let tab: PrintTab | undefined;
    while ((tab = this.idle.pop()) !== undefined && (tab.page.isClosed() || tab.page.browser() !== browser));
    const spare = tab === undefined ? this.spare : undefined;
    if (spare !== undefined) {
      this.spare = undefined;
      const opened = await spare;
      if (opened && !opened.page.isClosed() && opened.page.browser() === browser) tab = opened;
      else await opened?.close();
    }
    tab ??= await timed('tab', () => PrintTab.open(browser));
    let healthy = false;
    try {
      const result = await use(tab);
      healthy = true;
      return result;
    } finally {
      if (healthy && browser.connected && !tab.page.isClosed()) this.idle.push(tab);
      else await tab.close();
    }
  }

  /** Kills the current browser (after a hang) so the next job starts a new one. */
  async kill(): Promise<void> {
    const current = this.browser;
    this.browser = undefined;
    this.idle = [];
    this.spare = undefined;
    const browser = await current?.catch(() => undefined);
    browser?.process()?.kill('SIGKILL');
    await browser?.close().catch(() => undefined);
  }

  /** Closes the browser; a second call while it closes waits for the same close. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.browser;
    this.browser = undefined;
    this.idle = [];
    this.spare = undefined;
    if (current === undefined) return this.closing;
    this.closing = (async () => {
      const browser = await current.catch(() => undefined);
      await timed('close', async () => browser?.close().catch(() => browser.process()?.kill('SIGKILL')));
    })();
    return this.closing;
  }
}
