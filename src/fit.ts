// Fit: no slide may lose content off its edge. Every deck fits itself when it loads, in every view
// (templates/scripts/fit.js), so a deck needs no browser to be built and its PDF is printed from
// exactly what the audience sees. This module reads what a loaded deck chose and says what did
// not fit: an error, or a warning for a slide with `fit: false`.

import type { Page } from 'puppeteer-core';
import type { Diagnostic, Position } from './diagnostics.js';
import type { ContinuationPlans } from './continue.js';
import type { Deck } from './model.js';
import { deckSlideName } from './slide-name.js';

export interface SlideFit {
  /** 1-based slide number in the deck. */
  number: number;
  /** The scale the deck chose (1 when the slide fits as it is). */
  scale: number;
  /** How far the content still runs past the slide's box at that scale, in slide px (0 when it fits). */
  overflow: number;
  /** For a long table or list that cannot fit: the rows (or top-level points) each continued slide takes. */
  continued?: number[];
}

declare global {
  interface Window {
    /** Set by the deck's fit script: what it chose for each slide, once it has fitted them. */
    briefdeckFit?: Promise<SlideFit[]>;
  }
}

/**
 * What a loaded deck chose for each of its slides, once it has fitted them; undefined for a deck
 * without the fit script (a custom deck template that leaves out the deck's scripts).
 */
export async function readFits(page: Page): Promise<SlideFit[] | undefined> {
  return page.evaluate(() => window.briefdeckFit);
}

/**
 * The continuation plans the deck measured, by slide index in the briefing, or undefined when no
 * slide needs continuing.
 */
export function continuationPlans(deck: Deck, fits: readonly SlideFit[]): ContinuationPlans | undefined {
  const plans = new Map<number, number[]>();
  for (const fit of fits) {
    const index = deck.slides[fit.number - 1]?.sourceIndex;
    if (fit.continued !== undefined && index !== undefined) plans.set(index, fit.continued);
  }
  return plans.size === 0 ? undefined : plans;
}

/**
 * Warnings and errors for what did not fit, placed at the slide in the briefing. A slide with a
 * continuation plan is not one when `continuing` (the deck is written again, continued).
 */
export function overflowDiagnostics(
  file: string,
  deck: Deck,
  fits: readonly SlideFit[],
  locate: (index: number) => Position | undefined,
  continuing = false,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const fit of fits) {
    if (fit.overflow === 0 || (continuing && fit.continued !== undefined)) continue;
    const slide = deck.slides[fit.number - 1];
    if (slide === undefined) continue;
    const where = slide.sourceIndex === undefined ? undefined : locate(slide.sourceIndex);
    const name = deckSlideName(slide);
    const optedOut = slide.noFit === true;
    diagnostics.push({
      file,
      ...where,
      severity: optedOut ? 'warning' : 'error',
      rule: 'overflow',
      message: optedOut
        ? `${name} overflows by ${fit.overflow} px (fit: false)`
        : `${name} overflows by ${fit.overflow} px even at ${Math.round(fit.scale * 100)}% text size; shorten or split it`,
    });
  }
  return diagnostics;
}
