// Targets: the files a build makes of each deck, one module each. The build schedules them and
// keeps the cache; how a format is written is each target's own business. A target is either
// printed by the browser stage from the measured deck (the PDFs) or written here in Node from
// the compiled deck model and the fit the browser measured (the PPTX, and outputs to come).

import { join } from 'node:path';
import type { Deck } from '../model.js';
import { htmlTarget } from './html.js';
import { DEFAULT_IMAGES, imagesTarget, thumbnailTarget, type ImageSettings } from './images.js';
import { notesTarget, pdfTarget } from './pdf.js';
import { pptxTarget } from './pptx.js';

export { DEFAULT_IMAGES, type ImageFormat, type ImageSettings } from './images.js';

/** What a target makes its file from. */
export interface TargetInput {
  deck: Deck;
  /** The deck's stylesheets in order (base, theme, custom theme, brand). */
  css: readonly string[];
  /** The scale each slide fitted to in the browser, by slide number - 1; absent when unmeasured. */
  scales?: readonly number[];
  /** PNGs the browser drew of the deck's SVG and WebP images, by their data URL. */
  pictures?: ReadonlyMap<string, string>;
}

export interface Target {
  /** The name in results, the cache and the config (`pdf`, `pptx`...). */
  kind: TargetKind;
  /** What follows the briefing's name in the output folder (for the images, nothing: a folder). */
  suffix: string | ((images: ImageSettings) => string);
  /** What the CLI says it did: "printed", "wrote". */
  verb: string;
  /** How the file is made: by the browser stage (printed or captured), or by `write` from the model. */
  by: 'deck' | 'browser' | 'node';
  /** Makes the file's bytes (node targets). */
  write?: (input: TargetInput) => Promise<Uint8Array>;
  /** True when the target uses the measured fit, so it is made only once the deck was measured. */
  usesFit?: boolean;
  /** True when the browser must draw some of the deck's pictures for this target. */
  drawsPictures?: (input: TargetInput) => boolean;
}

export type TargetKind = 'html' | 'pdf' | 'notes' | 'pptx' | 'images' | 'thumbnail';
/** Outputs besides the deck, which a build makes only when asked. */
export type ExtraKind = Exclude<TargetKind, 'html'>;
/** Outputs the browser stage makes from the measured deck. */
export type BrowserKind = 'pdf' | 'notes' | 'images' | 'thumbnail';

export const TARGETS: readonly Target[] = [htmlTarget, pdfTarget, notesTarget, pptxTarget, imagesTarget, thumbnailTarget];
export const EXTRA_KINDS: readonly ExtraKind[] = ['pdf', 'notes', 'pptx', 'images', 'thumbnail'];
/** Outputs the browser stage prints or captures, each named in its job by `<kind>Path`. */
export const BROWSER_KINDS = TARGETS.filter((t) => t.by === 'browser').map((t) => t.kind as BrowserKind);

export function target(kind: TargetKind): Target {
  return TARGETS.find((t) => t.kind === kind)!;
}

/** Where each of a briefing's outputs goes. */
export type OutputPaths = Record<TargetKind, string>;

/** A target's name in the output folder. */
export function outputName(t: Target, slug: string, images: ImageSettings = DEFAULT_IMAGES): string {
  return `${slug}${typeof t.suffix === 'string' ? t.suffix : t.suffix(images)}`;
}

export function outputPaths(outDir: string, slug: string, images?: ImageSettings): OutputPaths {
  return Object.fromEntries(TARGETS.map((t) => [t.kind, join(outDir, outputName(t, slug, images))])) as OutputPaths;
}
