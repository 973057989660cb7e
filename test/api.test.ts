// The programmatic API, imported by the package's own name as a user would.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE } from './helpers/paths.js';

describe("import { build } from 'briefdeck'", () => {
  it('builds a deck and returns its results and diagnostics', async () => {
    const { build, formatDiagnostic, SLIDE_TYPES } = await import('briefdeck');
    const out = await mkdtemp(join(tmpdir(), 'briefdeck-api-'));
    const result = await build({ paths: [EXAMPLE], outDir: out });
    expect(result.ok).toBe(true);
    expect(result.briefings[0]).toMatchObject({ slug: 'assad-china-visit', slideCount: 14, diagnostics: [] });
    expect(await readFile(join(out, 'assad-china-visit.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(formatDiagnostic({ file: 'a.yaml', line: 2, column: 3, severity: 'error', rule: 'x', message: 'm' })).toBe('a.yaml:2:3: error: m');
    expect(SLIDE_TYPES).toContain('timeline');
  });
});
