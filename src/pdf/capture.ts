// Slide images: each slide of a deck opened in print view (print.ts), captured from the same page
// the PDF is printed from, so with the same fit and look. The tab's viewport is the slide size
// (PrintTab.show), and each page is scrolled into it and captured there: capturing beyond the
// viewport would resize the page around every capture (and reveal.js and the deck would see it).

import type { Page } from 'puppeteer-core';
import type { Deck } from '../model.js';
import type { ImageSettings } from '../targets/index.js';
import { timed } from '../timings.js';

/**
 * Runs in the page: gives every print page the full slide height and returns where each is.
 * reveal.js makes print pages a pixel shorter than the slide (so that the PDF breaks no page
 * early), which would leave an image a row short; their heights before are returned to restore.
 */
function layOutPages(height: number): { top: number; height: string }[] {
  const pages = [...document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page')];
  const before = pages.map((page) => page.style.height);
  for (const page of pages) page.style.height = `${height}px`;
  return pages.map((page, i) => ({ top: page.getBoundingClientRect().top + window.scrollY, height: before[i]! }));
}

function restorePages(heights: string[]): void {
  document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page').forEach((page, i) => (page.style.height = heights[i] ?? ''));
  window.scrollTo(0, 0);
}

/**
 * Captures slides `which` (0-based; default every one) of a deck opened in print view, as images
 * at the slide size times the scale. Leaves the page as it found it.
 */
export async function captureSlides(page: Page, deck: Deck, settings: ImageSettings, which?: readonly number[]): Promise<Uint8Array[]> {
  const { width, height } = deck.meta;
  const pages = await page.evaluate(layOutPages, height);
  if (pages.length !== deck.slides.length) {
    await page.evaluate(restorePages, pages.map((p) => p.height));
    throw new Error(`print view laid out ${pages.length} pages for ${deck.slides.length} slides`);
  }
  // Page.captureScreenshot is called as such: Puppeteer's screenshot drops a clip's scale when it
  // captures within the viewport.
  const client = await page.createCDPSession();
  try {
    return await timed('capture', async () => {
      const images: Uint8Array[] = [];
      for (const index of which ?? deck.slides.map((_, i) => i)) {
        const { top } = pages[index]!;
        await page.evaluate((y) => window.scrollTo(0, y), top);
        const { data } = await client.send('Page.captureScreenshot', {
          format: settings.format,
          ...(settings.format === 'jpeg' ? { quality: settings.quality } : {}),
          clip: { x: 0, y: top, width, height, scale: settings.scale },
          captureBeyondViewport: false,
        });
        images.push(Buffer.from(data, 'base64'));
      }
      return images;
    });
  } finally {
    await client.detach().catch(() => undefined);
    await page.evaluate(restorePages, pages.map((p) => p.height));
  }
}
