// Validate: a parsed document to a typed Briefing, reporting every problem at its place: the
// schema (types, required and unknown keys), then the checks across fields (source and slide
// ids, citations). The cross checks read the document itself, so they run even when the schema
// found problems elsewhere, and a file's problems are all reported at once.

import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { didYouMean, type Position, type Reporter } from './diagnostics.js';
import { findCitations } from './markdown.js';
import type { ParsedBriefing } from './parse.js';
import { MAX_ALIAS_COUNT } from './parse.js';
import { explainKey, explainValue } from './pitfalls.js';
import type { CustomType } from './render.js';
import { deckNumber, slideName, slideTitle } from './slide-name.js';
import { briefingSchema, makeBriefingSchema, RESERVED_SLIDE_IDS, type Briefing } from './schema/briefing.js';
import { formatPath, INVALID, type Path, type ReadContext, type Schema } from './schema/dsl.js';

export interface ValidBriefing {
  briefing: Briefing;
  /** Where a value sits in the file, by its path (`['slides', 3, 'src']`). */
  locate(path: Path): Position | undefined;
  /** A path as messages name it: slides by their deck number, path and title. */
  name(path: Path): string;
}

export interface TextValue {
  value: string;
  node: Scalar;
  path: Path;
  block: boolean;
}

interface IdUse {
  id: string;
  node: Scalar;
  index: number;
}

/** A document read with a schema: the value (or INVALID), and what the cross checks need. */
export interface Read<T> {
  value: T | typeof INVALID;
  texts: TextValue[];
  /** True when the alias limit was hit (the rest of the document was not read). */
  bomb: boolean;
  ctx: ReadContext;
  locate(path: Path): Position | undefined;
}

/**
 * Names paths in a briefing's messages. A path into a slide starts with the slide's name, the way
 * every message names slides (`slide 4 (slides[2]) "Title": points[0]`), read from the document
 * itself so that it works while the briefing is still invalid.
 */
export function pathNamer(doc: Document.Parsed, root = 'the briefing'): (path: Path) => string {
  const agenda = isMap(doc.contents) && doc.get('agenda') === true;
  const stringAt = (path: Path): string | undefined => {
    const node = doc.getIn(path, true);
    return isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '' ? node.value : undefined;
  };
  return (path) => {
    const [list, index, ...rest] = path;
    if (list !== 'slides' || typeof index !== 'number' || !isMap(doc.contents) || !isSeq(doc.get('slides', true))) return formatPath(path, root);
    const slide = doc.getIn(['slides', index], true);
    const type = isMap(slide) ? stringAt(['slides', index, 'type']) : undefined;
    const title = stringAt(['slides', index, 'title']);
    const quote = stringAt(['slides', index, 'quote']);
    const name = slideName({
      number: deckNumber(index, agenda),
      index,
      ...(title !== undefined || (type === 'quote' && quote !== undefined) ? { title: slideTitle({ type: type ?? 'slide', title, quote }) } : {}),
    });
    return rest.length === 0 ? name : `${name}: ${formatPath(rest)}`;
  };
}

/** Reads a parsed document with a schema, reporting every problem at its node. */
export function readDocument<T>(parsed: ParsedBriefing, schema: Schema<T>, reporter: Reporter, what = 'briefing'): Read<T> | undefined {
  const { doc } = parsed;
  const nodeStart = (node: unknown): Position | undefined =>
    isNode(node) && node.range ? parsed.position(node.range[0]) : undefined;
  const texts: TextValue[] = [];
  let aliases = 0;
  const ctx: ReadContext = {
    error(rule, message, node) {
      // Past the alias limit, values are missing on purpose: one error says why, the rest is noise.
      if (aliases > MAX_ALIAS_COUNT && rule !== 'yaml') return;
      reporter.error(rule, message, nodeStart(node) ?? parsed.position(0));
    },
    resolve(node) {
      if (!isAlias(node)) return node;
      if (++aliases > MAX_ALIAS_COUNT) {
        if (aliases === MAX_ALIAS_COUNT + 1) ctx.error('yaml', `too many aliases (more than ${MAX_ALIAS_COUNT}); is this an alias bomb?`, node);
        return null;
      }
      return node.resolve(doc) ?? null;
    },
    text: (value, node, path, block) => texts.push({ value, node, path, block }),
    whyNotText: (node) => explainValue(parsed.text, node),
    whyUnknownKey: (map, value) => explainKey(parsed.text, map, value),
    path: what === 'briefing' ? pathNamer(doc) : (path) => formatPath(path, `the ${what}`),
  };
  if (doc.contents === null) {
    reporter.error('empty-file', `file contains no ${what} (only comments or an empty document)`, parsed.position(0));
    return undefined;
  }
  const value = schema.read(ctx.resolve(doc.contents), [], ctx);
  return { value, texts, bomb: aliases > MAX_ALIAS_COUNT, ctx, locate: parsed.locate };
}

