// Chart colours: read from the deck's own stylesheets (base, theme, custom theme, brand) so a
// chart wears the theme it sits in, resolved to plain colours at build time (SVG attributes
// cannot use CSS variables), with a colour-blind-safe palette for series.

import { luminance } from '../colour.js';

export interface ChartTheme {
  background: string;
  foreground: string;
  muted: string;
  rule: string;
  accent: string;
  /** One colour per series, in order. */
  palette: string[];
}

/** The last value of each `--bd-*` custom property in the stylesheets, in order. */
export function customProperties(css: readonly string[]): Map<string, string> {
  const props = new Map<string, string>();
  for (const sheet of css) {
    // Only rules for :root (the theme's own), not the ones scoped to a slide kind or print.
    for (const block of sheet.matchAll(/(^|[}\s]):root\s*\{([^}]*)\}/g)) {
      for (const m of block[2]!.matchAll(/--bd-([a-z0-9-]+)\s*:\s*([^;]+?)\s*(?:;|$)/g)) props.set(m[1]!, m[2]!);
    }
  }
  return props;
}

export function resolveColour(props: Map<string, string>, name: string, fallback: string, depth = 0): string {
  const value = props.get(name);
  if (value === undefined || depth > 8) return fallback;
  const ref = /^var\(\s*--bd-([a-z0-9-]+)\s*\)$/.exec(value)?.[1];
  if (ref !== undefined) return resolveColour(props, ref, fallback, depth + 1);
  return /^(#[0-9a-f]{3,8}|[a-z]+)$/i.test(value) ? value : fallback;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a) ?? 0, luminance(b) ?? 0].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

/**
 * Okabe and Ito's palette, told apart with every common colour-vision deficiency, in an order
 * where neighbours differ most. Colours too faint against the slide (under 3:1, the contrast
 * WCAG asks of graphics) are left out; the rest keep the order.
 */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

export function chartTheme(css: readonly string[]): ChartTheme {
  const props = customProperties(css);
  const background = resolveColour(props, 'bg', '#ffffff');
  const foreground = resolveColour(props, 'fg', '#18212f');
  const accent = resolveColour(props, 'accent', foreground);
  const legible = OKABE_ITO.filter((c) => contrast(c, background) >= 3);
  // Darker shades of the faint ones for light slides, so a palette never runs short.
  const palette = legible.length >= 6 ? legible : [...legible, '#8A5A00', '#2B7A9E', '#7A6A00'].slice(0, 6);
  return {
    background,
    foreground,
    muted: resolveColour(props, 'muted', foreground),
    rule: resolveColour(props, 'rule', '#d3d9e2'),
    accent,
    palette,
  };
}
