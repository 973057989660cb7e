// Slides: each deck slide as native, editable PowerPoint objects, one function per slide kind,
// placed on the grid the deck's stylesheet uses (base.css), with text at the size the deck fitted.

import { luminance } from '../colour.js';
import type * as P from './types.js';
import type { Deck, DeckSlide } from '../model.js';
import { addChart, type NativeChart } from './chart.js';
import { pictureOf, type Pictures } from './pictures.js';
import { inch, LAYOUT, pt } from './look.js';
import { paragraphsOf, runsOf, textOf, type Paragraph } from './runs.js';
import { inlineObjects, textObjects, type TextContext, type TextStyle } from './text.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SlideContext extends TextContext {
  deck: Deck;
  pptx: P.Pptx;
  /** The slide's own content box, below its title, in slide px. */
  body: Box;
  /** PNGs of the deck's SVG and WebP images, drawn by the browser. */
  pictures?: Pictures;
}

type Html = string | { toString(): string } | undefined;
const at = (b: Box) => ({ x: inch(b.x), y: inch(b.y), w: inch(b.w), h: inch(b.h) });
const TEXT = { margin: 0, valign: 'top', fit: 'none', wrap: true } as const;

function text(slide: P.Slide, objects: P.TextProps[], box: Box, extra: P.TextPropsOptions = {}): void {
  if (objects.length > 0) slide.addText(objects, { ...at(box), ...TEXT, ...extra });
}

function para(html: Html, style: TextStyle, ctx: TextContext, box: Box, slide: P.Slide, extra: P.TextPropsOptions = {}): void {
  text(slide, textObjects(paragraphsOf(html), style, ctx), box, extra);
}

function points(items: readonly Html[] | undefined, nested?: readonly (readonly Html[] | undefined)[]): Paragraph[] {
  return (items ?? []).flatMap((item, i) => [{ runs: runsOf(item), level: 1 }, ...(nested?.[i] ?? []).map((sub) => ({ runs: runsOf(sub), level: 2 }))]);
}

function rect(slide: P.Slide, ctx: SlideContext, box: Box, colour: string, line?: string): void {
  slide.addShape(ctx.pptx.ShapeType.rect, { ...at(box), fill: { color: colour }, line: { color: line ?? colour, width: 0.75 } });
}

type Draw = (slide: P.Slide, s: DeckSlide, ctx: SlideContext) => void;
const f = (s: DeckSlide) => s.fields as Record<string, any>;

