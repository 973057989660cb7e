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

function report(reporter: Reporter, error: YAMLError, position: (offset: number) => Position): void {
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  reporter.error('yaml', `invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, position(error.pos[0]));
}

export function parseBriefing(text: string, reporter: Reporter): ParsedBriefing | undefined {
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
  for (const error of doc.errors) report(reporter, error, position);
  // Unknown tags (!!js/function and friends) arrive as warnings; a briefing must not carry them.
  for (const warning of doc.warnings) report(reporter, warning, position);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  return { text, doc, position };
}
