// A light reading of YAML text, enough to say which value the parser was reading at an offset
// (a plain text, a quoted one, an entry inside `[ ]` or `{ }`) and where that value ends. Not a
// parser: it is run on the text before a syntax error, which the parser has already accepted.

/** A piece of text the parser read as one value (or one entry of a `[ ]` or `{ }`). */
export interface Unit {
  start: number;
  /** The bracket it sits inside, where `[]{},` end text that is not quoted. */
  flow?: '[' | '{';
  /** For a quoted value, the offset just past its closing quote (undefined if it never closes). */
  quoteEnd?: number;
}

export interface Scan {
  /** The last value that started at or before the limit. */
  unit?: Unit;
  /** Where the innermost block value (the text after `key: ` or `- `) started. */
  blockValue?: number;
  /** Offsets of the `[`/`{` still open at the limit, outermost first. */
  open: number[];
  /** A quoted value that runs to the end of the text. */
  unclosedQuote?: number;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === undefined || c === '\n' || c === '\r';

export function skipQuoted(text: string, i: number): number | undefined {
  const q = text[i]!;
  for (let j = i + 1; j < text.length; j++) {
    if (q === '"' && text[j] === '\\') j++;
    else if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return undefined;
}

/**
 * Reads the text the way YAML does, just far enough to know, at `limit`, which value is being
 * read and whether it sits inside brackets. Not a parser: it trusts the lines before the error.
 */
export function scan(text: string, limit: number): Scan {
  const out: Scan = { open: [] };
  let atStart = true;
  for (let i = 0; i <= limit && i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      if (out.open.length === 0) atStart = true;
      continue;
    }
    if (isSpace(c) || c === '\r') continue;
    if (c === '#' && (i === 0 || isSpace(text[i - 1]) || isBreak(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    const inFlow = out.open.length > 0;
    const flow = inFlow ? { flow: text[out.open.at(-1)!] as '[' | '{' } : {};
    if (atStart) {
      if (!inFlow && (c === '-' || c === '?') && (isSpace(text[i + 1]) || isBreak(text[i + 1]))) continue;
      if (!inFlow) out.blockValue = i;
      atStart = false;
      if (c === '"' || c === "'") {
        const end = skipQuoted(text, i);
        out.unit = { start: i, ...flow, ...(end === undefined ? {} : { quoteEnd: end }) };
        if (end === undefined) {
          out.unclosedQuote = i;
          return out;
        }
        i = end - 1;
        continue;
      }
      if (c === '[' || c === '{') {
        out.open.push(i);
        out.unit = { start: i, ...flow };
        atStart = true;
        continue;
      }
      out.unit = { start: i, ...flow };
      if (!inFlow && (c === '|' || c === '>') && /^[|>][-+0-9]*[ \t]*(#.*)?$/.test(text.slice(i, lineEnd(text, i)))) {
        // A block of lines (`notes: |`): its lines are text, whatever they contain.
        const indent = /^ */.exec(text.slice(lineStart(text, i)))![0].length;
        let next = lineEnd(text, i);
        while (next < text.length) {
          const line = text.slice(next + 1, lineEnd(text, next + 1));
          if (line.trim() !== '' && /^ */.exec(line)![0].length <= indent) break;
          next = lineEnd(text, next + 1);
        }
        if (next >= limit) return out;
        i = next - 1;
        continue;
      }
    }
    if (inFlow && c === ',') atStart = true;
    else if (inFlow && (c === ']' || c === '}')) out.open.pop();
    else if (c === ':' && (isSpace(text[i + 1]) || isBreak(text[i + 1]) || (inFlow && ',]}'.includes(text[i + 1]!)))) atStart = true;
  }
  return out;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

/** The end of a plain value: the line's end (before a comment), or inside brackets the next `,` or closing bracket. */
export function unitEnd(text: string, unit: Unit): number {
  const end = lineEnd(text, unit.start);
  let depth = 0;
  for (let i = unit.start; i < end; i++) {
    const c = text[i]!;
    if (c === '#' && isSpace(text[i - 1])) return i;
    if (unit.flow === undefined) continue;
    if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth-- === 0) return i;
    else if (c === ',' && depth === 0) return i;
  }
  return end;
}
