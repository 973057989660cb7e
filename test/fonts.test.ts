// The fonts a deck embeds: the faces it has characters for, each cut down to them, each with the
// unicode-range that keeps a character in one face. (That the browser uses them, and the PDF
// embeds them, is checked on real decks in pdf.test.ts and pdf-text.test.ts.)

import { beforeAll, describe, expect, it } from 'vitest';
import { deckCharacters, deckFontCss, loadFontFaces, requestedFeatures, type FontFace } from '../src/fonts.js';
import { sfntToWoff, woffToSfnt } from '../src/woff.js';

let faces: FontFace[];

beforeAll(async () => {
  faces = await loadFontFaces();
});

const text = (chars: Set<number>) => String.fromCodePoint(...[...chars].sort((a, b) => a - b));
const rules = (css: string) => css.split('\n').filter(Boolean);
const describeRule = (rule: string) => `${/font-family:'([^']+)'/.exec(rule)?.[1]} ${/font-weight:(\d+)/.exec(rule)?.[1]} ${/font-style:(\w+)/.exec(rule)?.[1]} ${/unicode-range:U\+([\w-]+)/.exec(rule)?.[1]}`;

describe('the characters of a deck', () => {
  it('are its text, shown attribute values and style strings, decoded, in both cases', () => {
    const chars = text(deckCharacters('<body><p>caf&#xe9; &amp; &#252;ber</p><img alt="Łódź" src="data:image/png;base64,QQ=="><script>var ж = 1</script></body>', ['.q::before{content:"\\201C"}']));
    for (const c of ['é', 'É', 'ü', 'Ü', '&', '\u201C', 'C', 'a', 'Ł', 'ź']) expect(chars, c).toContain(c);
    // Not scripts, markup, URLs or data: only what a reader can see.
    for (const c of ['ж', '<', '=', 'Q', 'g']) expect(chars, c).not.toContain(c);
  });

  it('include what the browser adds itself: counters, the ellipsis, the notes heading', () => {
    const chars = text(deckCharacters('', []));
    for (const c of '0123456789\u2026\u00b7NOTESLID:') expect(chars).toContain(c);
  });
});

describe('the fonts of a deck', () => {
  const deck = (body: string) => `<body>${body}</body>`;
  const styles = ['.reveal{font-variant-numeric:tabular-nums}'];

  it('are the faces whose range holds its characters, with that range', async () => {
    const css = await deckFontCss(faces, deck('<p>Plain text</p>'), styles, []);
    expect(rules(css).map(describeRule)).toEqual([
      'Source Sans 3 400 normal 0000-00FF',
      'Source Sans 3 600 normal 0000-00FF',
      'Source Sans 3 700 normal 0000-00FF',
      'Source Sans 3 400 italic 0000-00FF',
      'Source Sans 3 700 italic 0000-00FF',
    ]);
    const withPolish = await deckFontCss(faces, deck('<p>Łódź</p>'), styles, []);
    expect(rules(withPolish).map(describeRule)).toContain('Source Sans 3 700 normal 0100-02BA');
  });

  it('have the code face only in a deck that shows code, or whose CSS asks for it', async () => {
    const code = 'Source Code Pro 400 normal 0000-00FF';
    expect(rules(await deckFontCss(faces, deck('<p>run <code>make</code></p>'), styles, [])).map(describeRule)).toContain(code);
    expect(rules(await deckFontCss(faces, deck('<p>run make</p>'), styles, ['.x { font-family: var(--bd-font-mono); }'])).map(describeRule)).toContain(code);
    expect(rules(await deckFontCss(faces, deck('<p>run make</p>'), styles, [])).map(describeRule)).not.toContain(code);
  });

  it('keep the features browsers apply, and those the CSS asks for', () => {
    expect(requestedFeatures('')).toEqual(expect.arrayContaining(['kern', 'liga', 'calt', 'mark']));
    expect(requestedFeatures('')).not.toContain('smcp');
    expect(requestedFeatures('.a{font-variant-numeric:tabular-nums diagonal-fractions}.b{font-variant:small-caps}.c{font-feature-settings:"ss01" 1}')).toEqual(
      expect.arrayContaining(['tnum', 'frac', 'numr', 'dnom', 'smcp', 'ss01']),
    );
  });

  it('are subset: a deck of a few letters embeds a fraction of the shipped faces', async () => {
    const shipped = faces.filter((f) => f.role === 'text' && f.unicodeRange.startsWith('U+0000')).reduce((sum, f) => sum + f.source.length, 0);
    const css = await deckFontCss(faces, deck('<p>Hello</p>'), styles, []);
    const embedded = [...css.matchAll(/base64,([^)]+)\)/g)].reduce((sum, m) => sum + Buffer.from(m[1]!, 'base64').length, 0);
    expect(embedded).toBeGreaterThan(0);
    expect(embedded).toBeLessThan(shipped / 4);
  });

  it('are the same bytes every time', async () => {
    const html = deck('<h1>Bottom line</h1><p>Assad in China</p>');
    const first = await deckFontCss(faces, html, styles, []);
    const fresh = await loadFontFaces(); // no subsets kept from before
    expect(await deckFontCss(fresh, html, styles, [])).toBe(first);
  });
});

describe('WOFF', () => {
  it('keeps every table of the font, byte for byte, both ways', async () => {
    const sfnt = faces[0]!.source;
    const woff = sfntToWoff(sfnt);
    expect(woff.toString('latin1', 0, 4)).toBe('wOFF');
    expect(woff.readUInt32BE(8)).toBe(woff.length);
    expect(woff.length).toBeLessThan(sfnt.length * 0.7);
    const tables = (font: Buffer) =>
      Object.fromEntries(Array.from({ length: font.readUInt16BE(4) }, (_, i) => 12 + 16 * i).map((e) => [font.toString('latin1', e, e + 4), [font.readUInt32BE(e + 4), font.subarray(font.readUInt32BE(e + 8), font.readUInt32BE(e + 8) + font.readUInt32BE(e + 12))]]));
    expect(tables(woffToSfnt(woff))).toEqual(tables(sfnt));
  });
});
