// Continue: a long table or list that cannot fit one slide goes on over several, by a plan the
// deck itself measured in the browser (templates/scripts/fit.js): how many rows, or top-level
// points, each slide takes. A table repeats its header row on every slide; a list is split only
// between top-level points; every slide's title is marked "(2/3)". Pure: deck slides in, deck
// slides out, before they are numbered, so numbers, the agenda and the outline follow.

import Handlebars from 'handlebars';
import type { DeckSlide } from './model.js';

/** Rows (or top-level points) per slide, by the slide's index in the briefing's `slides`. */
export type ContinuationPlans = ReadonlyMap<number, readonly number[]>;

/** What a slide continues by, if it may: a table by its rows, a bullets list by its points. */
export function continuesBy(type: string, optOut: boolean): 'rows' | 'points' | undefined {
  if (optOut) return undefined;
  return type === 'table' ? 'rows' : type === 'bullets' ? 'points' : undefined;
}

type Unnumbered = Omit<DeckSlide, 'number'>;

/** The slides with each planned one replaced by its continued slides. */
export function continueSlides(slides: readonly Unnumbered[], plans: ContinuationPlans): Unnumbered[] {
  if (plans.size === 0) return [...slides];
  return slides.flatMap((slide) => {
    const plan = slide.sourceIndex === undefined ? undefined : plans.get(slide.sourceIndex);
    const key = slide.continues === 'rows' ? 'rows' : slide.continues === 'points' ? 'points' : undefined;
    const units = key === undefined ? undefined : (slide.fields[key] as unknown[] | undefined);
    if (plan === undefined || key === undefined || units === undefined || plan.reduce((a, b) => a + b, 0) !== units.length || plan.length < 2) return [slide];
    let start = 0;
    return plan.map((size, i) => {
      const part = units.slice(start, (start += size));
      const mark = `(${i + 1}/${plan.length})`;
      const { continues: _continues, notes, ...rest } = slide;
      return {
        ...rest,
        id: i === 0 ? slide.id : `${slide.id}-${i + 1}`,
        title: new Handlebars.SafeString(`${slide.title ?? ''} <span class="continued-mark">${mark}</span>`),
        outlineTitle: `${slide.outlineTitle} ${mark}`,
        // The speaker notes belong to the first slide; the rest say where they continue from.
        ...(i === 0 && notes !== undefined ? { notes } : {}),
        continued: { part: i + 1, of: plan.length },
        fields: { ...slide.fields, [key]: part },
      };
    });
  });
}
