// Pitfalls: the YAML mistakes a newcomer makes in the first hour (text that starts with `*`,
// `&`, `!`, `@` or a backtick, `[` inside text in `{ }`, `: ` inside text, a stray `- `),
// recognised from the parser's first error and the text around it, and explained in the user's
// words with the fix ("put the text in quotes") at the place the fix goes.

import { isMap, isNode, isScalar, isSeq, type YAMLMap } from 'yaml';
import { briefingJsonSchema } from './schema/briefing.js';
import { lineEnd, lineStart, scan, skipQuoted, unitEnd, type Unit } from './yaml-scan.js';

let names: Set<string> | undefined;

/** Every key the briefing format knows, at any depth. */
function fieldNames(): Set<string> {
  if (names) return names;
  names = new Set<string>();
  const walk = (schema: unknown): void => {
    if (Array.isArray(schema)) schema.forEach(walk);
    else if (schema !== null && typeof schema === 'object') {
      for (const [key, value] of Object.entries(schema)) {
        if (key === 'properties' && value !== null && typeof value === 'object') for (const name of Object.keys(value)) names!.add(name);
        walk(value);
      }
    }
  };
  walk(briefingJsonSchema());
  return names;
}

export interface Explanation {
  /** Where the fix goes: the start of the text to quote, or the stray character. */
  offset: number;
  message: string;
}

/** The text in quotes, ready to paste: double quotes unless the text has some. */
function quoted(value: string): string {
  if (!value.includes('"') && !value.includes('\\')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

const LEADING: Readonly<Record<string, string>> = {
  '*': 'text that starts with "*" is read as a YAML alias (a reference to an &anchor)',
  '&': 'text that starts with "&" is read as a YAML anchor (a name for reusing the value)',
  '!': 'text that starts with "!" is read as a YAML tag',
  '@': 'text cannot start with "@" in YAML (it is reserved)',
  '`': 'text cannot start with "`" in YAML (it is reserved)',
  '%': 'text that starts with "%" is read as a YAML directive',
  '|': 'text that starts with "|" is read as the start of a block of lines',
  '>': 'text that starts with ">" is read as the start of a block of lines',
};

const BRACKETS: Readonly<Record<string, string>> = {
  '[': 'the start of a list',
  '{': 'the start of a mapping',
  ']': 'the end of a list',
  '}': 'the end of a mapping',
};

function trimEnd(text: string, start: number, end: number): string {
  return text.slice(start, end).trimEnd();
}

/**
 * Explains a YAML error (the parser's code, or ALIAS and ANCHOR for an alias with no anchor and an
 * anchor nothing uses) at `offset`, if it comes from a known pitfall.
 */
export function explainYamlError(text: string, code: string, offset: number): Explanation | undefined {
  if (code === 'TAB_AS_INDENT') {
    return { offset: offset + Math.max(0, text.slice(offset, lineEnd(text, offset)).indexOf('\t')), message: 'this line is indented with a tab; YAML indentation must be spaces' };
  }
  if (code === 'MISSING_CHAR' && offset >= text.trimEnd().length) {
    const { unclosedQuote } = scan(text, text.length);
    if (unclosedQuote !== undefined) {
      return { offset: unclosedQuote, message: `this text opens a ${text[unclosedQuote]} quote that is never closed; end the text with ${text[unclosedQuote]} on the same line` };
    }
  }
  const { unit, blockValue, open } = scan(text, offset);
  const errorLine = lineStart(text, offset);
  const near = (start: number) => lineStart(text, start) === errorLine || open.length > 0;
  if (blockValue !== undefined && near(blockValue) && '[{'.includes(text[blockValue]!)) {
    const explained = startsWithBrackets(text, blockValue);
    if (explained) return explained;
  }
  if (unit !== undefined && near(unit.start)) {
    const explained = explainUnit(text, unit, code);
    if (explained) return explained;
  }
  return explainDash(text, offset);
}

/** `[@nasa] says so`: text that starts with a bracket is read as a list (or mapping), then more text. */
function startsWithBrackets(text: string, start: number): Explanation | undefined {
  const end = lineEnd(text, start);
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const close = skipQuoted(text, i);
      if (close === undefined || close > end) return undefined;
      i = close - 1;
    } else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) {
      const rest = text.slice(i + 1, end).replace(/\s+#.*$/, '').trim();
      if (rest === '' || rest.startsWith('#')) return undefined;
      const value = trimEnd(text, start, unitEnd(text, { start }));
      const what = text[start] === '[' ? 'a list' : 'a mapping';
      return { offset: start, message: `text that starts with "${text[start]}" is read as ${what}; put the text in quotes: ${quoted(value)}` };
    }
  }
  return undefined;
}