const DRAW: Record<string, Draw> = {
  title(slide, s, ctx) {
    const { meta } = ctx.deck;
    const { look } = ctx;
    const top = ctx.body.y - 60;
    const w = meta.width - 2 * LAYOUT.padX;
    if (meta.logo) addLogo(slide, meta.logo, { x: LAYOUT.padX, y: top, w: 200, h: 64 }, ctx);
    text(slide, inlineObjects(runsOf(meta.titleHtml), { size: 60, colour: look.fg, bold: true }, { ...ctx, scale: 1 }), { x: LAYOUT.padX, y: top + 90, w, h: 150 }, { valign: 'bottom' });
    const lines: Paragraph[] = [];
    if (meta.subtitle) lines.push({ runs: runsOf(meta.subtitle), level: 0 });
    para(meta.subtitle, { size: 30, colour: look.muted }, { ...ctx, scale: 1 }, { x: LAYOUT.padX, y: top + 250, w, h: 80 }, slide);
    rect(slide, ctx, { x: LAYOUT.padX, y: top + 340, w: 72, h: 5 }, look.accent);
    text(slide, inlineObjects([{ text: meta.dateLabel }], { size: 24, colour: look.fg, bold: true }, ctx), { x: LAYOUT.padX, y: top + 362, w, h: 36 });
    const who = [f(s).author, f(s).organization].filter(Boolean).map((h) => ({ runs: runsOf(h), level: 0 }));
    text(slide, textObjects(who, { size: 24, colour: look.muted }, { ...ctx, scale: 1 }), { x: LAYOUT.padX, y: top + 402, w, h: 80 });
  },
  agenda(slide, s, ctx) {
    const items = (f(s).items ?? []) as { title: Html; number: number }[];
    const objects = items.flatMap((item, i) => {
      const run = textObjects([{ runs: runsOf(item.title), level: 1, numbered: true }], { size: 30, colour: ctx.look.fg }, ctx);
      for (const o of run) o.options = { ...o.options, hyperlink: { slide: item.number, tooltip: `Slide ${item.number}` } };
      if (i < items.length - 1) run.at(-1)!.options!.breakLine = true;
      return run;
    });
    text(slide, objects, ctx.body);
  },
  summary(slide, s, ctx) {
    text(slide, textObjects(points(f(s).points), { size: 28, colour: ctx.look.fg, bullets: true }, ctx), ctx.body);
  },
  bullets(slide, s, ctx) {
    const items = (f(s).points ?? []) as { text: Html; points?: Html[] }[];
    text(slide, textObjects(points(items.map((i) => i.text), items.map((i) => i.points)), { size: 28, colour: ctx.look.fg, bullets: true }, ctx), besideImage(slide, s, ctx));
  },
  section(slide, s, ctx) {
    const { width, height } = ctx.deck.meta;
    slide.background = { color: ctx.look.sectionBg };
    const background = typeof f(s).background === 'string' ? pictureOf(f(s).background as string, ctx.pictures) : undefined;
    if (background !== undefined) {
      // The picture fills the slide under an overlay, so the title reads as on a plain divider.
      slide.background = { data: background.data };
      const light = luminance(`#${ctx.look.sectionFg}`) ?? 0;
      const banner = ctx.deck.meta.classification === undefined ? 0 : LAYOUT.banner;
      slide.addShape(ctx.pptx.ShapeType.rect, { ...at({ x: 0, y: banner, w: width, h: height - 2 * banner }), fill: { color: light > 0.5 ? '080E18' : 'FFFFFF', transparency: light > 0.5 ? 38 : 25 }, line: { type: 'none' } });
    }
    const w = width - 2 * LAYOUT.padX;
    text(slide, inlineObjects(runsOf(s.title), { size: 64, colour: ctx.look.sectionFg, bold: true }, { ...ctx, scale: 1 }), { x: LAYOUT.padX, y: height / 2 - 150, w, h: 160 }, { valign: 'bottom' });
    para(f(s).subtitle, { size: 30, colour: ctx.look.sectionFg }, ctx, { x: LAYOUT.padX, y: height / 2 + 28, w, h: 120 }, slide);
  },
  columns(slide, s, ctx) {
    const cols = (f(s).columns ?? []) as { heading?: Html; points?: Html[]; text?: Html }[];
    const gap = 28;
    const w = (ctx.body.w - gap * (cols.length - 1)) / Math.max(1, cols.length);
    cols.forEach((col, i) => {
      const box = { x: ctx.body.x + i * (w + gap), y: ctx.body.y, w, h: ctx.body.h };
      rect(slide, ctx, box, ctx.look.surface);
      rect(slide, ctx, { ...box, h: 5 }, ctx.look.accent);
      const inner = { x: box.x + 26, y: box.y + 27, w: box.w - 52, h: box.h - 49 };
      const heading: Paragraph[] = col.heading ? [{ runs: runsOf(col.heading), level: 0, heading: true }] : [];
      const body: Paragraph[] = col.points ? points(col.points) : paragraphsOf(col.text);
      text(slide, [...textObjects(heading, { size: 28, colour: ctx.look.fg, bold: true }, ctx).map((o, j, all) => (j === all.length - 1 && body.length ? { ...o, options: { ...o.options, breakLine: true } } : o)), ...textObjects(body, { size: 24, colour: ctx.look.fg, bullets: col.points !== undefined }, ctx)], inner);
    });
  },
  timeline(slide, s, ctx) {
    const events = (f(s).events ?? []) as { date: Html; text: Html }[];
    const row = Math.min(90, ctx.body.h / Math.max(1, events.length));
    const x = ctx.body.x;
    slide.addShape(ctx.pptx.ShapeType.line, { x: inch(x + 228), y: inch(ctx.body.y + 12), w: 0, h: inch(row * events.length - 24), line: { color: ctx.look.rule, width: 2 } });
    events.forEach((e, i) => {
      const y = ctx.body.y + i * row;
      text(slide, inlineObjects(runsOf(e.date), { size: 25, colour: ctx.look.accent, bold: true }, ctx), { x, y, w: 200, h: row });
      slide.addShape(ctx.pptx.ShapeType.ellipse, { x: inch(x + 220), y: inch(y + 10), w: inch(16), h: inch(16), fill: { color: ctx.look.accent }, line: { color: ctx.look.accent, width: 0.75 } });
      text(slide, inlineObjects(runsOf(e.text), { size: 25, colour: ctx.look.fg }, ctx), { x: x + 256, y, w: ctx.body.w - 256, h: row });
    });
  },
  quote(slide, s, ctx) {
    const { body, look } = ctx;
    text(slide, inlineObjects([{ text: '\u201c' }], { size: 150, colour: look.accent, bold: true }, ctx), { x: body.x, y: body.y - 20, w: 100, h: 130 });
    const quote = runsOf(f(s).quote);
    const cite = runsOf(f(s).cite);
    text(slide, inlineObjects([...quote, ...(cite.length ? [{ text: ' ' }, ...cite] : [])], { size: 38, colour: look.fg, italic: true }, ctx), { x: body.x + 90, y: body.y + 20, w: body.w - 90, h: body.h - 110 });
    const by = runsOf(f(s).attribution);
    text(slide, inlineObjects(by.length ? [{ text: '\u2014 ' }, ...by] : [], { size: 24, colour: look.muted, bold: true }, ctx), { x: body.x + 90, y: body.y + body.h - 80, w: body.w - 90, h: 60 });
  },
  figures(slide, s, ctx) {
    const figures = (f(s).figures ?? []) as { value: Html; label: Html }[];
    const perRow = figures.length <= 3 ? figures.length : Math.ceil(figures.length / 2);
    const rows = Math.ceil(figures.length / Math.max(1, perRow));
    const gap = 28;
    const w = (ctx.body.w - gap * (perRow - 1)) / Math.max(1, perRow);
    const h = Math.min(260, (ctx.body.h - gap * (rows - 1)) / rows);
    const size = figures.length >= 4 ? 54 : 64;
    const valueLines = Math.max(...figures.map((fig) => Math.ceil((textOf(fig.value).length * size * ctx.scale * 0.55) / (w - 48))), 1);
    const valueH = valueLines * size * ctx.scale * 1.15;
    figures.forEach((fig, i) => {
      const box = { x: ctx.body.x + (i % perRow) * (w + gap), y: ctx.body.y + Math.floor(i / perRow) * (h + gap), w, h };
      rect(slide, ctx, box, ctx.look.surface);
      text(slide, inlineObjects(runsOf(fig.value), { size, colour: ctx.look.accent, bold: true }, ctx), { x: box.x + 24, y: box.y + 20, w: box.w - 48, h: valueH });
      text(slide, inlineObjects(runsOf(fig.label), { size: 23, colour: ctx.look.fg }, ctx), { x: box.x + 24, y: box.y + 28 + valueH, w: box.w - 48, h: Math.max(40, box.h - 48 - valueH) });
    });
  },
  table(slide, s, ctx) {
    const columns = (f(s).columns ?? []) as { html: Html; numeric: boolean }[];
    const rows = (f(s).rows ?? []) as { html: Html; numeric: boolean }[][];
    const size = 22 * ctx.scale;
    const cell = (html: Html, numeric: boolean, head: boolean): P.TableCell => ({
      text: inlineObjects(runsOf(html), { size: 22, colour: head ? ctx.look.tableHeadFg : ctx.look.fg, bold: head }, ctx),
      options: { align: numeric ? 'right' : 'left', valign: 'top', ...(head ? { fill: { color: ctx.look.tableHeadBg } } : {}) },
    });
    const data = [columns.map((c) => cell(c.html, c.numeric, true)), ...rows.map((r) => r.map((c) => cell(c.html, c.numeric, false)))];
    const caption = runsOf(f(s).caption);
    const tableH = Math.min(ctx.body.h - (caption.length ? 40 : 0), (rows.length + 1) * size * 1.3 * 1.6);
    slide.addTable(data, { ...at({ ...ctx.body, h: tableH }), fontFace: ctx.look.font, fontSize: pt(size), margin: [pt(size * 0.3), pt(size * 0.5), pt(size * 0.3), pt(size * 0.5)], border: { type: 'solid', pt: 0.75, color: ctx.look.rule }, autoPage: false });
    // PowerPoint grows rows to their text, so the caption sits at the foot of the body, clear of them.
    text(slide, inlineObjects(caption, { size: 18, colour: ctx.look.muted }, ctx), { x: ctx.body.x, y: ctx.body.y + ctx.body.h - 32, w: ctx.body.w, h: 32 }, { valign: 'bottom' });
  },
  image(slide, s, ctx) {
    const caption = [...runsOf(f(s).caption), ...(f(s).credit ? [{ text: ' — ' }, ...runsOf(f(s).credit)] : [])];
    const box = { ...ctx.body, h: ctx.body.h - (caption.length ? 50 : 0) };
    placePicture(slide, String(f(s).src ?? ''), String(f(s).alt ?? ''), box, ctx);
    text(slide, inlineObjects(caption, { size: 18, colour: ctx.look.muted }, ctx), { x: ctx.body.x, y: box.y + box.h + 10, w: ctx.body.w, h: 40 });
  },
  text(slide, s, ctx) {
    para(f(s).body, { size: 26, colour: ctx.look.fg }, ctx, besideImage(slide, s, ctx), slide);
  },
  chart(slide, s, ctx) {
    const native = f(s).values as NativeChart | undefined;
    const caption = [...runsOf(f(s).caption), ...(f(s).cite ? [{ text: ' ' }, ...runsOf(f(s).cite)] : [])];
    const box = { ...ctx.body, h: ctx.body.h - (caption.length ? 44 : 0) };
    if (native) addChart(slide, ctx, native, at(box));
    text(slide, inlineObjects(caption, { size: 18, colour: ctx.look.muted }, ctx), { x: ctx.body.x, y: box.y + box.h + 8, w: ctx.body.w, h: 36 });
  },
  sources(slide, s, ctx) {
    const sources = (f(s).sources ?? []) as { number: number; title: Html; publisher?: Html; date?: string; url?: string }[];
    const objects = sources.flatMap((src, i) => {
      const runs = [{ text: `[${src.number}] ` }, ...runsOf(src.title), ...(src.publisher ? [{ text: ', ' }, ...runsOf(src.publisher)] : []), ...(src.date ? [{ text: `, ${src.date}` }] : [])];
      const safe = src.url !== undefined && /^(https?:|mailto:)/i.test(src.url);
      const paraRuns = safe ? [...runs, { text: '. ' }, { text: src.url!, href: src.url! }] : runs;
      const out = textObjects([{ runs: paraRuns, level: 0 }], { size: 20, colour: ctx.look.fg }, ctx);
      if (i > 0) out[0]!.options = { ...out[0]!.options, paraSpaceBefore: pt(10 * ctx.scale) };
      if (i < sources.length - 1) out.at(-1)!.options = { ...out.at(-1)!.options, breakLine: true };
      return out;
    });
    text(slide, objects, ctx.body);
  },
};

