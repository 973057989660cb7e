// The catalog: `<out>/index.html`, one page listing every briefing in the manifest, newest first,
// with its title slide (the `thumbnail` image when one was built, else a miniature drawn in HTML)
// and links to its outputs, its slide images among them. Self-contained like the decks: its only
// requests are for those images beside it, so it works from file:// and any static host. A small
// inline script, allowed by its hash, filters the list by text, keyword and classification; with
// scripts off it is a plain list. Watch serves the same page, live (serve.ts), with each failing
// briefing's errors.

import { createHash } from 'node:crypto';
import type { Manifest, ManifestBriefing } from './manifest.js';

export interface CatalogOptions {
  /** Watch mode: the server-sent events path that reloads the page on each rebuild. */
  events?: string;
  /** Watch mode: each failing briefing's formatted errors, by name. */
  problems?: ReadonlyMap<string, readonly string[]>;
  /** What links start with ('' for files beside the page, '/' when served). */
  base?: string;
  /**
   * Each briefing's slide size in pixels, by name, as its image files have it: the size attributes
   * that keep the page from shifting as images load. A briefing's images are shown only with it.
   */
  sizes?: ReadonlyMap<string, ImageSize>;
}

export interface ImageSize {
  width: number;
  height: number;
}

const LINKS: readonly [kind: string, label: string][] = [
  ['html', 'Deck'],
  ['pdf', 'PDF'],
  ['notes', 'Handout'],
  ['pptx', 'PPTX'],
];

const STYLE = `:root{color-scheme:light;--ink:#18212f;--muted:#4d5868;--line:#d3d9e2}
*{box-sizing:border-box}body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1040px;padding:16px;color:var(--ink);background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}.muted{color:var(--muted)}
form{display:flex;flex-wrap:wrap;gap:8px 16px;margin:12px 0;align-items:end}form label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,button{font:inherit;padding:6px 8px;border:1px solid #8a94a3;border-radius:4px;min-width:12rem;max-width:100%;color:var(--ink);background:#fff}
ol{list-style:none;margin:0;padding:0}li.briefing{display:grid;grid-template-columns:220px 1fr;gap:16px;padding:16px 0;border-top:1px solid var(--line)}
li.briefing[hidden]{display:none}
.thumb{aspect-ratio:16/9;border:1px solid var(--line);border-radius:4px;background:#f4f6f9;display:flex;flex-direction:column;overflow:hidden;font-size:11px;line-height:1.25}
.thumb .band{padding:2px 6px;font-size:8px;text-align:center;text-transform:uppercase;letter-spacing:.04em}
.thumb .t{flex:1;display:flex;flex-direction:column;justify-content:center;padding:6px 12px;font-weight:700;font-size:14px;overflow:hidden}
.thumb .t small{font-weight:400;font-size:9px;color:var(--muted);margin-top:4px}
h2{font-size:1.15rem;margin:0 0 4px}h2 a{color:#0b4f9c}.meta{margin:0 0 6px;font-size:.9rem}
.mark{display:inline-block;padding:0 6px;border-radius:3px;font-size:.8rem;font-weight:600}
.level-unclassified{background:#1d6b3a;color:#fff}.level-cui{background:#5b2a86;color:#fff}.level-confidential{background:#1d4f91;color:#fff}
.level-secret{background:#a3121c;color:#fff}.level-top-secret{background:#8a4500;color:#fff}.level-none{background:#4a5565;color:#fff}
.summary{margin:0 0 6px}.keywords{list-style:none;display:flex;flex-wrap:wrap;gap:4px;margin:0 0 6px;padding:0}.keywords li{background:#eef1f5;border-radius:3px;padding:0 6px;font-size:.8rem}
.links{display:flex;gap:12px;flex-wrap:wrap;margin:0}.links a{color:#0b4f9c;font-weight:600}
.errors{color:#a3121c;font:13px/1.4 monospace;white-space:pre-wrap;margin:4px 0}
img{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#f4f6f9}.shot{align-self:start}
.slides{margin:6px 0 0}.slides summary{cursor:pointer;font-weight:600;color:#0b4f9c}
.slides ol{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:8px;margin:8px 0 0}.slides a{display:block;color:#0b4f9c;font-size:.8rem}
@media (max-width:640px){li.briefing{grid-template-columns:1fr}.thumb,.shot{max-width:200px}.slides ol{grid-template-columns:repeat(auto-fill,minmax(96px,1fr))}input,select{min-width:0;width:100%}form label{flex:1 1 100%}}`;

