// One test per fixture file: every briefing in _files/valid builds without a single diagnostic,
// and every briefing in _files/invalid produces exactly the diagnostics in the .err file beside
// it. Adding a case is adding a file.

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit, type Toolkit } from '../src/compile.js';
import { formatDiagnostic, sortDiagnostics } from '../src/diagnostics.js';
import { isBriefingFile } from '../src/discover.js';
import { FILES, ROOT } from './helpers/paths.js';

function briefingsIn(folder: string): string[] {
  return readdirSync(join(FILES, folder))
    .filter((name) => isBriefingFile(name))
    .sort()
    .map((name) => relative(ROOT, join(FILES, folder, name)));
}

let toolkit: Toolkit;
beforeAll(async () => {
  toolkit = await loadToolkit();
});

describe('valid briefings build without diagnostics', () => {
  it.each(briefingsIn('valid'))('%s', async (file) => {
    const compiled = await compileBriefing(file, toolkit, ROOT);
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(compiled.html).toMatch(/^<!doctype html>/i);
    const expectFile = join(ROOT, file.replace(/\.(ya?ml|json)$/, '.expect'));
    if (existsSync(expectFile)) {
      const expected = JSON.parse(readFileSync(expectFile, 'utf8')) as { kinds: string[]; width?: number; height?: number };
      expect(compiled.deck!.slides.map((s) => s.kind)).toEqual(expected.kinds);
      if (expected.width !== undefined) expect([compiled.deck!.meta.width, compiled.deck!.meta.height]).toEqual([expected.width, expected.height]);
    }
  });
});

describe('invalid briefings give exactly the expected errors', () => {
  it.each(briefingsIn('invalid'))('%s', async (file) => {
    const expected = readFileSync(join(ROOT, file.replace(/\.[^.]+$/, '.err')), 'utf8').trimEnd().split('\n');
    const compiled = await compileBriefing(file, toolkit, ROOT);
    expect(sortDiagnostics(compiled.diagnostics).map(formatDiagnostic)).toEqual(expected);
    expect(compiled.html).toBeUndefined();
  });
});
