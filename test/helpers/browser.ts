// One headless Chromium per test file, found and launched the way briefdeck itself does it.

import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../../src/browser.js';

export { launchBrowser };

export interface WatchedPage {
  page: Page;
  /** Every request other than the deck document itself and data: URLs. */
  requests: string[];
  /** Uncaught exceptions and console errors. */
  errors: string[];
}

/** Opens a page that records every request it makes and every error it raises. */
export async function watchedPage(browser: Browser, documentUrl: string): Promise<WatchedPage> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    const isDeck = url.split('#')[0] === documentUrl.split('#')[0];
    if (!isDeck && !url.startsWith('data:')) {
      requests.push(url);
      void request.abort();
    } else void request.continue();
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, requests, errors };
}
