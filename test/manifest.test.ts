// `<out>/manifest.json`: written by every build, the same bytes for the same inputs, listing each
// briefing's inputs and outputs with their hashes, and keeping briefings built by earlier builds.

import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import type { Manifest } from '../src/manifest.js';
import { tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the manifest', () => {
  it('lists inputs and outputs with hashes, the same bytes on a rebuild, and keeps earlier briefings', async () => {
    const project = await tempProject({ briefings: join(ROOT, 'briefings') });
    const result = await build({ cwd: project, paths: ['briefings/panama-canal-drought.yaml'], index: false });
    expect(result.ok).toBe(true);
    const path = join(project, 'dist', 'manifest.json');
    const first = await readFile(path, 'utf8');
    const manifest = JSON.parse(first) as Manifest;
    const panama = manifest.briefings['panama-canal-drought']!;
    expect(panama.source).toBe('briefings/panama-canal-drought.yaml');
    expect(panama.title).toBe('Panama Canal drought and transits, 2023');
    expect(panama.classification).toBe('UNCLASSIFIED');
    expect(panama.slides).toBeGreaterThan(3);
    expect(panama.diagnostics).toEqual([]);
    // The briefing and the chart data it drew, each with its hash.
    expect(panama.inputs['briefings/panama-canal-drought.yaml']).toBe(sha(await readFile(join(project, 'briefings', 'panama-canal-drought.yaml'))));
    expect(panama.inputs['briefings/data/booking-slots.csv']).toBe(sha(await readFile(join(project, 'briefings', 'data', 'booking-slots.csv'))));
    const deck = await readFile(join(project, 'dist', 'panama-canal-drought.html'));
    expect(panama.outputs.html).toEqual({ path: 'panama-canal-drought.html', size: deck.length, sha256: sha(deck) });
    expect(first).not.toMatch(/"(built|time|created)/);

    // Nothing changed: the same bytes. A later build of another briefing keeps this one.
    await build({ cwd: project, paths: ['briefings/panama-canal-drought.yaml'], index: false });
    expect(await readFile(path, 'utf8')).toBe(first);
    await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], index: false });
    const both = JSON.parse(await readFile(path, 'utf8')) as Manifest;
    expect(Object.keys(both.briefings)).toEqual(['assad-china-visit', 'panama-canal-drought']);
    expect(both.briefings['panama-canal-drought']).toEqual(panama);

    // A deleted deck leaves the manifest with the next build.
    await rm(join(project, 'dist', 'panama-canal-drought.html'));
    await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], index: false });
    expect(Object.keys((JSON.parse(await readFile(path, 'utf8')) as Manifest).briefings)).toEqual(['assad-china-visit']);
    expect((await stat(path)).isFile()).toBe(true);
  }, 120_000);

  it('records a failed briefing with its errors, and its last good outputs', async () => {
    const project = await tempProject({ briefings: join(ROOT, 'briefings') });
    await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], index: false });
    const before = JSON.parse(await readFile(join(project, 'dist', 'manifest.json'), 'utf8')) as Manifest;
    const file = join(project, 'briefings', 'assad-china-visit.yaml');
    await (await import('node:fs/promises')).writeFile(file, (await readFile(file, 'utf8')).replace('title: Assad in China', 'title: [broken'));
    const failed = await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], index: false });
    expect(failed.ok).toBe(false);
    const after = (JSON.parse(await readFile(join(project, 'dist', 'manifest.json'), 'utf8')) as Manifest).briefings['assad-china-visit']!;
    expect(after.outputs).toEqual(before.briefings['assad-china-visit']!.outputs);
    expect(after.diagnostics.some((d) => d.severity === 'error' && d.file === 'briefings/assad-china-visit.yaml' && d.line !== undefined)).toBe(true);
  }, 120_000);
});
