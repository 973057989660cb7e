// Text widths from the deck's own font files. Without a canvas Vega guesses 0.8 × size per
// character, nearly twice too wide for Source Sans 3: labels get cut and legends spread out.
// Measuring with the same faces the deck embeds makes the layout Vega plans the one shown.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

const require = createRequire(import.meta.url);

/** The family named in every chart's text, quoted: unquoted, the SVG attribute is invalid CSS. */
export const CHART_FONT = "'Source Sans 3', 'DejaVu Sans', sans-serif";

const WEIGHTS = [400, 600, 700] as const;
type Weight = (typeof WEIGHTS)[number];

export interface TextMeasure {
  /** Width in px of a line of text at a size and weight. */
  width(text: string, size: number, weight?: Weight): number;
}

async function face(subset: string, weight: Weight): Promise<Font> {
  const path = require.resolve(`@fontsource/source-sans-3/files/source-sans-3-${subset}-${weight}-normal.woff2`);
  return create(await readFile(path)) as Font;
}

let loading: Promise<TextMeasure> | undefined;

/** The measurer, reading the font files once per process. */
export function textMeasure(): Promise<TextMeasure> {
  return (loading ??= (async () => {
    const faces = await Promise.all(WEIGHTS.map(async (w) => [w, [await face('latin', w), await face('latin-ext', w)]] as const));
    const byWeight = new Map(faces);
    const cache = new Map<string, number>();
    return {
      width(text, size, weight = 400) {
        const key = `${weight}\0${text}`;
        let em = cache.get(key);
        if (em === undefined) {
          const [latin, ext] = byWeight.get(weight)!;
          em = 0;
          // Runs of characters in the same face, so kerning applies within each run.
          let run = '';
          let runFace: Font | undefined;
          const flush = () => {
            if (run !== '' && runFace !== undefined) em! += runFace.layout(run).advanceWidth / runFace.unitsPerEm;
            run = '';
          };
          for (const char of text) {
            const code = char.codePointAt(0)!;
            const found = latin!.hasGlyphForCodePoint(code) ? latin : ext!.hasGlyphForCodePoint(code) ? ext : undefined;
            if (found === undefined) {
              flush();
              em += 0.55; // a face the deck does not embed: about an average glyph
              continue;
            }
            if (found !== runFace) flush();
            runFace = found;
            run += char;
          }
          flush();
          cache.set(key, em);
        }
        return em * size;
      },
    };
  })());
}

/** Vega's font weight (a keyword or a number) as one of the embedded weights. */
export function embeddedWeight(weight: unknown): Weight {
  const n = weight === 'bold' ? 700 : weight === 'normal' || weight === undefined ? 400 : Number(weight);
  return Number.isNaN(n) || n < 550 ? 400 : n < 650 ? 600 : 700;
}
