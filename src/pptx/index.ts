// PPTX: a compiled deck as an editable PowerPoint file. One slide per deck slide, drawn with
// native objects (slides.ts) on a slide master that carries the banners, the footer and the slide
// number, so a slide the recipient adds has them too; text at the size the deck fitted to. The
// package is mended and made the same on every build (package.ts). Loaded only when asked for.

import type * as P from './types.js';
import type { Deck } from '../model.js';
import { version } from '../version.js';
import { inch, LAYOUT, lookOf, pt, type PptxLook } from './look.js';
import { finishPackage } from './package.js';
import { svgFallbacks, type Pictures } from './pictures.js';
import { drawSlide, type Box } from './slides.js';

export interface PptxInput {
  deck: Deck;
  /** The deck's stylesheets in order (base, theme, custom theme, brand): its colours and fonts. */
  css: readonly string[];
  /** The scale each slide fitted to (by slide number - 1); 1 where unknown. */
  scales?: readonly number[];
  /** PNGs of the deck's SVG and WebP images, drawn by the browser; without them those show their alt text. */
  pictures?: Pictures;
}

const MASTER = 'BRIEFDECK';

function defineMaster(pptx: P.Pptx, deck: Deck, look: PptxLook): void {
  const { meta } = deck;
  const w = meta.width;
  const h = meta.height;
  const banner = meta.classification !== undefined ? LAYOUT.banner : 0;
  const objects: P.MasterProps['objects'] = [];
  if (meta.classification !== undefined) {
    for (const y of [0, h - LAYOUT.banner]) {
      objects.push({ rect: { x: 0, y: inch(y), w: inch(w), h: inch(LAYOUT.banner), fill: { color: look.bannerBg } } });
      objects.push({ text: { text: meta.classification.toUpperCase(), options: { x: 0, y: inch(y), w: inch(w), h: inch(LAYOUT.banner), margin: 0, align: 'center', valign: 'middle', bold: true, fontSize: pt(15), fontFace: look.font, color: look.bannerFg, charSpacing: 1 } } });
    }
  }
  const footerY = h - banner - LAYOUT.footer;
  objects.push({ line: { x: inch(LAYOUT.padX), y: inch(footerY), w: inch(w - 2 * LAYOUT.padX), h: 0, line: { color: look.rule, width: 0.75 } } });
  const footer = { y: inch(footerY + 6), h: inch(LAYOUT.footer - 10), margin: 0, valign: 'middle', fontSize: pt(16), fontFace: look.font, color: look.muted } as const;
  objects.push({ text: { text: meta.title, options: { ...footer, x: inch(LAYOUT.padX), w: inch(w - 2 * LAYOUT.padX - 320), bold: true } } });
  objects.push({ text: { text: meta.dateLabel, options: { ...footer, x: inch(w - LAYOUT.padX - 300), w: inch(240), align: 'right' } } });
  pptx.defineSlideMaster({
    title: MASTER,
    background: { color: look.bg },
    objects,
    slideNumber: { x: inch(w - LAYOUT.padX - 50), y: inch(footerY + 6), w: inch(50), h: inch(LAYOUT.footer - 10), fontSize: pt(16), fontFace: look.font, color: look.muted, align: 'right', margin: 0 },
  });
}

/** The title's box: one line, or two for a long title (measured roughly, as the deck wraps). */
function titleBox(deck: Deck, title: string): Box {
  const banner = deck.meta.classification !== undefined ? LAYOUT.banner : 0;
  const w = deck.meta.width - 2 * LAYOUT.padX;
  const lines = Math.min(2, Math.max(1, Math.ceil((title.length * LAYOUT.title * 0.5) / w)));
  return { x: LAYOUT.padX, y: banner + LAYOUT.padTop, w, h: Math.round(lines * LAYOUT.title * 1.2) };
}

async function newPresentation(): Promise<P.Pptx> {
  // Its CommonJS build under NodeNext: the class is the module's default (or the default's default).
  const mod = (await import('pptxgenjs')) as unknown as { default: { default?: unknown } };
  const Ctor = (mod.default.default ?? mod.default) as new () => P.Pptx;
  return new Ctor();
}

export async function writePptx(input: PptxInput): Promise<Buffer> {
  const { deck } = input;
  const { meta } = deck;
  const look = lookOf(input.css, meta);
  const pptx = await newPresentation();
  pptx.defineLayout({ name: 'BRIEFDECK', width: inch(meta.width), height: inch(meta.height) });
  pptx.layout = 'BRIEFDECK';
  pptx.title = meta.title;
  pptx.theme = { headFontFace: look.font, bodyFontFace: look.font };
  defineMaster(pptx, deck, look);
  const sourcesSlide = deck.slides.find((s) => s.kind === 'sources')?.number;
  const banner = meta.classification !== undefined ? LAYOUT.banner : 0;
  for (const s of deck.slides) {
    const slide = pptx.addSlide({ masterName: MASTER });
    const title = titleBox(deck, s.outlineTitle);
    const top = s.title === undefined ? banner + LAYOUT.padTop : title.y + title.h + 14 + LAYOUT.rule + LAYOUT.headerGap;
    const body = { x: LAYOUT.padX, y: top, w: meta.width - 2 * LAYOUT.padX, h: meta.height - banner - LAYOUT.footer - 12 - top };
    const scale = input.scales?.[s.number - 1] ?? 1;
    drawSlide(slide, s, { deck, pptx, look, scale, body, ...(input.pictures ? { pictures: input.pictures } : {}), ...(sourcesSlide === undefined ? {} : { sourcesSlide }) }, title);
  }
  const written = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array;
  return finishPackage(written, {
    title: meta.title,
    ...(meta.description ? { subject: meta.description } : {}),
    ...(meta.author || meta.organization ? { author: meta.author ?? meta.organization! } : {}),
    ...(meta.organization ? { company: meta.organization } : {}),
    keywords: meta.keywords,
    date: meta.date,
    lang: meta.lang,
    generator: `briefdeck ${version()}`,
  }, svgFallbacks(input.pictures));
}
