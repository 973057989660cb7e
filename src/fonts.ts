// Fonts: the faces a deck embeds, so that it looks the same on every machine and offline, cut
// down to the characters the deck uses (HarfBuzz, through subset-font) and packed as WOFF. A face
// none of the deck's characters fall in is left out, and so is the code face in a deck without
// code. Subsets are kept for reuse within a command: decks of one team share most letters.
//
// Every face keeps its unicode-range, so each character is drawn from exactly one face. Without
// it Chromium drew "A", "B" and the space from the latin-ext face's copies and the rest from the
// latin face, the PDF carried two fonts per weight, and pdf.js split words at every switch.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { sfntToWoff, woffToSfnt } from './woff.js';

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
 * The OpenType features a subset keeps: those browsers apply without being asked (HarfBuzz's
 * defaults for Latin), and those the deck's CSS asks for. Keeping every feature would keep every
 * glyph they reach (fractions, old-style figures, small capitals...): a fifth of each subset.
 */
const DEFAULT_FEATURES = ['rvrn', 'ccmp', 'locl', 'mark', 'mkmk', 'kern', 'liga', 'clig', 'calt', 'rlig', 'rclt', 'curs'];

/** CSS keywords (font-variant-*) and the features they turn on. */
const CSS_FEATURES: readonly [RegExp, string[]][] = [
  [/\btabular-nums\b/, ['tnum']],
  [/\bproportional-nums\b/, ['pnum']],
  [/\blining-nums\b/, ['lnum']],
  [/\boldstyle-nums\b/, ['onum']],
  [/\bdiagonal-fractions\b/, ['frac', 'numr', 'dnom']],
  [/\bstacked-fractions\b/, ['afrc', 'numr', 'dnom']],
  [/\bordinal\b/, ['ordn']],
  [/\bslashed-zero\b/, ['zero']],
  [/\ball-small-caps\b/, ['smcp', 'c2sc']],
  [/\bsmall-caps\b/, ['smcp']],
  [/\bpetite-caps\b/, ['pcap']],
  [/\bdiscretionary-ligatures\b/, ['dlig']],
  [/\bhistorical-ligatures\b/, ['hlig']],
  [/font-variant-position\s*:\s*super\b/, ['sups']],
  [/font-variant-position\s*:\s*sub\b/, ['subs']],
];

