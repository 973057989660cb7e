// Parse: text to a YAML document that keeps every node's position. JSON is read by the same
// parser (it is YAML), so JSON briefings get the same positioned errors.

import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { Position, Reporter } from './diagnostics.js';

export interface ParsedBriefing {
  text: string;
  doc: Document.Parsed;
  /** 1-based line and column of a source offset. */
  position(offset: number): Position;
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
  reporter.error('syntax', `invalid ${format}: ${describe(error, text)}`, position(error.pos[0]));
}

/** Parses YAML, or JSON (which YAML reads) when `format` is "JSON", which only changes messages. */
export function parseBriefing(text: string, reporter: Reporter, format: 'YAML' | 'JSON' = 'YAML'): ParsedBriefing | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    schema: 'core',
    merge: false,
    customTags: [],
  });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  for (const error of doc.errors) report(reporter, error, text, format, position);
  // Unknown tags (!!js/function and friends) arrive as warnings; a briefing must not carry them.
  for (const warning of doc.warnings) report(reporter, warning, text, format, position);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  return { text, doc, position };
}
