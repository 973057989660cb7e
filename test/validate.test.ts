// Validation fed from strings: positions, collected errors, suggestions, typed output.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic, Reporter } from '../src/diagnostics.js';
import { parseBriefing } from '../src/parse.js';
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
