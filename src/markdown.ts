// Markdown for briefing text: inline marks everywhere, blocks in `text` bodies and notes, and
// `[@id]` citations. Raw HTML is never interpreted and only http, https and mailto links are links.

import MarkdownIt from 'markdown-it';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';

/** Numbers sources in order of first citation; shared by every text of one deck. */
export class CitationRegistry {
  private readonly numbers = new Map<string, number>();

  number(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(id, n);
    }
    return n;
  }

  has(id: string): boolean {
    return this.numbers.has(id);
  }
}

export interface RenderEnv {
  citations: CitationRegistry;
  /** Where a citation marker links to (the Sources slide). */
  citationHref: (id: string) => string;
}

const CITATION = /^\[@([A-Za-z0-9_][A-Za-z0-9_:.-]*)((?:\s*;\s*@[A-Za-z0-9_][A-Za-z0-9_:.-]*)*)\]/;
const SAFE_LINK = /^(https?:|mailto:)/i;

function citationRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const match = CITATION.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) {
    const ids = [match[1]!, ...match[2]!.split(';').map((s) => s.trim().slice(1)).filter(Boolean)];
    const token = state.push('citation', '', 0);
    token.meta = { ids, offset: state.pos };
  }
  state.pos += match[0].length;
  return true;
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: false });
  md.disable(['image']);
  md.validateLink = (url) => SAFE_LINK.test(url.trim());
  md.inline.ruler.before('link', 'citation', citationRule);
  md.renderer.rules.citation = (tokens, index, _options, env: RenderEnv) => {
    const ids: string[] = tokens[index]!.meta.ids;
    const links = ids.map((id) => {
      const n = env.citations.number(id);
      const href = md.utils.escapeHtml(env.citationHref(id));
      return `<a class="citation" href="${href}" data-source="${md.utils.escapeHtml(id)}" aria-label="Source ${n}">${n}</a>`;
    });
    return `<span class="citations">[${links.join(', ')}]</span>`;
  };
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, o, _e, self) => self.renderToken(tokens, i, o));
  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    tokens[index]!.attrSet('rel', 'noopener noreferrer');
    tokens[index]!.attrSet('target', '_blank');
    return defaultLinkOpen(tokens, index, options, env, self);
  };
  return md;
}

const md = createMarkdown();

export function renderInline(src: string, env: RenderEnv): string {
  return md.renderInline(src, env);
}

export function renderBlock(src: string, env: RenderEnv): string {
  return md.render(src, env);
}

export interface CitationUse {
  id: string;
  /** Offset of the `[` in the source text. */
  offset: number;
}

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    if (token.children) walk(token.children, visit);
  }
}

/** Every citation in a text (inline or block), in order; code spans are not citations. */
export function findCitations(src: string, block = false): CitationUse[] {
  const tokens = block ? md.parse(src, {}) : md.parseInline(src, {});
  const uses: CitationUse[] = [];
  walk(tokens, (token) => {
    if (token.type === 'citation') for (const id of token.meta.ids as string[]) uses.push({ id, offset: token.meta.offset });
  });
  return uses;
}

/** The text a reader sees, without marks or citations: for <title>, metadata and outlines. */
export function plainText(src: string): string {
  let out = '';
  walk(md.parseInline(src, {}), (token) => {
    if (token.type === 'text' || token.type === 'code_inline') out += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') out += ' ';
  });
  return out.replace(/\s+/g, ' ').trim();
}
