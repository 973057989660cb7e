// Scale out: two shards built apart and merged give what one unsharded build gives: the same
// files, the same bytes for every deck, the same manifest and catalog.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from '../src/shard.js';
import { runCli, tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

async function files(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.'));
  return new Map(await Promise.all(names.map(async (e) => [join(e.parentPath, e.name).slice(dir.length + 1), await readFile(join(e.parentPath, e.name))] as const)));
}

describe('--shard and merge', () => {
  it('partitions by name, stably', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b']) expect(() => parseShard(bad)).toThrow(/--shard/);
    const names = Array.from({ length: 40 }, (_, i) => `briefing-${i}`);
    const shares = names.map((n) => shardOf(n, 4));
    expect(names.map((n) => shardOf(n, 4))).toEqual(shares);
    expect(new Set(shares)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('two shards merged equal one unsharded build', async () => {
    const project = await tempProject({ briefings: join(ROOT, 'briefings') });
    const example = await readFile(join(ROOT, 'briefings', 'assad-china-visit.yaml'), 'utf8');
    for (const n of [1, 2, 3, 4]) await writeFile(join(project, 'briefings', `copy-${n}.yaml`), example.replace('title: Assad in China', `title: Copy ${n}`));
    const cli = async (...args: string[]) => {
      const run = await runCli(args, project);
      expect(run.stderr, run.stderr).toBe('');
      expect(run.code).toBe(0);
    };
    await cli('build', '--shard', '1/2', '-o', 'shard-1');
    await cli('build', '--shard', '2/2', '-o', 'shard-2');
    await cli('merge', 'shard-1', 'shard-2', '-o', 'merged');
    await cli('build', '-o', 'whole');
    const [one, two, merged, whole] = await Promise.all(['shard-1', 'shard-2', 'merged', 'whole'].map((d) => files(join(project, d))));
    // Each shard built a share, and not the same one.
    const decks = (m: Map<string, Buffer>) => [...m.keys()].filter((k) => k.endsWith('.html') && k !== 'index.html').sort();
    expect(decks(one!).length).toBeGreaterThan(0);
    expect(decks(two!).length).toBeGreaterThan(0);
    expect(decks(one!).filter((d) => decks(two!).includes(d))).toEqual([]);
    expect([...merged!.keys()].sort()).toEqual([...whole!.keys()].sort());
    for (const [name, bytes] of whole!) expect(merged!.get(name)!.equals(bytes), name).toBe(true);
    expect(JSON.parse(merged!.get('manifest.json')!.toString())).toEqual(JSON.parse(whole!.get('manifest.json')!.toString()));
  }, 240_000);
});

describe('merge', () => {
  it('copies nothing from outside a shard\'s folder', async () => {
    const project = await tempProject();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(project, 'evil'));
    await writeFile(join(project, 'secret.txt'), 'secret');
    const manifest = { format: 1, briefings: { x: { source: 'x.yaml', inputs: {}, diagnostics: [], outputs: { html: { path: '../secret.txt', size: 6, sha256: '' } } } } };
    await writeFile(join(project, 'evil', 'manifest.json'), JSON.stringify(manifest));
    const run = await runCli(['merge', 'evil', '-o', 'site'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a file inside that folder');
    expect(await readdir(join(project, 'site'))).toEqual([]);
  });
});
