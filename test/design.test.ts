// The design a first look asked for, measured in the browser: light slides balanced and set
// larger, the quote centred, the timeline's line through its dots, caption and credit apart,
// reveal.js's arrows and the logo visible on a divider, images beside text, a section over a
// picture that stays legible, and a brand font given as a family.

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luminance } from '../src/colour.js';
import { launchBrowser } from './helpers/browser.js';
import { runCli, tempProject } from './helpers/cli.js';
import { FILES, ROOT } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

let browser: Browser;
let project: string;

beforeAll(async () => {
  browser = await launchBrowser();
  project = await tempProject({ 'every-type.yaml': join(FILES, 'valid', 'every-type.yaml'), 'media.yaml': join(FILES, 'valid', 'media.yaml'), images: join(FILES, 'valid', 'images') });
  const built = await runCli(['build', 'every-type.yaml', 'media.yaml'], project);
  expect(built.stderr).toBe('');
});

afterAll(async () => {
  await browser?.close();
});

async function open(slug: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(pathToFileURL(join(project, 'dist', `${slug}.html`)).href);
  await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
  await page.evaluate(() => window.briefdeckFit);
  await page.evaluate(() => Reveal.configure({ transition: 'none' }));
  return page;
}

/** Shows a slide by id and returns boxes of the elements asked for, in slide px. */
async function boxes(page: Page, id: string, selectors: string[]): Promise<(DOMRect | undefined)[]> {
  return page.evaluate(
    (slideId, sels) => {
      const slide = document.getElementById(slideId)!;
      Reveal.slide(Reveal.getIndices(slide).h);
      const origin = slide.getBoundingClientRect();
      const scale = Reveal.getScale();
      return sels.map((sel) => {
        const el = slide.querySelector(sel);
        if (!el) return undefined;
        const r = el.getBoundingClientRect();
        return { x: (r.x - origin.x) / scale, y: (r.y - origin.y) / scale, width: r.width / scale, height: r.height / scale, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => '' } as DOMRect;
      });
    },
    id,
    selectors,
  );
}

describe('light slides', () => {
  it('keep their title where every slide has it, and sit lower and larger than a full slide', async () => {
    const page = await open('every-type');
    try {
      const fits = await page.evaluate(async () => (await window.briefdeckFit)!.map((f) => f.scale));
      // The three-row table and the short text take larger type; nothing is below 70%.
      expect(fits[9]).toBeGreaterThan(1);
      expect(fits[12]).toBeGreaterThan(1);
      const titles = await Promise.all(['slide-7', 'slide-10', 'slide-13'].map((id) => boxes(page, id, ['.slide-title', '.slide-body > :first-child'])));
      expect(new Set(titles.map(([title]) => Math.round(title!.y))).size).toBe(1);
      // The table's first row no longer hugs the title: the content is balanced in the space.
      const [title, table] = titles[1]!;
      expect(table!.y - (title!.y + title!.height)).toBeGreaterThan(80);
    } finally {
      await page.close();
    }
  });

  it('centre a quote on the slide, and run the timeline line through the middle of its dots', async () => {
    const page = await open('every-type');
    try {
      const [quote] = await boxes(page, 'slide-8', ['.quote']);
      expect(Math.abs(quote!.y + quote!.height / 2 - 360)).toBeLessThan(24);
      const centres = await page.evaluate(() => {
        const slide = document.getElementById('slide-7')!;
        Reveal.slide(Reveal.getIndices(slide).h);
        const event = slide.querySelector('.timeline-event')!;
        const marker = event.querySelector('.timeline-marker')!.getBoundingClientRect();
        const line = getComputedStyle(event, '::before');
        // The line's box is in the timeline's own px, which the slide's fitted scale zooms.
        const zoom = Number(getComputedStyle(slide).getPropertyValue('--bd-fit') || 1) * Reveal.getScale();
        const centre = event.getBoundingClientRect().left + (parseFloat(line.left) + parseFloat(line.width) / 2) * zoom;
        return { marker: (marker.left + marker.width / 2) / zoom, line: centre / zoom };
      });
      expect(Math.abs(centres.marker - centres.line)).toBeLessThanOrEqual(1);
    } finally {
      await page.close();
    }
  });
});

