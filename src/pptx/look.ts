// Look: the deck's theme and brand as PowerPoint takes them: plain colours (hex without '#') read
// from the deck's own stylesheets, font names (a PPTX names its fonts but cannot carry them), and
// the slide's geometry: a deck slide is 720 px high, so one px is 1/96 inch and 0.75 pt.

import { chartTheme, customProperties, resolveColour } from '../chart/theme.js';
import type { DeckMeta } from '../model.js';

export interface PptxLook {
  bg: string;
  fg: string;
  muted: string;
  accent: string;
  accentFg: string;
  surface: string;
  rule: string;
  link: string;
  sectionBg: string;
  sectionFg: string;
  tableHeadBg: string;
  tableHeadFg: string;
  bannerBg: string;
  bannerFg: string;
  /** One colour per chart series, never short (PowerPoint would pick random ones). */
  palette: string[];
  font: string;
  mono: string;
}

/** `#abc` or `#aabbcc` (or a few names) as PowerPoint's `AABBCC`. */
export function hex(colour: string): string {
  const named: Record<string, string> = { white: 'FFFFFF', black: '000000', transparent: 'FFFFFF' };
  const c = colour.trim().toLowerCase();
  if (named[c]) return named[c];
  const m = /^#([0-9a-f]{3,8})$/.exec(c);
  if (!m) return '000000';
  const h = m[1]!;
  return (h.length <= 4 ? [...h.slice(0, 3)].map((x) => x + x).join('') : h.slice(0, 6)).toUpperCase();
}

/** The first family of a CSS font stack. */
function firstFamily(stack: string | undefined, fallback: string): string {
  const first = stack?.split(',')[0]?.trim().replace(/^['"]|['"]$/g, '');
  return first && /^[\w .-]+$/.test(first) ? first : fallback;
}

export function lookOf(css: readonly string[], meta: DeckMeta): PptxLook {
  const props = customProperties(css);
  const colour = (name: string, fallback: string) => hex(resolveColour(props, name, fallback));
  const level = meta.classificationLevel;
  const chart = chartTheme(css);
  return {
    bg: colour('bg', '#ffffff'),
    fg: colour('fg', '#18212f'),
    muted: colour('muted', '#556070'),
    accent: colour('accent', '#1f4e8c'),
    accentFg: colour('accent-fg', '#ffffff'),
    surface: colour('surface', '#f4f6f9'),
    rule: colour('rule', '#d5dbe3'),
    link: colour('link', '#1f4e8c'),
    sectionBg: colour('section-bg', '#1f4e8c'),
    sectionFg: colour('section-fg', '#ffffff'),
    tableHeadBg: colour('table-head-bg', '#1f4e8c'),
    tableHeadFg: colour('table-head-fg', '#ffffff'),
    bannerBg: colour(level ? `banner-${level}-bg` : 'banner-bg', '#2f3b4c'),
    bannerFg: colour(level ? `banner-${level}-fg` : 'banner-fg', '#ffffff'),
    palette: chart.palette.map(hex),
    font: firstFamily(props.get('font'), 'Source Sans 3'),
    mono: firstFamily(props.get('font-mono'), 'Source Code Pro'),
  };
}

/** Slide px to inches (a slide is 720 px and 7.5 in high). */
export const inch = (px: number): number => Math.round((px / 96) * 10000) / 10000;
/** CSS px to points, rounded to the half point PowerPoint shows. */
export const pt = (px: number): number => Math.round(px * 0.75 * 2) / 2;

/** Sizes from templates/styles/base.css, in slide px. */
export const LAYOUT = { padX: 64, padTop: 36, banner: 28, footer: 40, title: 44, headerGap: 28, rule: 5, body: 28 } as const;
