// Every deck is valid HTML, as judged by a real validator (html-validate, recommended rules).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit, type Toolkit } from '../src/compile.js';
import { EXAMPLE, FILES } from './helpers/paths.js';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
const briefings = [EXAMPLE, ...readdirSync(join(FILES, 'valid')).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(FILES, 'valid', f))];
let toolkit: Toolkit;

beforeAll(async () => {
  toolkit = await loadToolkit();
});

describe('decks are valid HTML', () => {
  it.each(briefings)('%s', async (file) => {
    const { html } = await compileBriefing(file, toolkit);
    const report = await validator.validateString(html!, file);
    const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
    expect(messages).toEqual([]);
  });
});