function explainUnit(text: string, unit: Unit, code: string): Explanation | undefined {
  const first = text[unit.start]!;
  if (unit.quoteEnd !== undefined) {
    const rest = { ...unit, start: unit.quoteEnd };
    const after = text.slice(unit.quoteEnd, unitEnd(text, rest));
    if (after.trim() === '') return undefined;
    const value = trimEnd(text, unit.start, unitEnd(text, rest));
    if (first === "'" && /^\w/.test(after)) {
      // 'It's fine': the apostrophe closed the quotes.
      const inner = value.endsWith("'") ? value.slice(1, -1) : value.slice(1);
      return { offset: unit.start, message: `an apostrophe inside '...' ends the text; write it twice ('${inner.replace(/'/g, "''")}') or use double quotes: ${quoted(inner)}` };
    }
    // "He said "no"": quotes inside quotes. "Quoted" and more: a quote that belongs to the text.
    const intended = value.length > 1 && value.endsWith(first) ? value.slice(1, -1) : value;
    return { offset: unit.start, message: `text in ${first}...${first} ends at the next ${first}, and more text follows it; put the whole text in ${first === '"' ? 'single' : 'double'} quotes: ${first === '"' ? `'${intended.replace(/'/g, "''")}'` : JSON.stringify(intended)}` };
  }
  const value = trimEnd(text, unit.start, unitEnd(text, unit));
  const leading = LEADING[first];
  if (leading !== undefined) return { offset: unit.start, message: `${leading}; put the text in quotes: ${quoted(value)}` };
  const bracket = unit.flow !== undefined ? /[[\]{}]/.exec(value)?.[0] : undefined;
  if (unit.flow !== undefined && bracket !== undefined) {
    const inside = unit.flow === '[' ? '[ ]' : '{ }';
    return { offset: unit.start, message: `inside ${inside}, a "${bracket}" in text is read as ${BRACKETS[bracket]}; put the text in quotes: ${quoted(value)}` };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'UNEXPECTED_TOKEN') {
    if (/:(\s|$)/.test(value)) {
      // `- Note: this: is bad`: when "Note" is no key of the format, the text starts at "Note".
      const before = /(?:^|[-{,] +)([^\s:#,{}[\]][^:#,{}[\]]*?): +$/.exec(text.slice(lineStart(text, unit.start), unit.start));
      const start = before && !fieldNames().has(before[1]!) ? unit.start - before[0].length + before[0].indexOf(before[1]!) : unit.start;
      const fixed = trimEnd(text, start, unitEnd(text, { ...unit, start }));
      return { offset: start, message: `": " inside text is read as a key and a value; put the text in quotes: ${quoted(fixed)}` };
    }
  }
  return undefined;
}

/** A line starting with "- " where a key was expected, or a list item out of line with the one above. */
function explainDash(text: string, offset: number): Explanation | undefined {
  const start = lineStart(text, offset);
  const line = text.slice(start, lineEnd(text, start));
  const dash = /^( *)- /.exec(line);
  if (!dash) return undefined;
  const column = dash[1]!.length;
  let above = start - 1;
  let previous: string | undefined;
  while (above > 0) {
    const from = lineStart(text, above);
    const candidate = text.slice(from, above);
    above = from - 1;
    if (candidate.trim() !== '' && !candidate.trim().startsWith('#')) {
      previous = candidate;
      break;
    }
  }
  if (previous === undefined) return undefined;
  const prefix = /^( *)((?:- +)*)/.exec(previous)!;
  const contentColumn = prefix[0].length;
  const previousDash = prefix[2] === '' ? undefined : prefix[1]!.length;
  const isKey = /^[^\s:#][^:#]*:(\s|$)/.test(previous.slice(contentColumn));
  if (column === contentColumn && isKey) {
    return { offset: start + column, message: '"- " starts a list item, but the line above is a key at the same indentation; remove the "- "' };
  }
  if (previousDash !== undefined && column !== previousDash && column < contentColumn) {
    return { offset: start + column, message: `this list item is indented ${column} spaces but the one above is indented ${previousDash}; items of one list must line up` };
  }
  return undefined;
}

/**
 * Valid YAML that read as something other than text, where the schema wanted text: the reason
 * and the fix, to append to the schema's message ("; ..."), or '' when nothing explains it.
 */
export function explainValue(text: string, node: unknown): string {
  const start = isNode(node) && node.range ? node.range[0] : undefined;
  if (start === undefined) return '';
  const line = text.slice(lineStart(text, start), start);
  if (isMap(node) && !node.flow && node.items.length === 1) {
    // `- Note: this is bad`: one key and its value on the line of the "- ".
    const [pair] = node.items;
    const end = isNode(pair!.value) && pair!.value.range ? pair!.value.range[1] : undefined;
    if (isScalar(pair!.key) && pair!.key.type === 'PLAIN' && end !== undefined && !text.slice(start, end).includes('\n')) {
      return `; the ": " after "${String(pair!.key.value)}" makes it a key and a value: put the text in quotes: ${quoted(text.slice(start, end).trimEnd())}`;
    }
  }
  if (isSeq(node) && !node.flow && /^\s*- +$/.test(line)) return '; a second "- " starts a list inside the list: remove it';
  if (isScalar(node) && node.value === null && text[start] === '#') {
    return `; "#" after a space starts a comment: put the text in quotes: ${quoted(text.slice(start, lineEnd(text, start)).trimEnd())}`;
  }
  return '';
}

/**
 * An unknown key that is really text: the rest of a text after a "," in `{ }`, or the start of a
 * text with ": " in it (`- Risk: high`, a key no briefing has, capitalised or with spaces).
 */
export function explainKey(text: string, map: YAMLMap, value: unknown): string {
  const empty = value === null || value === undefined || (isScalar(value) && value.value === null && value.source === '');
  if (map.flow) return empty ? '; inside { }, a "," separates entries: put text that contains "," in quotes' : '';
  const key = map.items.length === 1 && isScalar(map.items[0]!.key) ? String(map.items[0]!.key.value) : '';
  return /[\sA-Z]/.test(key) ? explainValue(text, map) : '';
}