/** A picture placed whole inside its box, centred across; its alt text in brackets when PowerPoint cannot show it. */
function placePicture(slide: P.Slide, src: string, alt: string, box: Box, ctx: SlideContext): number {
  const picture = pictureOf(src, ctx.pictures);
  if (picture === undefined) {
    text(slide, inlineObjects([{ text: `[${alt || 'image'}]` }], { size: 22, colour: ctx.look.muted }, ctx), box);
    return box.h;
  }
  const { size } = picture;
  const k = Math.min(box.w / size.width, box.h / size.height);
  const w = size.width * k;
  const h = size.height * k;
  slide.addImage({ data: picture.data, ...at({ x: box.x + (box.w - w) / 2, y: box.y, w, h }), altText: alt });
  return h;
}

/**
 * A bullets or text slide with an image beside its text: the image takes 40% of the body on its
 * side (as in the deck), with its caption under it; returns the box left for the text.
 */
function besideImage(slide: P.Slide, s: DeckSlide, ctx: SlideContext): Box {
  const image = f(s).image as { src?: string; alt?: string; side?: string; caption?: Html; credit?: Html } | undefined;
  if (image?.src === undefined) return ctx.body;
  const gap = 40;
  const w = Math.round(ctx.body.w * 0.4);
  const left = image.side === 'left';
  const caption = [...runsOf(image.caption), ...(image.credit ? [{ text: ' — ' }, ...runsOf(image.credit)] : [])];
  const box = { x: left ? ctx.body.x : ctx.body.x + ctx.body.w - w, y: ctx.body.y, w, h: ctx.body.h - (caption.length ? 50 : 0) };
  const shown = placePicture(slide, image.src, image.alt ?? '', box, ctx);
  // The caption right under the picture, as in the deck.
  if (caption.length) text(slide, inlineObjects(caption, { size: 16, colour: ctx.look.muted }, ctx), { x: box.x, y: box.y + shown + 6, w, h: 44 });
  return { x: left ? ctx.body.x + w + gap : ctx.body.x, y: ctx.body.y, w: ctx.body.w - w - gap, h: ctx.body.h };
}

