// Lint: content rules a valid briefing can still break, each with a rule id and a place:
// too many points on a slide, points too long to read, empty sections, sources never cited.

import type { Diagnostic, Position } from './diagnostics.js';
import { findCitations, plainText } from './markdown.js';
import type { Briefing, Slide } from './schema/briefing.js';
import { deckNumber, slideName, slideTitle } from './slide-name.js';
import type { Path } from './schema/dsl.js';

export const MAX_POINTS = 6;
export const MAX_POINT_LENGTH = 160;

/** Every string in a slide with its path, for rules that read all the text. */
function* strings(value: unknown, path: Path): Generator<[string, Path]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, [...path, i]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

function pointsOf(slide: Slide): { text: string; path: Path }[] {
  switch (slide.type) {
    case 'summary':
      return slide.points.map((text, i) => ({ text, path: ['points', i] }));
    case 'bullets':
      return slide.points.flatMap((item, i) =>
        typeof item === 'string'
          ? [{ text: item, path: ['points', i] }]
          : [{ text: item.text, path: ['points', i, 'text'] }, ...item.points.map((text, j) => ({ text, path: ['points', i, 'points', j] }))],
      );
    case 'columns':
      return slide.columns.flatMap((c, i) => (c.points ?? []).map((text, j) => ({ text, path: ['columns', i, 'points', j] })));
    default:
      return [];
  }
}

export function lintBriefing(file: string, briefing: Briefing, locate: (path: Path) => Position | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (rule: string, message: string, path: Path) => out.push({ file, ...locate(path), severity: 'warning', rule, message });
  const cited = new Set<string>();

  briefing.slides.forEach((slide, index) => {
    const at = ['slides', index];
    const name = slideName({ number: deckNumber(index, briefing.agenda === true), index, title: slideTitle(slide) });
    if (slide.type === 'bullets' && slide.points.length > MAX_POINTS) {
      warn('too-many-points', `${name} has ${slide.points.length} points; more than ${MAX_POINTS} is hard to take in, split the slide`, [...at, 'points']);
    }
    for (const { text, path } of pointsOf(slide)) {
      const length = plainText(text).length;
      if (length > MAX_POINT_LENGTH) warn('long-point', `a point of ${length} characters on ${name}; keep points under ${MAX_POINT_LENGTH}`, [...at, ...path]);
    }
    const next = briefing.slides[index + 1];
    if (slide.type === 'section' && (next === undefined || next.type === 'section')) {
      warn('empty-section', `section ${name} has no slides after it`, at);
    }
    for (const [value, path] of strings(slide, at)) {
      const block = path.at(-1) === 'notes' || path.at(-1) === 'body';
      for (const use of findCitations(value, block)) cited.add(use.id);
    }
    if ((slide.type === 'quote' || slide.type === 'chart') && slide.cite) cited.add(slide.cite);
  });
  for (const [value] of strings({ title: briefing.title, subtitle: briefing.subtitle }, [])) for (const use of findCitations(value)) cited.add(use.id);

  (briefing.sources ?? []).forEach((source, index) => {
    if (!cited.has(source.id)) warn('uncited-source', `source "${source.id}" is never cited`, ['sources', index, 'id']);
  });
  return out;
}
