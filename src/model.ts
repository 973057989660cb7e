// Model: a valid briefing to the deck as it will be shown: generated slides added (title, agenda,
// sources), citations numbered in order of first use, every text turned into safe HTML. The
// templates only place what this stage prepared.

import Handlebars from 'handlebars';
import type { Look } from './branding.js';
import type { DrawnChart } from './chart/index.js';
import { continueSlides, continuesBy, type ContinuationPlans } from './continue.js';
import type { ImageMap } from './images.js';
import { CitationRegistry, plainText, renderBlock, renderInline, type RenderEnv } from './markdown.js';
import { deckNumber, slideTitle } from './slide-name.js';
import { ASPECTS, type Aspect, type Briefing, type BulletItem, type Slide, type SlideOf, type Source } from './schema/briefing.js';

export type Html = Handlebars.SafeString;
type SideImage = NonNullable<SlideOf<'bullets'>['image']>;

export interface DeckMeta {
  /** Plain text (no marks) for <title>, metadata and outlines. */
  title: string;
  titleHtml: Html;
  subtitle?: Html;
  date: string;
  dateLabel: string;
  author?: string;
  organization?: string;
  classification?: string;
  /** The marking level the classification starts with, for banner colours (`secret`...). */
  classificationLevel?: string;
  description?: string;
  keywords: string[];
  lang: string;
  aspect: Aspect;
  width: number;
  height: number;
  /** The built-in theme the deck is drawn with (a custom theme builds on it). */
  theme: string;
  /** Extra stylesheets: a custom theme, then the brand's properties. */
  css: string[];
  /** The brand's logo as a data URL. */
  logo?: string;
}

export interface DeckSlide {
  /** The template partial that draws the slide's body: a slide type, or title/agenda/sources. */
  kind: string;
  /** 1-based position in the deck. */
  number: number;
  id: string;
  title?: Html;
  /** Plain title for the outline and the agenda. */
  outlineTitle: string;
  /** Outline depth: slides after a section divider sit under it. */
  level: 0 | 1;
  notes?: Html;
  /** Index in the briefing's `slides`, for diagnostics that point back into the file. */
  sourceIndex?: number;
  /** True when the briefing says `fit: false`: the deck measures this slide but never scales it. */
  noFit?: boolean;
  /** What the slide may continue by, onto further slides, when it cannot fit (see continue.ts). */
  continues?: 'rows' | 'points';
  /** Which of the slides a long slide continued on this one is. */
  continued?: { part: number; of: number };
  fields: Record<string, unknown>;
}

export interface Deck {
  meta: DeckMeta;
  slides: DeckSlide[];
}

function formatDate(iso: string, lang: string): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return iso;
  }
}

/** Holds the per-deck citation numbering while texts are turned into HTML in deck order. */
class TextRenderer {
  readonly citations = new CitationRegistry();
  private readonly env: RenderEnv = { citations: this.citations, citationHref: () => '#/sources' };

  inline(src: string): Html;
  inline(src: string | undefined): Html | undefined;
  inline(src: string | number | undefined): Html | undefined {
    return src === undefined ? undefined : new Handlebars.SafeString(renderInline(String(src), this.env));
  }

  block(src: string | undefined): Html | undefined {
    return src === undefined ? undefined : new Handlebars.SafeString(renderBlock(src, this.env));
  }

  cite(id: string): Html {
    return this.inline(`[@${id}]`);
  }
}

/** An image beside a bullets or text slide's text, for the media partial. */
function sideImage(image: SideImage | undefined, text: TextRenderer, images: ImageMap) {
  if (image === undefined) return undefined;
  return { src: images.get(image.src), alt: plainText(image.alt), side: image.side ?? 'right', caption: text.inline(image.caption), credit: text.inline(image.credit) };
}

