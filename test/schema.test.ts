// The published JSON Schema is generated from the validator's own definition: it must be current,
// and it must agree with the validator about real briefings.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { briefingJsonSchema, SLIDE_TYPES } from '../src/schema/briefing.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';

const published = JSON.parse(readFileSync(join(ROOT, 'schema', 'briefing.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(published);

describe('schema/briefing.schema.json', () => {
  it('is what the format definition generates (run `npm run schema` after changing it)', () => {
    expect(published).toEqual(briefingJsonSchema());
  });

  it('names every slide type', () => {
    const slide = published.properties.slides.items;
    expect(slide.properties.type.enum).toEqual(SLIDE_TYPES);
  });

  it('accepts the example and every valid fixture', () => {
    const files = [EXAMPLE, ...readdirSync(join(FILES, 'valid')).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(FILES, 'valid', f))];
    for (const file of files) {
      const ok = validate(parse(readFileSync(file, 'utf8')));
      expect({ file, errors: ok ? [] : validate.errors }).toEqual({ file, errors: [] });
    }
  });

  it.each([
    ['an unknown key', { title: 'T', date: '2024-01-01', slides: [{ type: 'section', title: 'S' }], titel: 'x' }],
    ['an unknown slide type', { title: 'T', date: '2024-01-01', slides: [{ type: 'bulets', title: 'S' }] }],
    ['a missing field', { title: 'T', date: '2024-01-01', slides: [{ type: 'summary', title: 'S' }] }],
    ['a column with both points and text', { title: 'T', date: '2024-01-01', slides: [{ type: 'columns', title: 'S', columns: [{ heading: 'a', text: 'x', points: ['y'] }, { heading: 'b', text: 'z' }] }] }],
  ])('rejects %s', (_, briefing) => {
    expect(validate(briefing)).toBe(false);
  });
});