export function validateBriefing(parsed: ParsedBriefing, reporter: Reporter, customTypes: ReadonlyMap<string, CustomType> = new Map()): ValidBriefing | undefined {
  const { doc } = parsed;
  const schema = customTypes.size === 0 ? briefingSchema : makeBriefingSchema([...customTypes.keys()]);
  const read = readDocument(parsed, schema, reporter);
  if (read === undefined) return undefined;
  const { value: briefing, texts, ctx } = read;
  if (!read.bomb) {
    const sourceIds = checkUnique(idsIn(doc, 'sources'), 'sources', 'duplicate-source', ctx);
    checkSlideIds(checkUniqueSlides(doc, ctx), ctx);
    checkCitations(texts, sourceIds, parsed, reporter, ctx.path);
    for (const { id, node, index } of idsIn(doc, 'slides', 'cite')) {
      if (sourceIds.includes(id)) continue;
      ctx.error('unknown-citation', `${ctx.path(['slides', index, 'cite'])} cites unknown source "${id}"${knownSources(id, sourceIds)}`, node);
    }
  }
  if (briefing !== INVALID) checkCustomSlides(briefing, customTypes, doc, ctx);
  if (briefing === INVALID || reporter.failed) return undefined;
  return { briefing, locate: read.locate, name: ctx.path };
}

const COMMON_FIELDS = new Set(['type', 'title', 'notes', 'id', 'fit']);

/** Custom slide types with a JSON Schema: their own fields are checked, errors placed in the file. */
function checkCustomSlides(briefing: Briefing, customTypes: ReadonlyMap<string, CustomType>, doc: Document.Parsed, ctx: ReadContext): void {
  briefing.slides.forEach((slide, index) => {
    const custom = customTypes.get(slide.type);
    if (custom?.validate === undefined) return;
    const fields = Object.fromEntries(Object.entries(slide).filter(([key]) => !COMMON_FIELDS.has(key)));
    if (custom.validate(fields)) return;
    for (const error of custom.validate.errors ?? []) {
      const segments = error.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
      const missing = error.keyword === 'required' ? ` "${(error.params as { missingProperty: string }).missingProperty}"` : '';
      const extra = error.keyword === 'additionalProperties' ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"` : '';
      const path = ['slides', index, ...segments];
      ctx.error('custom-type', `${ctx.path(path)} ${error.message}${missing || extra} (slide type "${slide.type}", ${custom.schemaFile})`, doc.getIn(path, true) ?? doc.getIn(['slides', index], true));
    }
  });
}

/** The string values of `key` in each mapping of the top-level list `list`, with their nodes. */
function idsIn(doc: Document.Parsed, list: string, key = 'id'): IdUse[] {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return [];
  const uses: IdUse[] = [];
  seq.items.forEach((item, index) => {
    const node = isMap(item) ? item.get(key, true) : undefined;
    if (isScalar(node) && typeof node.value === 'string') uses.push({ id: node.value, node, index });
  });
  return uses;
}

function checkUnique(uses: IdUse[], list: string, rule: string, ctx: ReadContext): string[] {
  const seen = new Map<string, number>();
  for (const { id, node, index } of uses) {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else ctx.error(rule, `${ctx.path([list, index, 'id'])} "${id}" is already used by ${ctx.path([list, first])}`, node);
  }
  return [...seen.keys()];
}

function checkUniqueSlides(doc: Document.Parsed, ctx: ReadContext): IdUse[] {
  const uses = idsIn(doc, 'slides');
  checkUnique(uses, 'slides', 'duplicate-id', ctx);
  return uses;
}

/** Slide ids become element ids and URL fragments: clear of the ones briefdeck generates. */
function checkSlideIds(uses: IdUse[], ctx: ReadContext): void {
  for (const { id, node, index } of uses) {
    if (RESERVED_SLIDE_IDS.has(id) || /^slide-\d+$/.test(id)) {
      ctx.error('reserved-id', `${ctx.path(['slides', index, 'id'])} "${id}" is reserved for a generated slide; choose another id`, node);
    }
  }
}

/**
 * Where a citation's `@id` sits in the file. Exact when the scalar is written on one line without
 * escapes (plain or quoted); otherwise the nth `@id` in the raw text, or the text's start.
 */
function citationPosition(parsed: ParsedBriefing, node: Scalar, id: string, offset: number, occurrence: number): Position {
  const [start, end] = node.range!;
  const raw = parsed.text.slice(start, end);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const body = quoted ? raw.slice(1, -1) : raw;
  if ((node.type === 'PLAIN' || quoted) && body === node.value) {
    return parsed.position(start + (quoted ? 1 : 0) + offset + 1);
  }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = raw.indexOf(`[@${id}`, at + 1);
  if (at < 0) at = raw.indexOf(`@${id}`) - 1;
  return parsed.position(at < 0 ? start : start + at + 1);
}

/** What to say after an unknown citation: the nearest source id, or that there are none. */
function knownSources(id: string, sourceIds: string[]): string {
  return sourceIds.length === 0 ? '; the briefing has no sources' : didYouMean(id, sourceIds);
}

function checkCitations(texts: TextValue[], sourceIds: string[], parsed: ParsedBriefing, reporter: Reporter, name: (path: Path) => string): void {
  for (const { value, node, path, block } of texts) {
    const counts = new Map<string, number>();
    for (const use of findCitations(value, block)) {
      const occurrence = counts.get(use.id) ?? 0;
      counts.set(use.id, occurrence + 1);
      if (sourceIds.includes(use.id)) continue;
      const known = knownSources(use.id, sourceIds);
      const offset = value.indexOf(`@${use.id}`, use.offset) - 1;
      reporter.error(
        'unknown-citation',
        `${name(path)} cites unknown source "${use.id}"${known}`,
        citationPosition(parsed, node, use.id, offset, occurrence),
      );
    }
  }
}
