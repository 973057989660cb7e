// Validation fed from strings: positions, collected errors, suggestions, typed output.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic, Reporter } from '../src/diagnostics.js';
import { buildDeck } from '../src/model.js';
import { parseBriefing } from '../src/parse.js';
import { deckSlideName } from '../src/slide-name.js';
import { validateBriefing } from '../src/validate.js';

function check(text: string) {
  const reporter = new Reporter('b.yaml');
  const parsed = parseBriefing(text, reporter);
  const valid = parsed && validateBriefing(parsed, reporter);
  return { valid, messages: reporter.diagnostics.map(formatDiagnostic) };
}

const base = 'title: T\ndate: 2024-01-31\n';

describe('validation', () => {
  it('returns a typed briefing for a valid file', () => {
    const { valid, messages } = check(`${base}slides:\n  - type: summary\n    title: S\n    points: [a, b]\n`);
    expect(messages).toEqual([]);
    expect(valid?.briefing.slides[0]).toEqual({ type: 'summary', title: 'S', points: ['a', 'b'] });
    expect(valid?.locate(['slides', 0, 'points'])).toEqual({ line: 6, column: 13 });
  });

  it('reports every problem in the file at once', () => {
    const { valid, messages } = check('title: 3\ndate: tomorrow\nslides: []\ncolour: red\n');
    expect(valid).toBeUndefined();
    expect(messages).toEqual([
      'b.yaml:4:1: error: the briefing has unknown key "colour"',
      'b.yaml:1:8: error: title must be a string, got a number',
      'b.yaml:2:7: error: date must be a date written YYYY-MM-DD, got "tomorrow"',
      'b.yaml:3:9: error: slides must have at least 1 item, got 0',
    ]);
  });

  it('accepts a quoted date and rejects an impossible one', () => {
    expect(check(`title: T\ndate: "2024-02-29"\nslides: [{type: section, title: S}]\n`).messages).toEqual([]);
    expect(check(`title: T\ndate: 2023-02-29\nslides: [{type: section, title: S}]\n`).messages).toEqual([
      'b.yaml:2:7: error: date is not a real date: "2023-02-29"',
    ]);
  });

  it('points at the citation inside the string', () => {
    const { messages } = check(`${base}sources: [{id: bbc, title: B}]\nslides:\n  - type: summary\n    title: S\n    points: ["x [@bcc] y"]\n`);
    expect(messages).toEqual(['b.yaml:7:18: error: slide 2 (slides[0]) "S": points[0] cites unknown source "bcc" (did you mean "bbc"?)']);
  });

  it('suggests the nearest slide type', () => {
    const { messages } = check(`${base}slides:\n  - {type: timelin, title: T}\n`);
    expect(messages[0]).toContain('"timelin" is not a slide type (did you mean "timeline"?)');
  });

  it('reads JSON with positions', () => {
    const { messages } = check('{\n  "title": "T",\n  "date": "2024-01-31",\n  "slides": [{"type": "quote", "quote": 5}]\n}\n');
    expect(messages).toEqual(['b.yaml:4:41: error: slide 2 (slides[0]): quote must be a string, got a number']);
  });

  it('does not let keys reach the prototype', () => {
    const { valid, messages } = check(`${base}__proto__: {polluted: true}\nslides: [{type: section, title: S}]\n`);
    expect(valid).toBeUndefined();
    expect(messages).toEqual(['b.yaml:3:1: error: the briefing has unknown key "__proto__"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops expanding aliases past the limit', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    const started = Date.now();
    const { valid, messages } = check(`${lines.join('\n')}\n${base}slides: [{type: summary, title: S, points: *i}]\n`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(valid).toBeUndefined();
    expect(messages.join('\n')).toMatch(/too many aliases|unknown key/);
  });
});

describe('slide names in messages', () => {
  const briefing = (agenda: boolean) =>
    `${base}${agenda ? 'agenda: true\n' : ''}slides:\n  - type: section\n    title: Part one\n  - type: summary\n    title: "**Bold** start"\n    points: 3\n  - type: quote\n    quote: Less is more\n    cite: nobody\n`;

  it('name a slide by its number in the deck, its place in the YAML and its title', () => {
    expect(check(briefing(false)).messages).toEqual([
      'b.yaml:8:13: error: slide 3 (slides[1]) "Bold start": points must be a list, got a number',
      'b.yaml:11:11: error: slide 4 (slides[2]) "Quote: Less is more": cite cites unknown source "nobody"; the briefing has no sources',
    ]);
  });

  it('count the agenda slide, as the deck does', () => {
    const { messages } = check(briefing(true));
    expect(messages[0]).toContain('slide 4 (slides[1]) "Bold start": points');
    const valid = check(briefing(true).replace('points: 3', 'points: [a]').replace('    cite: nobody\n', ''));
    const deck = buildDeck(valid.valid!.briefing, new Map());
    expect(deck.slides.map((s) => deckSlideName(s))).toEqual([
      'slide 1 (title slide) "T"',
      'slide 2 (agenda) "Agenda"',
      'slide 3 (slides[0]) "Part one"',
      'slide 4 (slides[1]) "Bold start"',
      'slide 5 (slides[2]) "Quote: Less is more"',
    ]);
  });
});
