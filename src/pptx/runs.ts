// Runs: the deck's text (safe HTML made by markdown.ts, a small known set of elements) read back
// as paragraphs of styled runs for PowerPoint. Text stays text: nothing here is ever markup in
// the PPTX, and only http, https and mailto links (and citation jumps) become hyperlinks.

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  /** A web or mail link. */
  href?: string;
  /** A citation marker: superscript, jumping to the Sources slide. */
  citation?: boolean;
}

export interface Paragraph {
  runs: Run[];
  /** List depth: 0 for body text, 1 for a top-level list item, 2 for one nested in it... */
  level: number;
  /** Numbered list item. */
  numbered?: boolean;
  heading?: boolean;
  quote?: boolean;
  /** A line of a code block. */
  pre?: boolean;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const SAFE_LINK = /^(https?:|mailto:)/i;
const TOKEN = /<(\/?)([a-z][a-z0-9]*)([^>]*)>|([^<]+)/gi;
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'pre', 'blockquote', 'tr', 'hr']);

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? decodeEntities(m[1]!) : undefined;
}

/** Paragraphs of runs from the deck's HTML (an inline text or a Markdown body). */
export function paragraphsOf(html: string | { toString(): string } | undefined): Paragraph[] {
  if (html === undefined) return [];
  const out: Paragraph[] = [];
  const lists: ('ul' | 'ol')[] = [];
  const marks: Omit<Run, 'text'>[] = [{}];
  let quote = 0;
  let current: Paragraph | undefined;
  let pre = false;
  const open = (extra: Partial<Paragraph> = {}) => {
    current = { runs: [], level: lists.length, ...(lists.at(-1) === 'ol' ? { numbered: true } : {}), ...(quote > 0 ? { quote: true } : {}), ...extra };
    out.push(current);
    return current;
  };
  const add = (text: string) => {
    if (text === '') return;
    if (pre) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (i > 0 || current === undefined) open({ pre: true, level: 0 });
        if (line !== '') current!.runs.push({ text: line, code: true });
      });
      return;
    }
    const para = current ?? open();
    const style = marks.at(-1)!;
    const last = para.runs.at(-1);
    const clean = text.replace(/\s*\n\s*/g, ' ');
    if (last && JSON.stringify({ ...last, text: '' }) === JSON.stringify({ ...style, text: '' })) last.text += clean;
    else para.runs.push({ ...style, text: clean });
  };
  for (const m of String(html).matchAll(TOKEN)) {
    if (m[4] !== undefined) {
      add(decodeEntities(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    const attrs = m[3] ?? '';
    if (tag === 'ul' || tag === 'ol') {
      if (closing) lists.pop();
      else lists.push(tag);
      current = undefined;
    } else if (tag === 'blockquote') {
      quote += closing ? -1 : 1;
      current = undefined;
    } else if (tag === 'br') {
      if (current) open({ level: current.level, ...(current.numbered ? { numbered: true } : {}) }).level = current.level;
    } else if (BLOCKS.has(tag)) {
      if (tag === 'pre') pre = !closing;
      if (closing) current = undefined;
      // A paragraph inside a list item continues the item (loose lists).
      else if (!(tag === 'p' && current !== undefined && current.runs.length === 0)) {
        if (tag !== 'p' || lists.length === 0 || current === undefined) open(/^h\d$/.test(tag) ? { heading: true } : {});
      }
      if (tag === 'tr' && !closing) current = open();
    } else if (tag === 'td' || tag === 'th') {
      if (!closing && current && current.runs.length > 0) add('\t');
    } else if (closing) {
      if (marks.length > 1) marks.pop();
    } else {
      const style = { ...marks.at(-1)! };
      if (tag === 'strong' || tag === 'b') style.bold = true;
      else if (tag === 'em' || tag === 'i') style.italic = true;
      else if (tag === 'code') style.code = true;
      else if (tag === 's' || tag === 'del') style.strike = true;
      else if (tag === 'a') {
        const href = attribute(attrs, 'href') ?? '';
        if (/\bclass="citation"/.test(attrs)) style.citation = true;
        else if (SAFE_LINK.test(href.trim())) style.href = href.trim();
      } else if (tag === 'span' && /\bclass="citations"/.test(attrs)) style.citation = true;
      marks.push(style);
    }
  }
  return out.filter((p) => p.runs.some((r) => r.text.trim() !== '')).map((p) => trimmed(p));
}

function trimmed(p: Paragraph): Paragraph {
  if (p.pre) return p;
  const runs = p.runs.map((r) => ({ ...r }));
  runs[0]!.text = runs[0]!.text.replace(/^\s+/, '');
  runs.at(-1)!.text = runs.at(-1)!.text.replace(/\s+$/, '');
  return { ...p, runs: runs.filter((r) => r.text !== '') };
}

/** The runs of one inline text (a title, a point), joined into a single paragraph. */
export function runsOf(html: string | { toString(): string } | undefined): Run[] {
  return paragraphsOf(html).flatMap((p, i) => (i === 0 ? p.runs : [{ text: ' ' }, ...p.runs]));
}

/** The text a reader sees. */
export function textOf(html: string | { toString(): string } | undefined): string {
  return runsOf(html).map((r) => r.text).join('');
}
