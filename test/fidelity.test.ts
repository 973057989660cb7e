// The browser deck and the PDF must show the same thing: every slide is screenshot in the deck
// and compared with the same page of the PDF, rasterized at the same size. Catches a theme that
// prints differently, missing backgrounds, wrong page sizes and cut-off content.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { launchBrowser } from './helpers/browser.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;
const run = promisify(execFile);

/** Largest share of pixels allowed to differ on a slide (text antialiasing differs a little). */
const TOLERANCE = 0.02;

const BRIEFINGS = [EXAMPLE, join(ROOT, 'briefings', 'panama-canal-drought.yaml'), ...['every-type.yaml', 'aspect-4-3.yaml', 'aspect-16-10.yaml', 'dark-theme.yaml', 'charts.yaml', 'media.yaml'].map((f) => join(FILES, 'valid', f)), join(FILES, 'overflow', 'fits.yaml'), join(FILES, 'continue', 'long.yaml')];

let browser: Browser;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'briefdeck-fidelity-'));
  const result = await build({ paths: BRIEFINGS, outDir: out, pdf: true });
  expect(result.briefings.map((b) => b.pdf !== undefined)).toEqual(BRIEFINGS.map(() => true));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function rasterize(pdf: string, page: number, width: number, height: number): Promise<PNG> {
  const prefix = join(out, `page-${basename(pdf)}-${page}`);
  await run('pdftoppm', ['-f', String(page), '-l', String(page), '-scale-to-x', String(width), '-scale-to-y', String(height), '-png', '-singlefile', pdf, prefix]);
  return PNG.sync.read(await readFile(`${prefix}.png`));
}

describe('deck and PDF look the same', () => {
  it.each(BRIEFINGS.map((f) => [basename(f).replace(/\.\w+$/, '')]))('%s', async (slug) => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(join(out, `${slug}.html`)).href);
      await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
      // The deck fits its slides itself once it is laid out (see fit.ts).
      await page.evaluate(() => window.briefdeckFit);
      const { width, height, total } = await page.evaluate(() => ({ ...Reveal.getComputedSlideSize(), total: Reveal.getTotalSlides() }));
      await page.setViewport({ width, height });
      // Only reveal.js's own navigation chrome differs by design; it is not part of the slide.
      // Fragments are compared shown, not halfway through their fade.
      await page.addStyleTag({ content: '.reveal .controls, .reveal .progress { display: none !important; } .reveal .fragment { transition: none !important; }' });
      await page.evaluate(() => Reveal.configure({ transition: 'none', backgroundTransition: 'none' }));
      const worst: number[] = [];
      for (let i = 0; i < total; i++) {
        await page.evaluate((n) => {
          Reveal.slide(n);
          for (const f of Reveal.getCurrentSlide().querySelectorAll('.fragment')) f.classList.add('visible');
        }, i);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const shot = PNG.sync.read(Buffer.from(await page.screenshot({ type: 'png' })));
        const printed = await rasterize(join(out, `${slug}.pdf`), i + 1, width, height);
        expect([printed.width, printed.height]).toEqual([shot.width, shot.height]);
        const differing = pixelmatch(shot.data, printed.data, null, width, height, { threshold: 0.2 });
        worst.push(differing / (width * height));
      }
      expect(worst.map((r, i) => ({ slide: i + 1, ok: r <= TOLERANCE, differing: `${(r * 100).toFixed(2)}%` })).filter((s) => !s.ok)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