/** Filters the list; the form is shown only when this runs, so without scripts the list is plain. */
const SCRIPT = `(() => {
  const form = document.getElementById('filters');
  const count = document.getElementById('count');
  const items = [...document.querySelectorAll('li.briefing')];
  form.hidden = false;
  const apply = () => {
    const words = form.elements.q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const keyword = form.elements.keyword.value;
    const marking = form.elements.marking.value;
    let shown = 0;
    for (const item of items) {
      const keep = words.every((w) => item.dataset.text.includes(w)) && (!keyword || item.dataset.keywords.split('\\n').includes(keyword)) && (!marking || item.dataset.marking === marking);
      item.hidden = !keep;
      if (keep) shown++;
    }
    count.textContent = shown === items.length ? items.length + ' briefings' : shown + ' of ' + items.length + ' briefings';
  };
  form.addEventListener('input', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  apply();
})();`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Newest first; briefings of the same date by name. */
function newestFirst([a, x]: [string, ManifestBriefing], [b, y]: [string, ManifestBriefing]): number {
  const dates = (y.date ?? '').localeCompare(x.date ?? '');
  return dates !== 0 ? dates : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An image of a slide. Lazy, so a long catalog fetches only what is scrolled to (and nothing in a
 * closed `<details>`); its alt text is empty because the words beside it (the briefing's title, a
 * slide's number) already say what it is, and a reader would otherwise hear the title twice.
 */
function picture(src: string, size: ImageSize): string {
  return `<img src="${escapeHtml(src)}" alt="" width="${size.width}" height="${size.height}" loading="lazy" decoding="async">`;
}

/**
 * The title slide: the real one when a thumbnail was built, else a miniature in HTML. The picture
 * links to the deck for a pointer's sake, but is out of the tab order and hidden from screen
 * readers: the heading beside it is the same link, with words.
 */
function titleSlide(b: ManifestBriefing, title: string, base: string, size: ImageSize | undefined): string {
  const thumbnail = b.outputs.thumbnail;
  if (thumbnail !== undefined && size !== undefined) {
    const image = picture(base + thumbnail.path, size);
    return b.outputs.html === undefined ? `<div class="shot">${image}</div>` : `<a class="shot" href="${escapeHtml(base + b.outputs.html.path)}" tabindex="-1" aria-hidden="true">${image}</a>`;
  }
  const level = b.level ?? 'none';
  return `<div class="thumb" aria-hidden="true">${b.classification === undefined ? '' : `<span class="band level-${level}">${escapeHtml(b.classification)}</span>`}<span class="t">${title}<small>${escapeHtml(b.date ?? '')}</small></span></div>`;
}

/**
 * Every slide as an image, folded away until asked for: a contact sheet to find a slide by eye,
 * each linking to the full image. No page of its own, since the folder of images is the build's.
 */
function slideImages(b: ManifestBriefing, base: string, size: ImageSize | undefined): string {
  const files = b.outputs.images?.files ?? [];
  if (files.length === 0) return '';
  const slides = files.map((file, i) => `<li><a href="${escapeHtml(base + file.path)}">${size === undefined ? '' : picture(base + file.path, size)}Slide ${i + 1}</a></li>`);
  return `<details class="slides"><summary>Slide images (${files.length})</summary><ol>${slides.join('')}</ol></details>`;
}

function item(name: string, b: ManifestBriefing, options: CatalogOptions): string {
  const base = options.base ?? '';
  const title = escapeHtml(b.title ?? name);
  const level = b.level ?? 'none';
  const marking = b.classification === undefined ? '' : `<span class="mark level-${level}">${escapeHtml(b.classification)}</span>`;
  const links = LINKS.filter(([kind]) => b.outputs[kind] !== undefined).map(([kind, label]) => `<a href="${escapeHtml(base + b.outputs[kind]!.path)}">${label}</a>`);
  const deck = b.outputs.html === undefined ? title : `<a href="${escapeHtml(base + b.outputs.html.path)}">${title}</a>`;
  const size = options.sizes?.get(name);
  const text = [b.title ?? name, b.summary ?? '', b.classification ?? '', ...(b.keywords ?? []), b.date ?? ''].join(' ').toLowerCase();
  const problems = options.problems?.get(name) ?? [];
  const slides = b.slides === undefined ? '' : ` · ${b.slides} slide${b.slides === 1 ? '' : 's'}`;
  return `<li class="briefing" data-text="${escapeHtml(text)}" data-keywords="${escapeHtml((b.keywords ?? []).join('\n'))}" data-marking="${escapeHtml(b.classification ?? '')}">
${titleSlide(b, title, base, size)}
<div><h2>${deck}</h2>
<p class="meta">${b.date === undefined ? '' : `<time datetime="${escapeHtml(b.date)}">${escapeHtml(b.date)}</time>`}${slides}${marking === '' ? '' : ` · ${marking}`}</p>
${b.summary === undefined ? '' : `<p class="summary">${escapeHtml(b.summary)}</p>`}
${b.keywords?.length ? `<ul class="keywords">${b.keywords.map((k) => `<li>${escapeHtml(k)}</li>`).join('')}</ul>` : ''}
${problems.length > 0 ? `<div class="errors" role="alert">${problems.map(escapeHtml).join('\n')}</div>` : ''}
${links.length > 0 ? `<p class="links">${links.join(' ')}</p>` : ''}
${slideImages(b, base, size)}</div>
</li>`;
}

function options(label: string, name: string, values: readonly string[]): string {
  return `<label>${label}<select name="${name}"><option value="">All</option>${values.map((v) => `<option>${escapeHtml(v)}</option>`).join('')}</select></label>`;
}

/** The catalog page of a manifest. */
export function renderCatalog(manifest: Manifest, opts: CatalogOptions = {}): string {
  const listed = Object.entries(manifest.briefings)
    .filter(([name, b]) => b.outputs.html !== undefined || (opts.problems?.get(name)?.length ?? 0) > 0)
    .sort(newestFirst);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  const keywords = sorted(listed.flatMap(([, b]) => b.keywords ?? []));
  const markings = sorted(listed.flatMap(([, b]) => (b.classification === undefined ? [] : [b.classification])));
  const live = opts.events === undefined ? '' : `new EventSource(${JSON.stringify(opts.events)}).addEventListener('index', () => location.reload());`;
  const scripts = [SCRIPT, ...(live ? [live] : [])];
  // Images come from beside the page: 'self' over http. A page opened from disk has an opaque
  // origin, which Chromium lets 'self' match with file: URLs but Firefox does not, so the page
  // written to disk also names file: (a served page never loads file: URLs, so watch's page omits it).
  const images = live ? "data: 'self'" : "data: 'self' file:";
  const csp = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${scripts.map(hash).join(' ')}; img-src ${images}${live ? "; connect-src 'self'" : ''}`;
  const count = `${listed.length} briefing${listed.length === 1 ? '' : 's'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>Briefings</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Briefings</h1>
<p class="muted" id="count" aria-live="polite">${count}</p></header>
<main>
<form id="filters" role="search" aria-label="Filter briefings" hidden>
<label>Search<input type="search" name="q" autocomplete="off"></label>
${options('Keyword', 'keyword', keywords)}
${options('Classification', 'marking', markings)}
<button type="submit">Filter</button>
</form>
<ol class="catalog">
${listed.map(([name, b]) => item(name, b, opts)).join('\n')}
</ol>
</main>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}