function slideFields(slide: Slide, text: TextRenderer, images: ImageMap, chart?: DrawnChart): Record<string, unknown> {
  const points = (items: readonly string[] | undefined) => items?.map((p) => text.inline(p));
  switch (slide.type) {
    case 'summary':
      return { points: points(slide.points) };
    case 'bullets':
      return {
        fragments: slide.fragments === true,
        points: slide.points.map((item: BulletItem) =>
          typeof item === 'string' ? { text: text.inline(item) } : { text: text.inline(item.text), points: points(item.points) },
        ),
        image: sideImage(slide.image, text, images),
      };
    case 'section':
      return { subtitle: text.inline(slide.subtitle), background: slide.background === undefined ? undefined : images.get(slide.background) };
    case 'columns':
      return {
        count: slide.columns.length,
        columns: slide.columns.map((c) => ({ heading: text.inline(c.heading), points: points(c.points), text: text.inline(c.text) })),
      };
    case 'timeline':
      return { events: slide.events.map((e) => ({ date: text.inline(e.date), text: text.inline(e.text) })) };
    case 'quote':
      return {
        quote: text.inline(slide.quote),
        attribution: text.inline(slide.attribution),
        cite: slide.cite === undefined ? undefined : text.cite(slide.cite),
      };
    case 'figures':
      return { count: slide.figures.length, figures: slide.figures.map((f) => ({ value: text.inline(String(f.value)), label: text.inline(f.label) })) };
    case 'table': {
      const numeric = slide.columns.map((_, i) => slide.rows.every((row) => typeof row[i] === 'number'));
      return {
        columns: slide.columns.map((c, i) => ({ html: text.inline(c), numeric: numeric[i] })),
        rows: slide.rows.map((row) => row.map((cell, i) => ({ html: text.inline(String(cell)), numeric: numeric[i] }))),
        caption: text.inline(slide.caption),
      };
    }
    case 'image':
      return {
        src: images.get(slide.src),
        alt: plainText(slide.alt),
        caption: text.inline(slide.caption),
        credit: text.inline(slide.credit),
      };
    case 'text':
      return { body: text.block(slide.body), image: sideImage(slide.image, text, images) };
    case 'chart':
      return {
        svg: new Handlebars.SafeString(chart?.svg ?? ''),
        table: chart?.table,
        values: chart?.values,
        caption: text.inline(slide.caption),
        cite: slide.cite === undefined ? undefined : text.cite(slide.cite),
      };
    default: {
      // A custom slide type: its own fields go to its template as plain data, escaped there.
      const { type: _type, title: _title, notes: _notes, id: _id, fit: _fit, continue: _continue, ...fields } = slide as Record<string, unknown>;
      return fields;
    }
  }
}

function sourceEntries(sources: readonly Source[], text: TextRenderer) {
  // Cited sources keep their first-use numbers; the rest follow in the order they were listed.
  const numbered = sources.map((source) => ({ source, number: text.citations.number(source.id) }));
  numbered.sort((a, b) => a.number - b.number);
  return numbered.map(({ source, number }) => ({
    number,
    anchor: `source-${source.id}`,
    title: text.inline(source.title),
    publisher: text.inline(source.publisher),
    date: source.date,
    url: source.url,
  }));
}

/** Known markings, longest first so that "TOP SECRET" is not read as "SECRET". */
const MARKINGS: readonly [RegExp, string][] = [
  [/^TOP\s+SECRET\b/i, 'top-secret'],
  [/^SECRET\b/i, 'secret'],
  [/^CONFIDENTIAL\b/i, 'confidential'],
  [/^(CUI|CONTROLLED)\b/i, 'cui'],
  [/^(UNCLASSIFIED|OFFICIAL|PUBLIC)\b/i, 'unclassified'],
];

function classificationLevel(text: string | undefined): string | undefined {
  return text === undefined ? undefined : MARKINGS.find(([pattern]) => pattern.test(text.trim()))?.[1];
}

/** Whether any text of the deck is set in italic: emphasis in its texts, or a quote slide. */
function usesItalic(meta: DeckMeta, slides: readonly Omit<DeckSlide, 'number'>[]): boolean {
  const italic = /<(em|i)[\s>]/;
  return slides.some((s) => s.kind === 'quote') || italic.test(`${meta.titleHtml}${meta.subtitle ?? ''}`) || italic.test(JSON.stringify(slides, (_, v: unknown) => (v instanceof Handlebars.SafeString ? v.toString() : v)));
}

