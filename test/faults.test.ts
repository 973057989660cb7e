// Faults outside briefdeck's control: a read-only or full output folder, two builds into the same
// folder at once, images that try to leave their folder. Nothing is lost and every file in the
// output folder is a complete output.

import { execSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit } from '../src/compile.js';
import { runCli, tempProject } from './helpers/cli.js';
import { EXAMPLE, FILES } from './helpers/paths.js';

const isRoot = process.getuid?.() === 0;
const mounted: string[] = [];

afterEach(() => {
  for (const dir of mounted.splice(0)) execSync(`umount ${dir}`);
});

function mount(args: string, dir: string): void {
  execSync(`mount ${args} ${dir}`);
  mounted.push(dir);
}

/** Makes a folder read-only by bind-mounting it over itself, then remounting that read-only. */
function mountReadOnly(dir: string): void {
  mount(`--bind ${dir}`, dir);
  execSync(`mount -o remount,bind,ro ${dir}`);
}

describe.runIf(isRoot)('an output folder that cannot be written (mounts need root, as in CI)', () => {
  it('read-only: names the file, exits 1, and leaves the previous deck alone', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    expect((await runCli(['build'], dir)).code).toBe(0);
    const before = await readFile(join(dir, 'dist', 'deck.html'));
    mountReadOnly(join(dir, 'dist'));
    const text = await readFile(join(dir, 'briefings', 'deck.yaml'), 'utf8');
    await writeFile(join(dir, 'briefings', 'deck.yaml'), text.replace('title: Assad in China', 'title: Edited'));
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('dist/deck.html: error: cannot write the deck: the file system is read-only (EROFS)');
    expect((await readFile(join(dir, 'dist', 'deck.html'))).equals(before)).toBe(true);
  });

  it('full: names the file, exits 1, keeps what was written, and leaves no partial file', async () => {
    const dir = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': EXAMPLE });
    await mkdir(join(dir, 'dist'));
    // Room for one deck and a half: the second cannot be written.
    const deck = Buffer.byteLength((await compileBriefing(EXAMPLE, await loadToolkit())).html!);
    mount(`-t tmpfs -o size=${Math.ceil((deck * 1.5) / 4096) * 4}k tmpfs`, join(dir, 'dist'));
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('built dist/a.html');
    expect(run.stderr).toContain('dist/b.html: error: cannot write the deck: the disk is full (ENOSPC)');
    const files = await readdir(join(dir, 'dist'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toContain('a.html');
    expect(files).not.toContain('b.html');
    expect(await readFile(join(dir, 'dist', 'a.html'), 'utf8')).toMatch(/<\/html>\n$/);
  });
});

describe('two builds into the same folder at once', () => {
  it('both finish and every file is a complete output', async () => {
    const seed: Record<string, string> = {};
    for (let i = 1; i <= 6; i++) seed[`briefings/deck-${i}.yaml`] = EXAMPLE;
    const dir = await tempProject(seed);
    const runs = await Promise.all([runCli(['build', '--force'], dir), runCli(['build', '--force'], dir)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const expected = (await compileBriefing(EXAMPLE, await loadToolkit())).html!;
    const files = (await readdir(join(dir, 'dist'))).sort();
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (let i = 1; i <= 6; i++) expect(await readFile(join(dir, 'dist', `deck-${i}.html`), 'utf8')).toBe(expected);
    JSON.parse(await readFile(join(dir, 'dist', '.briefdeck-cache.json'), 'utf8'));
  });
});

describe('images that try to leave their folder', () => {
  const briefing = (src: string) => `title: T\ndate: 2024-01-01\nslides:\n  - type: image\n    title: I\n    src: ${JSON.stringify(src)}\n    alt: A\n`;

  it.each([
    ['../outside.png', 'points outside the briefing\'s folder'],
    ['/etc/passwd.png', 'must be a path relative to the briefing, not an absolute path'],
    ['link-out.png', "points outside the briefing's folder (through a symbolic link)"],
    ['fake.png', 'is not a png, jpg, gif, webp or svg image'],
  ])('%s: %s', async (src, message) => {
    const dir = await tempProject({ 'outside.png': join(FILES, 'valid', 'images', 'pixel.png') });
    await mkdir(join(dir, 'b'));
    await symlink(join(dir, 'outside.png'), join(dir, 'b', 'link-out.png'));
    await writeFile(join(dir, 'b', 'fake.png'), 'not an image');
    await writeFile(join(dir, 'b', 'x.yaml'), briefing(src));
    const run = await runCli(['build', 'b'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`b/x.yaml:6:10: error: slide 2 (slides[0]) "I": src ${JSON.stringify(src)} ${message}`);
  });
});
