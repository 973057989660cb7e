// The fonts a deck embeds: the faces it has characters for, each cut down to them, each with the
// unicode-range that keeps a character in one face. (That the browser uses them, and the PDF
// embeds them, is checked on real decks in pdf.test.ts and pdf-text.test.ts.)

import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { deckCharacters, deckFontCss, loadFontFaces, type FontFace } from '../src/fonts.js';
import { sfntToWoff } from '../src/woff.js';

let faces: FontFace[];

beforeAll(async () => {
  faces = await loadFontFaces();
});

const text = (chars: Set<number>) => String.fromCodePoint(...[...chars].sort((a, b) => a - b));
const rules = (css: string) => css.split('\n').filter(Boolean);
const describeRule = (rule: string) => `${/font-family:'([^']+)'/.exec(rule)?.[1]} ${/font-weight:(\d+)/.exec(rule)?.[1]} ${/font-style:(\w+)/.exec(rule)?.[1]} ${/unicode-range:U\+([\w-]+)/.exec(rule)?.[1]}`;

describe('the characters of a deck', () => {
  it('are its text with entities and CSS escapes decoded, in both cases, without its scripts', () => {
    const chars = deckCharacters('<p>caf&#xe9; &amp; &#252;ber</p><style>.q::before{content:"\\201C"}</style><script>var ж = 1</script>');
    for (const c of ['é', 'É', 'ü', 'Ü', '&', '\u201C', 'C', 'a']) expect(chars.has(c.codePointAt(0)!), c).toBe(true);
    expect(chars.has('ж'.codePointAt(0)!)).toBe(false);
  });

  it('include what the browser adds itself: counters, the ellipsis, the notes heading', () => {
    const chars = text(deckCharacters(''));
    for (const c of '0123456789\u2026\u00b7NOTESLID:') expect(chars).toContain(c);
  });
});

describe('the fonts of a deck', () => {
  it('are the faces whose range holds its characters, with that range', async () => {
    const css = await deckFontCss(faces, deckCharacters('<p>Plain text</p>'));
    expect(rules(css).map(describeRule)).toEqual([
      'Source Sans 3 400 normal 0000-00FF',
      'Source Sans 3 600 normal 0000-00FF',
      'Source Sans 3 700 normal 0000-00FF',
      'Source Sans 3 400 italic 0000-00FF',
      'Source Sans 3 700 italic 0000-00FF',
      'Source Code Pro 400 normal 0000-00FF',
    ]);
    const withPolish = await deckFontCss(faces, deckCharacters('<p>Łódź</p>'));
    expect(rules(withPolish).map(describeRule)).toContain('Source Sans 3 700 normal 0100-02BA');
  });

  it('are subset: a deck of a few letters embeds a fraction of the shipped faces', async () => {
    const shipped = faces.filter((f) => f.unicodeRange.startsWith('U+0000')).reduce((sum, f) => sum + f.source.length, 0);
    const css = await deckFontCss(faces, new Set([...'Hello'].map((c) => c.codePointAt(0)!)));
    const embedded = [...css.matchAll(/base64,([^)]+)\)/g)].reduce((sum, m) => sum + Buffer.from(m[1]!, 'base64').length, 0);
    expect(embedded).toBeGreaterThan(0);
    expect(embedded).toBeLessThan(shipped / 4);
  });

  it('are the same bytes every time', async () => {
    const chars = deckCharacters('<h1>Bottom line</h1><p>Assad in China</p>');
    expect(await deckFontCss(faces, chars)).toBe(await deckFontCss(faces, chars));
  });
});

describe('WOFF packing', () => {
  it('keeps every table of the font, byte for byte', async () => {
    const sfnt = Buffer.from(await (await import('subset-font')).default(faces[0]!.source, 'Hello', { targetFormat: 'truetype' }));
    const woff = sfntToWoff(sfnt);
    expect(woff.toString('latin1', 0, 4)).toBe('wOFF');
    expect(woff.readUInt32BE(8)).toBe(woff.length);
    const count = sfnt.readUInt16BE(4);
    expect(woff.readUInt16BE(12)).toBe(count);
    for (let i = 0; i < count; i++) {
      const entry = 12 + 16 * i;
      const tag = sfnt.readUInt32BE(entry);
      const original = sfnt.subarray(sfnt.readUInt32BE(entry + 8), sfnt.readUInt32BE(entry + 8) + sfnt.readUInt32BE(entry + 12));
      const at = [...Array(count).keys()].map((j) => 44 + 20 * j).find((e) => woff.readUInt32BE(e) === tag)!;
      const stored = woff.subarray(woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 4) + woff.readUInt32BE(at + 8));
      expect(stored.length === original.length ? stored : inflateSync(stored)).toEqual(original);
      expect(woff.readUInt32BE(at + 16)).toBe(sfnt.readUInt32BE(entry + 4));
    }
  });
});
