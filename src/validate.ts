// Validate: a parsed document to a typed Briefing, reporting every problem at its place: the
// schema (types, required and unknown keys) first, then the checks across fields (source ids,
// citations).

import { isAlias, isNode, type Node, type Scalar } from 'yaml';
import { didYouMean, type Position, type Reporter } from './diagnostics.js';
import { findCitations } from './markdown.js';
import type { ParsedBriefing } from './parse.js';
import { MAX_ALIAS_COUNT } from './parse.js';
import { briefingSchema, RESERVED_SLIDE_IDS, type Briefing } from './schema/briefing.js';
import { formatPath, INVALID, type Path, type ReadContext } from './schema/dsl.js';

export interface ValidBriefing {
  briefing: Briefing;
  /** Where a value sits in the file, by its path (`['slides', 3, 'src']`). */
  locate(path: Path): Position | undefined;
}

interface TextValue {
  value: string;
  node: Scalar;
  path: Path;
  block: boolean;
}

export function validateBriefing(parsed: ParsedBriefing, reporter: Reporter): ValidBriefing | undefined {
  const { doc } = parsed;
  const nodeStart = (node: unknown): Position | undefined =>
    isNode(node) && node.range ? parsed.position(node.range[0]) : undefined;
  const texts: TextValue[] = [];
  let aliases = 0;
  const ctx: ReadContext = {
    error: (rule, message, node) => reporter.error(rule, message, nodeStart(node) ?? parsed.position(0)),
    resolve(node) {
      if (!isAlias(node)) return node;
      if (++aliases > MAX_ALIAS_COUNT) {
        if (aliases === MAX_ALIAS_COUNT + 1) ctx.error('yaml', `too many aliases (more than ${MAX_ALIAS_COUNT}); is this an alias bomb?`, node);
        return null;
      }
      return node.resolve(doc) ?? null;
    },
    text: (value, node, path, block) => texts.push({ value, node, path, block }),
  };

  if (doc.contents === null) {
    reporter.error('empty-file', 'file contains no briefing (only comments or an empty document)', parsed.position(0));
    return undefined;
  }
  const briefing = briefingSchema.read(ctx.resolve(doc.contents), [], ctx);
  if (briefing === INVALID) return undefined;

  const sourceIds = checkSources(briefing, doc, ctx);
  checkSlideIds(briefing, doc, ctx);
  checkCitations(texts, sourceIds, parsed, reporter);
  briefing.slides.forEach((slide, index) => {
    if (slide.type !== 'quote' || slide.cite === undefined || sourceIds.includes(slide.cite)) return;
    const node = doc.getIn(['slides', index, 'cite'], true);
    ctx.error('unknown-citation', `${formatPath(['slides', index, 'cite'])} cites unknown source "${slide.cite}"${didYouMean(slide.cite, sourceIds)}`, node);
  });
  if (reporter.failed) return undefined;
  return {
    briefing,
    locate: (path) => nodeStart(doc.getIn(path, true)),
  };
}

function checkSources(briefing: Briefing, doc: ParsedBriefing['doc'], ctx: ReadContext): string[] {
  const seen = new Map<string, number>();
  (briefing.sources ?? []).forEach((source, index) => {
    const first = seen.get(source.id);
    if (first === undefined) seen.set(source.id, index);
    else ctx.error('duplicate-source', `sources[${index}].id "${source.id}" is already used by sources[${first}]`, doc.getIn(['sources', index, 'id'], true));
  });
  return [...seen.keys()];
}

/** Slide ids become element ids and URL fragments: unique, and clear of the generated ones. */
function checkSlideIds(briefing: Briefing, doc: ParsedBriefing['doc'], ctx: ReadContext): void {
  const seen = new Map<string, number>();
  briefing.slides.forEach((slide, index) => {
    if (slide.id === undefined) return;
    const node = doc.getIn(['slides', index, 'id'], true);
    const path = formatPath(['slides', index, 'id']);
    const first = seen.get(slide.id);
    if (first !== undefined) ctx.error('duplicate-id', `${path} "${slide.id}" is already used by slides[${first}]`, node);
    else if (RESERVED_SLIDE_IDS.has(slide.id) || /^slide-\d+$/.test(slide.id)) {
      ctx.error('reserved-id', `${path} "${slide.id}" is reserved for a generated slide; choose another id`, node);
    }
    seen.set(slide.id, first ?? index);
  });
}

/** The position of the `n`th occurrence of a citation in the file, or the text's start. */
function citationPosition(parsed: ParsedBriefing, node: Node, id: string, occurrence: number): Position {
  const [start, end] = node.range!;
  const raw = parsed.text.slice(start, end);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = raw.indexOf(`@${id}`, at + 1);
  return parsed.position(at < 0 ? start : start + at);
}

function checkCitations(texts: TextValue[], sourceIds: string[], parsed: ParsedBriefing, reporter: Reporter): void {
  for (const { value, node, path, block } of texts) {
    const counts = new Map<string, number>();
    for (const use of findCitations(value, block)) {
      const occurrence = counts.get(use.id) ?? 0;
      counts.set(use.id, occurrence + 1);
      if (sourceIds.includes(use.id)) continue;
      const known = sourceIds.length === 0 ? '; the briefing has no sources' : didYouMean(use.id, sourceIds);
      reporter.error('unknown-citation', `${formatPath(path)} cites unknown source "${use.id}"${known}`, citationPosition(parsed, node, use.id, occurrence));
    }
  }
}

