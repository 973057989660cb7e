// Fonts: the faces a deck embeds, so that it looks the same on every machine and offline, cut
// down to the characters the deck uses (HarfBuzz, through subset-font) and packed as WOFF. A face
// none of the deck's characters fall in is left out.
//
// Every face keeps its unicode-range, so each character is drawn from exactly one face. Without
// it Chromium drew "A", "B" and the space from the latin-ext face's copies and the rest from the
// latin face, the PDF carried two fonts per weight, and pdf.js split words at every switch.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { sfntToWoff } from './woff.js';

const require = createRequire(import.meta.url);

const SANS = '@fontsource/source-sans-3';
const MONO = '@fontsource/source-code-pro';

/** The faces shipped with briefdeck: a fontsource package, a character subset and a variant. */
const FACES: readonly { pkg: string; subset: string; variant: string }[] = [
  ...['400', '600', '700', '400-italic', '700-italic'].map((variant) => ({ pkg: SANS, subset: 'latin', variant })),
  ...['400', '600', '700'].map((variant) => ({ pkg: SANS, subset: 'latin-ext', variant })),
  { pkg: MONO, subset: 'latin', variant: '400' },
];

/**
 * The OpenType features kept in a subset: those browsers apply by default (HarfBuzz's default
 * set, Latin shapers), and the numeric ones CSS asks for (the base stylesheet uses tabular-nums).
 * Keeping every feature would keep every glyph they reach (small capitals, superiors...) too.
 */
const FEATURES = ['rvrn', 'ccmp', 'locl', 'mark', 'mkmk', 'kern', 'liga', 'clig', 'calt', 'rlig', 'rclt', 'curs', 'frac', 'numr', 'dnom', 'tnum', 'pnum', 'lnum', 'onum'];

/** Characters a deck may show that are not in its markup or styles. */
const ALWAYS = [
  '0123456789', // CSS counters (agenda, summary)
  '\u2026', // text-overflow: ellipsis (banners, footers)
  'Notes \u00b7 slide:', // the heading of a notes page, written at print time (pdf/print.ts)
].join('');

export class FontFace {
  constructor(
    readonly family: string,
    readonly style: string,
    readonly weight: string,
    readonly unicodeRange: string,
    /** The code points of unicodeRange, as inclusive [first, last] pairs. */
    readonly ranges: readonly (readonly [number, number])[],
    /** The face as shipped (WOFF2). */
    readonly source: Buffer,
    readonly file: string,
  ) {}

  covers(codePoint: number): boolean {
    return this.ranges.some(([first, last]) => codePoint >= first && codePoint <= last);
  }

  /** What the face is, for the toolkit's fingerprint: its descriptors and a hash of its file. */
  toJSON(): object {
    const { family, style, weight, unicodeRange } = this;
    return { family, style, weight, unicodeRange, sha256: createHash('sha256').update(this.source).digest('hex') };
  }
}

function parseRanges(unicodeRange: string): [number, number][] {
  return unicodeRange.split(',').map((part) => {
    const [first, last = first] = part.trim().replace(/^U\+/i, '').split('-').map((hex) => parseInt(hex, 16));
    return [first!, last!];
  });
}

/** The CSS file that declares a face (all subsets of one weight and style). */
function cssFileOf(face: (typeof FACES)[number]): string {
  return require.resolve(`${face.pkg}/${face.variant}.css`);
}

/** The files the faces are read from, for the toolkit's stamp. */
export function fontFiles(): string[] {
  return FACES.flatMap((face) => {
    const css = cssFileOf(face);
    return [css, join(dirname(css), 'files', woff2Name(face))];
  });
}

function woff2Name({ pkg, subset, variant }: (typeof FACES)[number]): string {
  const [weight, style = 'normal'] = variant.split('-');
  return `${basename(pkg)}-${subset}-${weight}-${style}.woff2`;
}

export async function loadFontFaces(): Promise<FontFace[]> {
  return Promise.all(
    FACES.map(async (face) => {
      const cssPath = cssFileOf(face);
      const name = woff2Name(face);
      const block = [...(await readFile(cssPath, 'utf8')).matchAll(/@font-face\s*\{([^}]*)\}/g)].map((m) => m[1]!).find((b) => b.includes(`/files/${name})`));
      const descriptor = (key: string) => new RegExp(`${key}:\\s*([^;]+);`).exec(block ?? '')?.[1]?.trim();
      const [family, style, weight, unicodeRange] = ['font-family', 'font-style', 'font-weight', 'unicode-range'].map(descriptor);
      if (!family || !style || !weight || !unicodeRange) throw new Error(`${cssPath}: no complete @font-face for ${name}`);
      const file = join(dirname(cssPath), 'files', name);
      return new FontFace(family, style, weight, unicodeRange, parseRanges(unicodeRange), await readFile(file), file);
    }),
  );
}

/**
 * The characters a deck may draw, from its HTML: the text of its markup and styles (with
 * entities and CSS escapes decoded, scripts left out), each also in upper and lower case (CSS
 * text-transform), and the few a browser adds itself. A superset is harmless; a missing one would
 * be drawn from a system font.
 */
export function deckCharacters(html: string): Set<number> {
  const text = html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ' ')
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => safeChar(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => safeChar(parseInt(dec, 10)))
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => safeChar(parseInt(hex, 16)));
  const chars = new Set<number>();
  for (const c of new Set(text + ALWAYS)) {
    for (const variant of [c, c.toUpperCase(), c.toLowerCase()]) for (const v of variant) chars.add(v.codePointAt(0)!);
  }
  return chars;
}

function safeChar(codePoint: number): string {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '';
}

/** The @font-face rules of a deck: each face it has characters for, subset to them, inline. */
export async function deckFontCss(faces: readonly FontFace[], characters: ReadonlySet<number>): Promise<string> {
  const { default: subsetFont } = await import('subset-font');
  const rules = await Promise.all(
    faces.map(async (face) => {
      const used = [...characters].filter((c) => face.covers(c)).sort((a, b) => a - b);
      if (used.length === 0) return '';
      const sfnt = await subsetFont(face.source, String.fromCodePoint(...used), { targetFormat: 'truetype', keepFeatures: FEATURES });
      const data = sfntToWoff(sfnt).toString('base64');
      return `@font-face{font-family:'${face.family.replace(/^'|'$/g, '')}';font-style:${face.style};font-weight:${face.weight};font-display:block;src:url(data:font/woff;base64,${data}) format('woff');unicode-range:${face.unicodeRange}}`;
    }),
  );
  return rules.filter(Boolean).join('\n');
}