/** The features a deck's CSS turns on, by keyword or in font-feature-settings. */
export function requestedFeatures(css: string): string[] {
  const features = new Set(DEFAULT_FEATURES);
  for (const [pattern, tags] of CSS_FEATURES) if (pattern.test(css)) for (const tag of tags) features.add(tag);
  for (const [, settings] of css.matchAll(/font-feature-settings\s*:([^;}]*)/g)) {
    for (const [, tag] of settings!.matchAll(/["']([\x20-\x7e]{4})["']/g)) features.add(tag!);
  }
  return [...features].sort();
}

/** Characters a deck may show that are not in its markup or styles. */
const ALWAYS = [
  '0123456789', // CSS counters (agenda, summary)
  '\u2026', // text-overflow: ellipsis (banners, footers)
  'Notes \u00b7 slide:', // the heading of a notes page, written at print time (pdf/print.ts)
].join('');

/** How many subsets of one face a command keeps for reuse (decks of one team share most letters). */
const KEPT_SUBSETS = 64;

export class FontFace {
  private readonly subsets = new Map<string, Promise<string>>();

  constructor(
    readonly family: string,
    readonly style: string,
    readonly weight: string,
    readonly unicodeRange: string,
    /** The code points of unicodeRange, as inclusive [first, last] pairs. */
    readonly ranges: readonly (readonly [number, number])[],
    /** The face as shipped, as an sfnt (TrueType) font. */
    readonly source: Buffer,
    /** Text faces serve every deck; a code face only decks that show code. */
    readonly role: 'text' | 'code',
  ) {}

  covers(codePoint: number): boolean {
    return this.ranges.some(([first, last]) => codePoint >= first && codePoint <= last);
  }

  /** The @font-face rule of this face cut down to `characters` (those it covers, sorted) and `features`. */
  rule(characters: string, features: readonly string[]): Promise<string> {
    const key = `${features.join(',')}:${characters}`;
    let rule = this.subsets.get(key);
    if (rule === undefined) {
      rule = this.subset(characters, features);
      if (this.subsets.size >= KEPT_SUBSETS) this.subsets.delete(this.subsets.keys().next().value!);
      this.subsets.set(key, rule);
    }
    return rule;
  }

  private async subset(characters: string, features: readonly string[]): Promise<string> {
    const { default: subsetFont } = await import('subset-font');
    const sfnt = await subsetFont(this.source, characters, { targetFormat: 'truetype', keepFeatures: [...features] });
    const data = sfntToWoff(sfnt).toString('base64');
    return `@font-face{font-family:'${this.family}';font-style:${this.style};font-weight:${this.weight};font-display:block;src:url(data:font/woff;base64,${data}) format('woff');unicode-range:${this.unicodeRange}}`;
  }

  /** What the face is, for the toolkit's fingerprint: its descriptors and a hash of its file. */
  toJSON(): object {
    const { family, style, weight, unicodeRange, role } = this;
    return { family, style, weight, unicodeRange, role, sha256: createHash('sha256').update(this.source).digest('hex') };
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

function fileName({ pkg, subset, variant }: (typeof FACES)[number]): string {
  const [weight, style = 'normal'] = variant.split('-');
  return `${basename(pkg)}-${subset}-${weight}-${style}`;
}

/** The files the faces are read from, for the toolkit's stamp. */
export function fontFiles(): string[] {
  return FACES.flatMap((face) => {
    const css = cssFileOf(face);
    return [css, join(dirname(css), 'files', `${fileName(face)}.woff`)];
  });
}

export async function loadFontFaces(): Promise<FontFace[]> {
  return Promise.all(
    FACES.map(async (face) => {
      const cssPath = cssFileOf(face);
      const name = fileName(face);
      const block = [...(await readFile(cssPath, 'utf8')).matchAll(/@font-face\s*\{([^}]*)\}/g)].map((m) => m[1]!).find((b) => b.includes(`/files/${name}.woff2)`));
      const descriptor = (key: string) => new RegExp(`${key}:\\s*([^;]+);`).exec(block ?? '')?.[1]?.trim();
      const [family, style, weight, unicodeRange] = ['font-family', 'font-style', 'font-weight', 'unicode-range'].map(descriptor);
      if (!family || !style || !weight || !unicodeRange) throw new Error(`${cssPath}: no complete @font-face for ${name}`);
      const sfnt = woffToSfnt(await readFile(join(dirname(cssPath), 'files', `${name}.woff`)));
      return new FontFace(family.replace(/^'|'$/g, ''), style, weight, unicodeRange, parseRanges(unicodeRange), sfnt, face.pkg === MONO ? 'code' : 'text');
    }),
  );
}

/** Attributes whose values a page can show (an image's alternative text; attr() in CSS). */
const SHOWN_ATTRIBUTE = /^(alt|placeholder|value|label|data-[\w-]+)$/;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
    return safeChar(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
  });
}

function safeChar(codePoint: number): string {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '';
}

/** The body of a deck's HTML without its scripts and styles. */
function bodyMarkup(html: string): string {
  const at = html.search(/<body\b/i);
  return (at < 0 ? html : html.slice(at)).replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ');
}

/** What a stylesheet adds to a deck's fonts: the text of its strings, the features it asks for. */
interface StyleFacts {
  shown: string;
  features: readonly string[];
}

/** Stylesheets are mostly the same from deck to deck (reveal.css, base.css, a theme). */
const styleFacts = new Map<string, StyleFacts>();
const KEPT_STYLES = 32;

function factsOf(css: string): StyleFacts {
  let facts = styleFacts.get(css);
  if (facts === undefined) {
    // String literals: generated content, with CSS escapes (\\201C) decoded.
    const strings = [...css.matchAll(/(["'])((?:\\[\s\S]|(?!\1)[^\\\n])*)\1/g)].map(([, , literal]) =>
      literal!.replace(/\\([0-9a-f]{1,6})\s?|\\([\s\S])/gi, (_, hex: string | undefined, char: string) => (hex ? safeChar(parseInt(hex, 16)) : char)),
    );
    facts = { shown: strings.join(' '), features: requestedFeatures(css) };
    if (styleFacts.size >= KEPT_STYLES) styleFacts.delete(styleFacts.keys().next().value!);
    styleFacts.set(css, facts);
  }
  return facts;
}

/**
 * The characters a deck may draw: the text of its body, the attribute values a page can show,
 * and the string literals of its styles (generated content), with entities and CSS escapes
 * decoded; each in upper and lower case too (CSS text-transform); and the few the browser adds
 * itself. Scripts, markup, URLs and class names are left out. A character left out would be drawn
 * from a system font, so when in doubt a character is in.
 */
export function deckCharacters(html: string, styles: readonly string[]): Set<number> {
  return charactersOf(bodyMarkup(html), styles);
}

function charactersOf(body: string, styles: readonly string[]): Set<number> {
  const shown: string[] = [ALWAYS, ...styles.map((css) => factsOf(css).shown)];
  for (const [part] of body.matchAll(/<[^>]*>?|[^<]+/g)) {
    if (part[0] !== '<') shown.push(decodeEntities(part));
    else for (const [, name, value] of part.matchAll(/\s([\w:-]+)\s*=\s*"([^"]*)"/g)) if (SHOWN_ATTRIBUTE.test(name!)) shown.push(decodeEntities(value!));
  }
  const characters = new Set<number>();
  for (const c of new Set(shown.join(' '))) {
    for (const variant of [c, c.toUpperCase(), c.toLowerCase()]) for (const v of variant) characters.add(v.codePointAt(0)!);
  }
  return characters;
}

/**
 * The @font-face rules of a deck: each face it has characters for, subset to them and to the
 * features its styles ask for, inline; the code face only when the deck shows code (base.css
 * sets code elements in it) or its extra CSS names the mono font. `html` is the rendered deck,
 * `styles` every stylesheet in it, `extraCss` those beyond briefdeck's own.
 */
export async function deckFontCss(faces: readonly FontFace[], html: string, styles: readonly string[], extraCss: readonly string[]): Promise<string> {
  const body = bodyMarkup(html);
  const sorted = [...charactersOf(body, styles)].sort((a, b) => a - b);
  const features = [...new Set(styles.flatMap((css) => factsOf(css).features))].sort();
  const code = /<(code|pre|kbd|samp)\b/i.test(body) || extraCss.some((css) => /mono|Source Code Pro/i.test(css));
  const rules = await Promise.all(
    faces.map((face) => {
      if (face.role === 'code' && !code) return '';
      const used = sorted.filter((c) => face.covers(c));
      return used.length === 0 ? '' : face.rule(String.fromCodePoint(...used), features);
    }),
  );
  return rules.filter(Boolean).join('\n');
}