describe('an image', () => {
  it('has its caption and its credit apart, on screen and for a screen reader', async () => {
    const html = await readFile(join(project, 'dist', 'every-type.html'), 'utf8');
    expect(html).toContain('<span class="caption-text">Output per week, in thousands of parcels</span> <span class="credit"><span class="credit-label">Credit:</span> Operations analytics team</span>');
    const page = await open('every-type');
    try {
      const [caption, credit] = await boxes(page, 'slide-11', ['.caption-text', '.credit']);
      expect(credit!.y).toBeGreaterThanOrEqual(caption!.y + caption!.height - 1);
    } finally {
      await page.close();
    }
  });

  it('sits beside bullets or text at about 40% of the width, on the side asked', async () => {
    const page = await open('media');
    try {
      const [right, rightText] = await boxes(page, 'slide-4', ['.media-figure', '.media-text']);
      expect(right!.width / (right!.width + rightText!.width)).toBeCloseTo(0.4, 1);
      expect(right!.x).toBeGreaterThan(rightText!.x);
      const [left, leftText] = await boxes(page, 'slide-5', ['.media-figure', '.media-text']);
      expect(left!.x).toBeLessThan(leftText!.x);
      expect(await page.$eval('#slide-4 .media-figure img', (img) => img.getAttribute('alt'))).toBe('Bar chart of repaired wall length rising each month');
    } finally {
      await page.close();
    }
  });
});

describe('a section divider', () => {
  it('shows reveal.js arrows and the logo in colours that stand out from it', async () => {
    const page = await open('media');
    try {
      const seen = await page.evaluate(() => {
        const slide = document.getElementById('slide-6')!;
        Reveal.slide(Reveal.getIndices(slide).h);
        const arrows = getComputedStyle(document.querySelector('.reveal .controls')!).color;
        return { arrows, bg: getComputedStyle(slide).backgroundColor, plate: getComputedStyle(slide.querySelector('.footer-logo')!).backgroundColor };
      });
      expect(seen.arrows).not.toBe(seen.bg);
      expect(seen.arrows).toBe('rgb(255, 255, 255)');
      expect(seen.plate).toBe('rgb(255, 255, 255)');
    } finally {
      await page.close();
    }
  });

  it('over a picture keeps its title legible: white on the overlay passes WCAG AA even over a white picture', async () => {
    const css = await readFile(join(ROOT, 'templates', 'styles', 'base.css'), 'utf8');
    const [r, g, b, a] = /--bd-section-overlay: rgba\((\d+), (\d+), (\d+), ([\d.]+)\)/.exec(css)!.slice(1).map(Number) as [number, number, number, number];
    // The worst picture is a white one: the overlay composited over white.
    const over = [r, g, b].map((c) => Math.round(c * a + 255 * (1 - a)));
    const hex = `#${over.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    const contrast = (1.05) / (luminance(hex)! + 0.05);
    expect(contrast).toBeGreaterThanOrEqual(4.5);
    const page = await open('media');
    try {
      const shown = await page.evaluate(() => {
        const slide = document.getElementById('slide-3')!;
        return { img: slide.querySelector('.section-background img')?.getAttribute('src')?.slice(0, 19), title: getComputedStyle(slide.querySelector('.section-title')!).color };
      });
      expect(shown).toEqual({ img: 'data:image/svg+xml;', title: 'rgb(255, 255, 255)' });
    } finally {
      await page.close();
    }
  });
});

describe('a brand font given as a family', () => {
  it('embeds its upright faces, and its italic ones only in a deck with italic text', async () => {
    const dir = await tempProject();
    await mkdir(join(dir, 'fonts'));
    const files = join(ROOT, 'node_modules', '@fontsource', 'source-sans-3', 'files');
    for (const [face, name] of [['400-normal', 'regular'], ['700-normal', 'bold'], ['400-italic', 'italic'], ['700-italic', 'bold-italic']]) {
      await copyFile(join(files, `source-sans-3-latin-${face}.woff2`), join(dir, 'fonts', `${name}.woff2`));
    }
    const brand = 'brand:\n  font:\n    regular: fonts/regular.woff2\n    bold: fonts/bold.woff2\n    italic: fonts/italic.woff2\n    bold-italic: fonts/bold-italic.woff2\n';
    await writeFile(join(dir, 'upright.yaml'), `title: Plain\ndate: 2024-01-01\n${brand}slides:\n  - type: bullets\n    title: Only upright\n    points: [One, Two]\n`);
    await writeFile(join(dir, 'italic.yaml'), `title: Leaning\ndate: 2024-01-01\n${brand}slides:\n  - type: bullets\n    title: Some italic\n    points: [One *two*]\n`);
    const built = await runCli(['build', 'upright.yaml', 'italic.yaml'], dir);
    expect(built.stderr).toBe('');
    const faces = async (slug: string) => {
      const page = await browser.newPage();
      try {
        await page.goto(pathToFileURL(join(dir, 'dist', `${slug}.html`)).href);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        return await page.evaluate(() => [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Brand').map((f) => `${f.weight} ${f.style}`).sort());
      } finally {
        await page.close();
      }
    };
    expect(await faces('upright')).toEqual(['400 normal', '700 normal']);
    expect(await faces('italic')).toEqual(['400 italic', '400 normal', '700 italic', '700 normal']);
  });
});