function addLogo(slide: P.Slide, logo: string, box: Box, ctx: SlideContext): void {
  const picture = pictureOf(logo, ctx.pictures);
  if (picture === undefined) return;
  const { size } = picture;
  const k = Math.min(box.w / size.width, box.h / size.height);
  slide.addImage({ data: picture.data, ...at({ x: box.x, y: box.y, w: size.width * k, h: size.height * k }), altText: 'Logo' });
}

/** A custom slide type: its own string fields as plain text, one paragraph each. */
const custom: Draw = (slide, s, ctx) => {
  const lines = Object.entries(s.fields)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => ({ runs: [{ text: `${k}: `, bold: true }, { text: String(v) }], level: 0 }));
  text(slide, textObjects(lines, { size: 24, colour: ctx.look.fg }, ctx), ctx.body);
};

/** Draws one slide's title (when it has one that the slide kind does not place itself) and body. */
export function drawSlide(slide: P.Slide, s: DeckSlide, ctx: SlideContext, titleBox: Box): void {
  if (s.kind !== 'title' && s.kind !== 'section' && s.title !== undefined) {
    text(slide, inlineObjects(runsOf(s.title), { size: LAYOUT.title, colour: ctx.look.fg, bold: true }, { ...ctx, scale: 1 }), titleBox, { valign: 'bottom' });
    rect(slide, ctx, { x: titleBox.x, y: titleBox.y + titleBox.h + 14, w: 72, h: 5 }, ctx.look.accent);
  }
  (DRAW[s.kind] ?? custom)(slide, s, ctx);
  if (s.notes !== undefined) slide.addNotes(paragraphsOf(s.notes).map((p) => p.runs.map((r) => r.text).join('')).join('\n'));
}

export { textOf };
