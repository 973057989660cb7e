// Fit: no slide may lose content off its edge. In the print view (where every slide is laid out
// at its real size, as in the PDF), measure how far each slide's content runs past its box; a
// slide that overflows is scaled down in steps to a readable minimum. What still overflows is an
// error; a slide with `fit: false` is only measured.

import type { Page } from 'puppeteer';
import type { Diagnostic, Position } from './diagnostics.js';
import type { Deck } from './model.js';
import { deckSlideName } from './slide-name.js';

/** Scales tried, largest first; the last is the smallest that stays readable (28 px text at 20 px). */
export const FIT_STEPS = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7] as const;

export interface SlideFit {
  /** 1-based slide number in the deck. */
  number: number;
  /** The chosen scale (1 when the slide fits as it is). */
  scale: number;
  /** How far the content still runs past the slide's box at that scale, in px (0 when it fits). */
  overflow: number;
}

/** Runs in the page (print view): measures each slide, trying smaller scales where allowed. */
export function measureSlides(steps: readonly number[]): SlideFit[] {
  const overflowOf = (section: Element): number => {
    const body = section.querySelector('.slide-body');
    const main = section.querySelector('.slide-main');
    if (!body || !main) return 0;
    const box = body.getBoundingClientRect();
    const frame = main.getBoundingClientRect();
    let over = Math.max(0, main.scrollHeight - main.clientHeight);
    for (const el of body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      over = Math.max(over, r.bottom - box.bottom, box.top - r.top, r.right - frame.right, frame.left - r.left);
      // A table cell or figure whose own content is wider than the cell (a long unbroken word).
      if ((el.tagName === 'TD' || el.tagName === 'TH' || el.tagName === 'DT') && el.scrollWidth > el.clientWidth + 1) {
        over = Math.max(over, el.scrollWidth - el.clientWidth);
      }
    }
    // Inline boxes may reach a pixel or two past their line (font ascent); that is not overflow.
    return over > 2 ? Math.ceil(over) : 0;
  };
  const fits: SlideFit[] = [];
  for (const section of document.querySelectorAll<HTMLElement>('.reveal .slides section.slide')) {
    const number = Number(section.dataset.slideNumber);
    const allowed = section.dataset.fit !== 'off';
    let scale = 1;
    let overflow = overflowOf(section);
    for (const step of steps.slice(1)) {
      if (overflow === 0 || !allowed) break;
      section.style.setProperty('--bd-fit', String(step));
      section.classList.add('fitted');
      scale = step;
      overflow = overflowOf(section);
    }
    fits.push({ number, scale, overflow });
  }
  return fits;
}

export async function fitSlides(page: Page): Promise<SlideFit[]> {
  return page.evaluate(measureSlides, FIT_STEPS);
}

/** Records the chosen scales in the deck model, so the written deck and its PDF match. */
export function applyFits(deck: Deck, fits: readonly SlideFit[]): boolean {
  let changed = false;
  for (const fit of fits) {
    const slide = deck.slides[fit.number - 1];
    if (slide === undefined || (slide.fit ?? 1) === fit.scale) continue;
    slide.fit = fit.scale;
    changed = true;
  }
  return changed;
}

/** Warnings and errors for what did not fit, placed at the slide in the briefing. */
export function overflowDiagnostics(
  file: string,
  deck: Deck,
  fits: readonly SlideFit[],
  locate: (index: number) => Position | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const fit of fits) {
    if (fit.overflow === 0) continue;
    const slide = deck.slides[fit.number - 1]!;
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