function withContinues(by: 'rows' | 'points' | undefined): { continues?: 'rows' | 'points' } {
  return by === undefined ? {} : { continues: by };
}

export function buildDeck(
  briefing: Briefing,
  images: ImageMap,
  look: Look = { baseTheme: 'light', css: [], inputs: [] },
  charts: ReadonlyMap<number, DrawnChart> = new Map(),
  plans: ContinuationPlans = new Map(),
): Deck {
  const text = new TextRenderer();
  const lang = briefing.lang ?? 'en';
  const aspect = briefing.aspect ?? '16:9';
  const [width, height] = ASPECTS[aspect];
  const meta: DeckMeta = {
    title: plainText(briefing.title),
    titleHtml: text.inline(briefing.title),
    subtitle: text.inline(briefing.subtitle),
    date: briefing.date,
    dateLabel: formatDate(briefing.date, lang),
    author: briefing.author === undefined ? undefined : plainText(briefing.author),
    organization: briefing.organization === undefined ? undefined : plainText(briefing.organization),
    classification: briefing.classification,
    classificationLevel: classificationLevel(briefing.classification),
    description: briefing.summary,
    keywords: briefing.keywords ?? [],
    lang,
    aspect,
    width,
    height,
    theme: look.baseTheme,
    css: look.css,
    ...(look.logo ? { logo: look.logo } : {}),
  };

  const slides: Omit<DeckSlide, 'number'>[] = [];
  slides.push({
    kind: 'title',
    id: 'title',
    outlineTitle: meta.title,
    level: 0,
    fields: {
      author: text.inline(briefing.author),
      organization: text.inline(briefing.organization),
    },
  });

  const sections = briefing.slides.filter((s) => s.type === 'section');
  if (briefing.agenda) {
    const listed = sections.length > 0 ? sections : briefing.slides;
    slides.push({
      kind: 'agenda',
      id: 'agenda',
      title: text.inline('Agenda'),
      outlineTitle: 'Agenda',
      level: 0,
      fields: { items: listed.map((s) => ({ title: text.inline(s.title ?? slideTitle(s)), subtitle: s.type === 'section' ? text.inline(s.subtitle) : undefined, target: s })) },
    });
  }

  let inSection = false;
  briefing.slides.forEach((slide, index) => {
    if (slide.type === 'section') inSection = true;
    const title = slide.title ?? undefined;
    const fields = slideFields(slide, text, images, charts.get(index));
    slides.push({
      kind: slide.type,
      id: slide.id ?? `slide-${deckNumber(index, briefing.agenda === true)}`,
      title: text.inline(title),
      outlineTitle: slideTitle(slide),
      level: inSection && slide.type !== 'section' ? 1 : 0,
      notes: text.block(slide.notes),
      sourceIndex: index,
      ...(slide.fit === false ? { noFit: true } : {}),
      ...withContinues(continuesBy(slide.type, slide.fit === false || ('continue' in slide && slide.continue === false))),
      fields,
    });
  });

  const sources = briefing.sources ?? [];
  if (sources.length > 0) {
    slides.push({
      kind: 'sources',
      id: 'sources',
      title: text.inline('Sources'),
      outlineTitle: 'Sources',
      level: 0,
      fields: { sources: sourceEntries(sources, text) },
    });
  }

  const numbered = continueSlides(slides, plans).map((slide, i) => ({ ...slide, number: i + 1 }));
  // The brand font's italic faces are embedded only in a deck that sets text in italic.
  const faces = (look.fontFaces ?? []).filter((face) => face.style === 'normal' || usesItalic(meta, numbered));
  meta.css = [...faces.map((face) => face.css), ...meta.css];
  // Agenda entries link to their slides by number, now that numbers are known.
  for (const slide of numbered) {
    if (slide.kind !== 'agenda') continue;
    const items = slide.fields.items as { title: Html; subtitle?: Html; target: Slide }[];
    slide.fields.items = items.map(({ title, subtitle, target }) => {
      const found = numbered.find((s) => s.sourceIndex === briefing.slides.indexOf(target))!;
      return { title, subtitle, href: `#/${found.id}`, number: found.number };
    });
  }
  return { meta, slides: numbered };
}

