// Parse: text to a YAML document that keeps every node's position. JSON is read by the same
// parser (it is YAML), so JSON briefings get the same positioned errors.

import { isAlias, isNode, isScalar, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import type { Position, Reporter } from './diagnostics.js';
import { explainYamlError } from './pitfalls.js';

export interface ParsedBriefing {
  text: string;
  doc: Document.Parsed;
  /** 1-based line and column of a source offset. */
  position(offset: number): Position;
  /** Where the value at a path (`['slides', 3, 'src']`) starts. */
  locate(path: readonly (string | number)[]): Position | undefined;
}

/** Aliases expanded past this are refused: a defence against "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;

/** The parser's message, reworded where it speaks YAML internals rather than the user's file. */
function describe(error: YAMLError, text: string): string {
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:#\n]*?))\s*:/.exec(text.slice(error.pos[0]));
    const name = key ? (key[1] ?? key[2] ?? key[3]) : undefined;
    return name ? `duplicate key "${name}"` : 'duplicate key';
  }
  if (error.code === 'TAG_RESOLVE_FAILED') {
    const tag = /^!\S*/.exec(text.slice(error.pos[0]))?.[0] ?? message.replace(/^Unresolved tag: /, '');
    return `unsupported tag ${tag}: briefings are plain data and cannot use YAML tags`;
  }
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function report(reporter: Reporter, error: YAMLError, text: string, format: string, position: (offset: number) => Position): void {
  // A `!!type` tag is deliberate YAML and gets the plain refusal; anything else may be a pitfall.
  const deliberate = error.code === 'TAG_RESOLVE_FAILED' && text.startsWith('!!', error.pos[0]);
  const explained = format === 'YAML' && !deliberate ? explainYamlError(text, error.code, error.pos[0]) : undefined;
  reporter.error('syntax', `invalid ${format}: ${explained?.message ?? describe(error, text)}`, position(explained?.offset ?? error.pos[0]));
}

/**
 * Valid YAML that cannot be what the writer meant: an alias with no anchor before it (`*bold*`
 * at the start of a point), and an anchor nothing refers to (`&` at the start of a point, which
 * silently drops that word). Returns false when the document cannot be read at all.
 */
function checkAnchors(doc: Document.Parsed, text: string, reporter: Reporter, position: (offset: number) => Position): boolean {
  const defined = new Set<string>();
  const used = new Set<string>();
  const anchored: { anchor: string; offset: number }[] = [];
  let readable = true;
  const say = (code: string, offset: number) => {
    const explained = explainYamlError(text, code, offset);
    reporter.error('syntax', `invalid YAML: ${explained?.message ?? 'an alias must refer to an anchor defined before it'}`, position(explained?.offset ?? offset));
  };
  visit(doc, (_, node) => {
    if (isAlias(node)) {
      used.add(node.source);
      if (!defined.has(node.source) && node.range) {
        readable = false;
        say('ALIAS', node.range[0]);
      }
    } else if (isNode(node) && node.anchor !== undefined) {
      defined.add(node.anchor);
      if (isScalar(node) && node.range) anchored.push({ anchor: node.anchor, offset: text.lastIndexOf(`&${node.anchor}`, node.range[0]) });
    }
  });
  for (const { anchor, offset } of anchored) if (!used.has(anchor) && offset >= 0) say('ANCHOR', offset);
  return readable;
}

/**
 * Valid YAML that silently drops text: in a plain value, " #" starts a comment, so `Price #1 pick`
 * reads as "Price". A comment written as one (`# note`, with a space) is left alone; one that
 * starts right after the "#" (`#1 pick`, `#tag`) is almost always text that was cut.
 */
function checkCutText(doc: Document.Parsed, text: string, reporter: Reporter, position: (offset: number) => Position): void {
  visit(doc, (_, node) => {
    if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.value !== 'string' || !node.range) return;
    const hash = /^[ \t]+#(?=[^\s#])/.exec(text.slice(node.range[1]));
    if (hash === null) return;
    const at = node.range[1] + hash[0].length - 1;
    const end = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    const whole = text.slice(node.range[0], end).trimEnd();
    reporter.warning('cut-text', `"#" after a space starts a comment, so this text ends at "${node.value}" and "${text.slice(at, end).trimEnd()}" is dropped; put the whole text in quotes: "${whole.replace(/["\\]/g, '\\$&')}"`, position(at));
  });
}

/** Nesting deeper than this is refused before parsing: no briefing needs it, and it costs the parser time and stack. */
export const MAX_DEPTH = 64;

/**
 * The offset where flow collections (`[`, `{`) or block indentation nest deeper than MAX_DEPTH,
 * if they do. A quick scan that skips quoted strings and comments; the parser does the rest.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (lineStart) {
      let indent = 0;
      while (text[i + indent] === ' ' || text[i + indent] === '-' || text[i + indent] === '?' || text[i + indent] === ':') indent++;
      if (indent > MAX_DEPTH * 2) return i + indent;
      lineStart = false;
    }
    if (c === '\n') lineStart = true;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Parses YAML, or JSON (which YAML reads) when `format` is "JSON", which only changes messages. */
export function parseBriefing(source: string, reporter: Reporter, format: 'YAML' | 'JSON' = 'YAML'): ParsedBriefing | undefined {
  const text = source.replace(/^\uFEFF/, '');
  // Positions come from the text itself: the parser's line counter misses line breaks inside
  // tokens that follow a syntax error.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number): Position => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
  const deep = tooDeep(text);
  if (deep !== undefined) {
    reporter.error('depth', `nesting is too deep: more than ${MAX_DEPTH} levels`, position(deep));
    return undefined;
  }
  const doc = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    schema: 'core',
    merge: false,
    customTags: [],
  });
  // After a syntax error the parser reads the rest out of step, and its later errors follow from
  // the first: only the first is said.
  const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (first !== undefined) {
    report(reporter, first, text, format, position);
    return undefined;
  }
  // Unknown tags (!!js/function and friends) arrive as warnings; a briefing must not carry them.
  for (const warning of doc.warnings) report(reporter, warning, text, format, position);
  if (doc.warnings.length > 0 || !checkAnchors(doc, text, reporter, position)) return undefined;
  if (format === 'YAML') checkCutText(doc, text, reporter, position);
  const locate = (path: readonly (string | number)[]): Position | undefined => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? position(node.range[0]) : undefined;
  };
  return { text, doc, position, locate };
}
