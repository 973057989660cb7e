// The rendered document: self-contained, escaped, deterministic, with the generated slides.

import { beforeAll, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit, type Toolkit } from '../src/compile.js';
import { minifyCss } from '../src/assets.js';
import { Reporter } from '../src/diagnostics.js';
import { buildDeck } from '../src/model.js';
import { parseBriefing } from '../src/parse.js';
import { renderDeck } from '../src/render.js';
import { validateBriefing } from '../src/validate.js';
import { EXAMPLE } from './helpers/paths.js';

let toolkit: Toolkit;
beforeAll(async () => {
  toolkit = await loadToolkit();
});

function deckOf(text: string) {
  const reporter = new Reporter('t.yaml');
  const valid = validateBriefing(parseBriefing(text, reporter)!, reporter);
  expect(reporter.diagnostics).toEqual([]);
  return buildDeck(valid!.briefing, new Map());
}

const BRIEFING = `title: "Title with <b>tags</b> & </title><script>window.x=1</script>"
date: 2024-03-05
summary: 'A "quoted" summary </head>'
keywords: [alpha, beta]
agenda: true
sources:
  - {id: a, title: Source A, url: "https://a.example/x?y=1&z=2"}
  - {id: b, title: Source B}
  - {id: c, title: Never cited}
slides:
  - {type: section, title: One}
  - {type: summary, title: S, points: ["first b [@b]", "then a [@a] and b again [@b]"]}
  - {type: section, title: Two}
  - {type: quote, quote: "Q <img src=x onerror=alert(1)>", cite: a}
`;

describe('the deck model', () => {
  it('adds the title, agenda and sources slides around the briefing slides', () => {
    const deck = deckOf(BRIEFING);
    expect(deck.slides.map((s) => s.kind)).toEqual(['title', 'agenda', 'section', 'summary', 'section', 'quote', 'sources']);
    expect(deck.slides.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(deck.slides.map((s) => s.level)).toEqual([0, 0, 0, 1, 0, 1, 0]);
  });

  it('lists the sections on the agenda, linked by slide id', () => {
    const items = deckOf(BRIEFING).slides[1]!.fields.items as { title: unknown; href: string; number: number }[];
    expect(items.map((i) => [String(i.title), i.href, i.number])).toEqual([
      ['One', '#/slide-3', 3],
      ['Two', '#/slide-5', 5],
    ]);
  });

  it('lists every slide on the agenda when there are no sections', () => {
    const deck = deckOf('title: T\ndate: 2024-01-01\nagenda: true\nslides:\n  - {type: text, title: A, body: x}\n  - {type: text, title: B, body: y}\n');
    expect((deck.slides[1]!.fields.items as unknown[]).length).toBe(2);
  });

  it('numbers sources by first citation, then lists the uncited ones', () => {
    const sources = deckOf(BRIEFING).slides.at(-1)!.fields.sources as { number: number; anchor: string }[];
    expect(sources.map((s) => [s.number, s.anchor])).toEqual([
      [1, 'source-b'],
      [2, 'source-a'],
      [3, 'source-c'],
    ]);
  });
});

describe('the rendered HTML', () => {
  const render = (text: string) => renderDeck(deckOf(text), toolkit.templates, toolkit.assets);

  it('escapes briefing text everywhere, including <title> and metadata', async () => {
    const html = await render(BRIEFING);
    expect(html).not.toContain('<script>window.x');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>tags');
    const head = (pattern: RegExp) => pattern.exec(html)?.[0];
    expect(head(/<title>.*<\/title>/)).toBe('<title>Title with &lt;b&gt;tags&lt;/b&gt; &amp; &lt;/title&gt;&lt;script&gt;window.x&#x3D;1&lt;/script&gt;</title>');
    expect(head(/<meta name="description"[^>]*>/)).toBe('<meta name="description" content="A &quot;quoted&quot; summary &lt;/head&gt;">');
    expect(head(/<meta name="keywords"[^>]*>/)).toBe('<meta name="keywords" content="alpha, beta">');
  });

  it('is self-contained: nothing is loaded from elsewhere', async () => {
    const html = await render(BRIEFING);
    const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
    const markup = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, '');
    expect(/<link\b/i.test(markup)).toBe(false);
    expect(/<script[^>]+src=/i.test(html)).toBe(false);
    expect(/@import/.test(css)).toBe(false);
    expect(css.match(/url\((?!data:)[^)]*\)/g)).toBeNull();
    expect(markup.match(/\ssrc="(?!data:)[^"]*"/g)).toBeNull();
    expect(/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;/.test(html)).toBe(true);
    // Only the deck's own scripts (and the speaker view's) may run: by hash, never 'unsafe-inline'.
    const policy = (/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    const scriptSrc = /script-src ([^;]*);/.exec(policy)?.[1] ?? '';
    expect(scriptSrc).not.toContain('unsafe-inline');
    // reveal.js, the notes plugin's stand-in, the set-up, the fit script; the plugin itself; the speaker view's.
    expect(scriptSrc.match(/'sha256-[A-Za-z0-9+/]+=*'/g)?.length).toBe(6);
  });

  it('is the same every time', async () => {
    expect(await render(BRIEFING)).toBe(await render(BRIEFING));
  });

  it('sizes the slides by aspect', async () => {
    expect(await render(BRIEFING.replace('agenda: true', 'aspect: "4:3"'))).toContain('"width":960,"height":720');
    expect(await render(BRIEFING)).toContain('"width":1280,"height":720');
  });
});

describe('the weight of a deck', () => {
  it('keeps the example under 300 KB: fonts subset, speaker view packed, no stylesheet comments', async () => {
    const { html } = await compileBriefing(EXAMPLE, toolkit);
    expect(Buffer.byteLength(html!)).toBeLessThanOrEqual(300_000);
    expect(html).not.toContain('/* briefdeck base stylesheet');
  });

  it("minifies briefdeck's own CSS without changing what it says", () => {
    expect(minifyCss("/* note */\n.a > .b ,\n.c {\n  color: red ;\n  content: '\\2014\\00a0';\n}\n@media (max-width: 10px) { .d { margin: 0 auto; } }\n")).toBe(
      ".a>.b,.c{color:red;content:'\\2014\\00a0'}@media (max-width:10px){.d{margin:0 auto}}",
    );
  });
});
