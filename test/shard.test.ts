// Scale out: two shards built apart and merged give what one unsharded build gives: the same
// files, the same bytes for every deck, the same manifest and catalog.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { folderHash } from '../src/cache.js';
import type { Manifest, ManifestOutput } from '../src/manifest.js';
import { parseShard, shardOf } from '../src/shard.js';
import { runCli, tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Writes a file and says what a manifest says of it. */
async function output(dir: string, path: string, bytes: Buffer): Promise<ManifestOutput> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), bytes);
  return { path, size: bytes.length, sha256: sha256(bytes) };
}

/** A small real PNG, different for every `seed`. */
function png(seed: number): Buffer {
  const image = new PNG({ width: 16, height: 9 });
  image.data.fill(seed % 256);
  return PNG.sync.write(image);
}

/**
 * A shard's output folder as a build with `--images png --thumbnail` writes it: for each briefing
 * its deck, its title slide as `<name>.png`, and a folder of slide images.
 */
async function shardWithImages(dir: string, decks: Record<string, number>): Promise<Manifest> {
  const manifest: Manifest = { format: 1, briefings: {} };
  for (const [name, slides] of Object.entries(decks)) {
    const seed = [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    const files = await Promise.all(Array.from({ length: slides }, (_, i) => output(dir, `${name}/slide-${String(i + 1).padStart(2, '0')}.png`, png(seed + i))));
    const hash = folderHash(files.map((f) => ({ name: f.path.slice(name.length + 1), hash: f.sha256 })));
    const folder = { path: name, size: files.reduce((sum, f) => sum + f.size, 0), sha256: hash, files };
    const html = await output(dir, `${name}.html`, Buffer.from(`<!DOCTYPE html><title>${name}</title>`));
    const thumbnail = await output(dir, `${name}.png`, png(seed));
    manifest.briefings[name] = { source: `briefings/${name}.yaml`, title: name, slides, inputs: {}, diagnostics: [], outputs: { html, thumbnail, images: folder } };
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

/** Every file a manifest names is on disk in `dir` with its size and hash, and a folder output holds nothing else. */
async function expectAsManifestSays(dir: string, manifest: Manifest): Promise<void> {
  for (const briefing of Object.values(manifest.briefings)) {
    for (const out of Object.values(briefing.outputs)) {
      for (const file of out.files ?? [out]) {
        const bytes = await readFile(join(dir, file.path));
        expect({ path: file.path, size: bytes.length, sha256: sha256(bytes) }).toEqual({ path: file.path, size: file.size, sha256: file.sha256 });
      }
      if (out.files !== undefined) {
        expect((await readdir(join(dir, out.path))).map((f) => `${out.path}/${f}`)).toEqual(out.files.map((f) => f.path));
        expect(out.size).toBe(out.files.reduce((sum, f) => sum + f.size, 0));
      }
    }
  }
}

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
    // With every output a build can make besides the deck that a browser draws.
    const outputs = ['--images', 'png', '--thumbnail'];
    await cli('build', '--shard', '1/2', '-o', 'shard-1', ...outputs);
    await cli('build', '--shard', '2/2', '-o', 'shard-2', ...outputs);
    await cli('merge', 'shard-1', 'shard-2', '-o', 'merged');
    await cli('build', '-o', 'whole', ...outputs);
    const [one, two, merged, whole] = await Promise.all(['shard-1', 'shard-2', 'merged', 'whole'].map((d) => files(join(project, d))));
    // Each shard built a share, and not the same one.
    const decks = (m: Map<string, Buffer>) => [...m.keys()].filter((k) => k.endsWith('.html') && k !== 'index.html').sort();
    expect(decks(one!).length).toBeGreaterThan(0);
    expect(decks(two!).length).toBeGreaterThan(0);
    expect(decks(one!).filter((d) => decks(two!).includes(d))).toEqual([]);
    expect([...merged!.keys()].sort()).toEqual([...whole!.keys()].sort());
    expect([...whole!.keys()].filter((k) => k.endsWith('.png')).length).toBe(14 * 5 + 8 + 6);
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

  it('copies folder outputs: two shards with slide images and thumbnails merge into what their manifests say', async () => {
    const project = await tempProject();
    const one = await shardWithImages(join(project, 'shard-1'), { alpha: 3, beta: 12 });
    const two = await shardWithImages(join(project, 'shard-2'), { gamma: 2 });
    const run = await runCli(['merge', 'shard-1', 'shard-2', '-o', 'site'], project);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const merged = JSON.parse(await readFile(join(project, 'site', 'manifest.json'), 'utf8')) as Manifest;
    expect(merged.briefings).toEqual({ ...one.briefings, ...two.briefings });
    await expectAsManifestSays(join(project, 'site'), merged);
    expect((await readdir(join(project, 'site'))).sort()).toEqual(['alpha', 'alpha.html', 'alpha.png', 'beta', 'beta.html', 'beta.png', 'gamma', 'gamma.html', 'gamma.png', 'index.html', 'manifest.json']);
    const catalog = await readFile(join(project, 'site', 'index.html'), 'utf8');
    expect(catalog).toContain('<img src="beta.png" alt="" width="16" height="9"');
    expect(catalog).toContain('<summary>Slide images (12)</summary>');
    expect(catalog).toContain('href="beta/slide-12.png"');
  });

  it('replaces an image folder whole: a re-merge after a deck lost slides leaves no stale slide', async () => {
    const project = await tempProject();
    await shardWithImages(join(project, 'shard'), { alpha: 4 });
    expect((await runCli(['merge', 'shard', '-o', 'site'], project)).code).toBe(0);
    expect(await readdir(join(project, 'site', 'alpha'))).toHaveLength(4);
    // The deck lost two slides; its build replaced the folder.
    await rm(join(project, 'shard', 'alpha'), { recursive: true });
    const fewer = await shardWithImages(join(project, 'shard'), { alpha: 2 });
    const run = await runCli(['merge', 'shard', '-o', 'site'], project);
    expect(run.stderr).toBe('');
    expect(await readdir(join(project, 'site', 'alpha'))).toEqual(['slide-01.png', 'slide-02.png']);
    await expectAsManifestSays(join(project, 'site'), fewer);
    expect((await readdir(join(project, 'site'))).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it("refuses a folder output whose files are not inside it, and copies nothing", async () => {
    const project = await tempProject();
    await writeFile(join(project, 'secret.txt'), 'secret');
    const cases: [string, (m: Manifest) => void][] = [
      ['"../secret.txt"', (m) => (m.briefings.alpha!.outputs.images!.files![0]!.path = '../secret.txt')],
      ['"alpha/../../secret.txt"', (m) => (m.briefings.alpha!.outputs.images!.files![1]!.path = 'alpha/../../secret.txt')],
      [`"${join(project, 'secret.txt')}"`, (m) => (m.briefings.alpha!.outputs.images!.files![1]!.path = join(project, 'secret.txt'))],
      ['"alpha//slide-01.png"', (m) => (m.briefings.alpha!.outputs.images!.files![0]!.path = 'alpha//slide-01.png')],
      ['"alpha.html", which is not a file inside its folder "alpha"', (m) => (m.briefings.alpha!.outputs.images!.files![0]!.path = 'alpha.html')],
      // A folder output named `.` would replace the merged folder itself.
      ['"."', (m) => Object.assign(m.briefings.alpha!.outputs.images!, { path: '.', files: [{ path: './alpha.html', size: 1, sha256: '' }] })],
    ];
    for (const [named, spoil] of cases) {
      const shard = join(project, 'evil');
      await rm(shard, { recursive: true, force: true });
      const manifest = await shardWithImages(shard, { alpha: 2 });
      spoil(manifest);
      await writeFile(join(shard, 'manifest.json'), JSON.stringify(manifest));
      const run = await runCli(['merge', 'evil', '-o', 'site'], project);
      expect({ named, code: run.code }).toEqual({ named, code: 1 });
      expect(run.stderr).toContain(`names ${named}`);
      expect(await readdir(join(project, 'site'))).toEqual([]);
    }
    // A slide image that is a link to a file outside the shard.
    const shard = join(project, 'linked');
    await shardWithImages(shard, { alpha: 2 });
    await rm(join(shard, 'alpha', 'slide-02.png'));
    await symlink(join(project, 'secret.txt'), join(shard, 'alpha', 'slide-02.png'));
    const run = await runCli(['merge', 'linked', '-o', 'site'], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"alpha/slide-02.png", which is not a file inside that folder (it links outside)');
    expect(await stat(join(project, 'site', 'alpha')).catch(() => undefined)).toBeUndefined();
    // A slide image the manifest names but the shard lacks (an artifact upload cut short).
    await rm(join(shard, 'alpha', 'slide-02.png'));
    const missing = await runCli(['merge', 'linked', '-o', 'site'], project);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"alpha/slide-02.png", which is not there');
  });
});
