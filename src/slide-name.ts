// How every message names a slide: `slide 4 (slides[2]) "Title"`: the number the deck shows
// (1-based, counting the generated title and agenda slides), where it sits in the briefing, and
// its title, so the reader can find it both in the presented deck and in the YAML.

import { plainText } from './markdown.js';

/** Generated slides have no place in `slides`; this says what in the briefing they come from. */
const GENERATED: Readonly<Record<string, string>> = { title: 'title slide', agenda: 'agenda', sources: 'sources' };

/** Titles longer than this are cut in messages: the number and path already find the slide. */
const MAX_TITLE = 60;

/** The deck number of `slides[index]`: after the title slide, and after the agenda when there is one. */
export function deckNumber(index: number, agenda: boolean): number {
  return index + (agenda ? 3 : 2);
}

export interface SlideRef {
  /** 1-based number in the deck as presented. */
  number: number;
  /** Index in the briefing's `slides`; absent for a generated slide. */
  index?: number;
  /** What made a generated slide: `title`, `agenda` or `sources` (its deck kind). */
  kind?: string;
  /** Plain-text title, if the slide has one. */
  title?: string;
}

export function slideName({ number, index, kind, title }: SlideRef): string {
  const place = index !== undefined ? `slides[${index}]` : kind !== undefined ? GENERATED[kind] : undefined;
  const shown = title === undefined || title.trim() === '' ? undefined : title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE).trimEnd()}…` : title;
  return `slide ${number}${place === undefined ? '' : ` (${place})`}${shown === undefined ? '' : ` "${shown}"`}`;
}

/** A slide of the deck model, named. */
export function deckSlideName(slide: { number: number; sourceIndex?: number; kind: string; outlineTitle: string }): string {
  return slideName({ number: slide.number, ...(slide.sourceIndex === undefined ? { kind: slide.kind } : { index: slide.sourceIndex }), title: slide.outlineTitle });
}

/** The plain title a slide is known by: its own, or for a quote without one, the quote's start. */
export function slideTitle(slide: { type: string; title?: string | undefined; quote?: unknown }): string {
  if (slide.title !== undefined) return plainText(slide.title);
  if (slide.type !== 'quote' || typeof slide.quote !== 'string') return slide.type;
  const quote = plainText(slide.quote);
  // Long quotes are cut at a word boundary.
  return `Quote: ${quote.length > 60 ? `${quote.slice(0, 60).replace(/\s+\S*$/, '')}…` : quote}`;
}
