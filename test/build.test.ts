// The incremental build when a save lands while a briefing compiles (watch mode's everyday case):
// the next build must compile it again, never skip it as unchanged.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { build } from '../src/build.js';
import { tempProject } from './helpers/cli.js';

/** A save to make once, after the compiler has read the briefing and before the build goes on. */
let saveDuringCompile: (() => Promise<void>) | undefined;

vi.mock('../src/compile.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/compile.js')>();
  return {
    ...original,
    compileBriefing: async (...args: Parameters<typeof original.compileBriefing>) => {
      const compiled = await original.compileBriefing(...args);
      const save = saveDuringCompile;
      saveDuringCompile = undefined;
      await save?.();
      return compiled;
    },
  };
});

const briefing = (subtitle: string) => `title: Race\nsubtitle: ${subtitle}\ndate: 2024-01-15\nslides:\n  - type: section\n    title: Hello\n`;

describe('build: a briefing saved while it compiles', () => {
  it('is compiled again by the next build', async () => {
    const project = await tempProject();
    const file = join(project, 'briefings', 'race.yaml');
    await mkdir(join(project, 'briefings'));
    await writeFile(file, briefing('First'));
    saveDuringCompile = () => writeFile(file, briefing('Second'));
    await build({ cwd: project });
    const deck = () => readFile(resolve(project, 'dist', 'race.html'), 'utf8');
    expect(await deck()).toContain('>First<');

    const second = await build({ cwd: project });
    expect(second.briefings[0]?.skipped).toBeUndefined();
    expect(await deck()).toContain('>Second<');

    // Now nothing moved while it compiled: the build after is skipped.
    const third = await build({ cwd: project });
    expect(third.briefings[0]?.skipped).toBe(true);
  });
});
