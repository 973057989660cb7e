// Pictures PowerPoint cannot show by themselves: SVG and WebP images are drawn by the browser
// that measures the deck, at twice the largest size the deck places them, and kept as PNGs for the
// PPTX (an SVG goes in as itself too, with the PNG as its fallback). The browser's drawing is the
// deck's own, and the same on every build with the same browser.

import type { Page } from 'puppeteer-core';
import { sha256 } from '../cache.js';
import type { Deck } from '../model.js';
import { imageSize, type Size } from './image.js';

/** PNG data URLs by the image's own data URL. */
export type Pictures = ReadonlyMap<string, string>;

const NEEDS_PNG = /^data:image\/(?:svg\+xml|webp)[;,]/;

export function needsPng(src: string): boolean {
  return NEEDS_PNG.test(src);
}

/** Whether a deck has images that the PPTX needs the browser to draw as PNGs. */
export function hasPicturesToDraw(deck: Deck): boolean {
  const logo = deck.meta.logo ?? '';
  return needsPng(logo) || deck.slides.some((s) => slideImages(s.fields).some(needsPng));
}

/** The images a slide shows: an image slide's, one beside text, a section's background. */
export function slideImages(fields: Record<string, unknown>): string[] {
  const { src, image, background } = fields as { src?: unknown; image?: { src?: unknown }; background?: unknown };
  return [src, image?.src, background].filter((v): v is string => typeof v === 'string');
}

/**
 * Runs in the page: each distinct SVG or WebP image as a PNG. A WebP at its own pixels; an SVG at
 * twice the largest size the PPTX can place it (the slide, keeping its shape), which is at least
 * twice the size the deck shows it at.
 */
function drawInPage(slide: { width: number; height: number }): Promise<[string, string][]> {
  const wanted = /^data:image\/(?:svg\+xml|webp)[;,]/;
  const found = new Map<string, HTMLImageElement>();
  for (const img of document.querySelectorAll<HTMLImageElement>('img[src^="data:image/"]')) {
    const src = img.getAttribute('src')!;
    if (wanted.test(src) && !found.has(src)) found.set(src, img);
  }
  return Promise.all(
    [...found].map(async ([src, img]): Promise<[string, string]> => {
      await img.decode().catch(() => undefined);
      const natural = { w: img.naturalWidth || img.offsetWidth || 300, h: img.naturalHeight || img.offsetHeight || 150 };
      const k = src.startsWith('data:image/webp') ? 1 : Math.min(4096 / Math.max(natural.w, natural.h), 2 * Math.min(slide.width / natural.w, slide.height / natural.h));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(natural.w * k));
      canvas.height = Math.max(1, Math.round(natural.h * k));
      canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
      return [src, canvas.toDataURL('image/png')];
    }),
  );
}

/** Draws the deck's SVG and WebP images as PNGs in the page that shows it. */
export async function drawPictures(page: Page, deck: Deck): Promise<Pictures> {
  return new Map(await page.evaluate(drawInPage, { width: deck.meta.width, height: deck.meta.height }));
}

const SVG_BASE64 = /^data:image\/svg\+xml;base64,/;

/**
 * An image as PowerPoint takes it: PNG, JPEG and GIF as they are; an SVG as itself (its PNG is
 * put in as its fallback when the package is finished); a WebP as its PNG. Undefined when the
 * browser drew no PNG for it (the deck was written without one).
 */
export function pictureOf(src: string, pictures: Pictures | undefined): { data: string; size: Size } | undefined {
  if (!needsPng(src)) {
    const size = imageSize(src);
    return size && { data: src.replace(/^data:/, ''), size };
  }
  const png = pictures?.get(src);
  const size = png === undefined ? undefined : imageSize(png);
  if (png === undefined || size === undefined) return undefined;
  return { data: (SVG_BASE64.test(src) ? src : png).replace(/^data:/, ''), size };
}

/** The PNG for each SVG picture, by the SVG file's SHA-256, for the package's fallbacks. */
export function svgFallbacks(pictures: Pictures | undefined): Map<string, Uint8Array> {
  const base64 = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  return new Map([...(pictures ?? [])].filter(([src]) => SVG_BASE64.test(src)).map(([src, png]) => [sha256(base64(src)), base64(png)]));
}
