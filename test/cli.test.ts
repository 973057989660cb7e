// The command as a user runs it: a new process in a temporary project folder.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { EXAMPLE, ROOT } from './helpers/paths.js';

const version = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version as string;
const BROKEN = 'title: Broken\ndate: 2024-13-01\nslides:\n  - type: summary\n    title: S\n    points: nope\n';

describe('briefdeck (no command, help, version, usage errors)', () => {
  it('prints the version', async () => {
    const run = await runCli(['--version'], ROOT);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('prints help', async () => {
    const run = await runCli(['--help'], ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('briefdeck build [paths...] [options]');
    expect(run.stdout).toContain('--pdf');
  });

  it.each([[[]], [['frobnicate']], [['build', '--colour']], [['build', 'no/such/file.yaml']], [['new']]])(
    'exits 2 on a usage error: %j',
    async (args) => {
      const run = await runCli(args, await tempProject());
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('command-line mistakes, said in our words', () => {
  it.each([
    [['build', '--pfd'], 'unknown option --pfd (did you mean --pdf?)'],
    [['build', '-pdf'], 'unknown option -pdf (did you mean --pdf?)'],
    [['biuld'], 'unknown command biuld (did you mean build?)'],
    [['build', '--out'], '--out needs a value'],
    [['build', '-j'], '-j (--jobs) needs a value'],
    [['build', '--out', '--pdf'], '--out needs a value, got the option --pdf (for a value that starts with "-", write --out=--pdf)'],
    [['build', '--pdf=yes'], '--pdf takes no value (got "yes")'],
    [['check', '--theme', 'drak'], '--theme must be a built-in theme (light, dark, high-contrast, print) or a .css file, got "drak" (did you mean "dark"?)'],
  ])('%j exits 2 and says: %s', async (args, message) => {
    const run = await runCli(args, await tempProject());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`briefdeck: error: ${message}\nRun "briefdeck --help" for usage.\n`);
    expect(run.stdout).toBe('');
  });

  it('reports a bad --theme once, with the nearest theme, however many briefings there are', async () => {
    const dir = await tempProject({ 'briefings/one.yaml': EXAMPLE, 'briefings/two.yaml': EXAMPLE });
    const run = await runCli(['build', '--theme', 'drak'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'briefdeck: error: --theme must be a built-in theme (light, dark, high-contrast, print) or a .css file, got "drak" (did you mean "dark"?)\n' +
        'Run "briefdeck --help" for usage.\n',
    );
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('reports a --theme file that does not exist once', async () => {
    const dir = await tempProject({ 'briefings/one.yaml': EXAMPLE, 'briefings/two.yaml': EXAMPLE });
    const run = await runCli(['build', '--theme', 'house.css'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.match(/house\.css/g)).toHaveLength(1);
    expect(run.stderr).toContain('--theme "house.css" does not exist');
  });
});

describe('briefdeck build', () => {
  it('builds briefings/ into dist/ by default', async () => {
    const dir = await tempProject({ 'briefings/assad-china-visit.yaml': EXAMPLE });
    const run = await runCli(['build'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('built dist/assad-china-visit.html (14 slides) from briefings/assad-china-visit.yaml');
    expect(run.stdout).toContain('1 deck built');
    const html = await readFile(join(dir, 'dist', 'assad-china-visit.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
  });

  it('builds the others when one briefing is broken, and exits 1', async () => {
    const dir = await tempProject({ 'in/good.yaml': EXAMPLE });
    await writeFile(join(dir, 'in', 'bad.yaml'), BROKEN);
    const run = await runCli(['build', 'in', '--out', 'site'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('in/bad.yaml:2:7: error: date is not a real date: "2024-13-01"');
    expect(run.stderr).toContain('in/bad.yaml:6:13: error: slide 2 (slides[0]) "S": points must be a list, got a string');
    expect(run.stderr).toContain('1 deck built, 1 briefing failed');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(join(dir, 'site'))).toEqual(['.briefdeck-cache.json', 'good.html', 'index.html', 'manifest.json']);
  });

  it('never replaces a good deck with a failed build', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    expect((await runCli(['build'], dir)).code).toBe(0);
    const before = await readFile(join(dir, 'dist', 'deck.html'));
    await writeFile(join(dir, 'briefings', 'deck.yaml'), BROKEN);
    expect((await runCli(['build'], dir)).code).toBe(1);
    expect((await readFile(join(dir, 'dist', 'deck.html'))).equals(before)).toBe(true);
    expect(await readdir(join(dir, 'dist'))).toEqual(['.briefdeck-cache.json', 'deck.html', 'index.html', 'manifest.json']);
  });

  it('writes byte-identical HTML for an unchanged briefing', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await runCli(['build'], dir);
    const first = await readFile(join(dir, 'dist', 'deck.html'));
    await runCli(['build', '--out', 'again'], dir);
    expect((await readFile(join(dir, 'again', 'deck.html'))).equals(first)).toBe(true);
  });

  it('refuses two briefings that would write the same deck', async () => {
    const dir = await tempProject({ 'b/x.yaml': EXAMPLE });
    await writeFile(join(dir, 'b', 'x.json'), '{}');
    const run = await runCli(['build', 'b'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('b/x.yaml: error: both b/x.json and b/x.yaml would be written to x.html; rename one of them');
  });

  it('refuses a briefing named like the catalog, which would replace its deck', async () => {
    const dir = await tempProject({ 'briefings/index.yaml': EXAMPLE });
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('briefings/index.yaml: error: briefings/index.yaml would be written to index.html, the catalog page; rename the briefing (or build with --no-index)');
    const alone = await runCli(['build', '--no-index'], dir);
    expect(alone.code).toBe(0);
    expect(await readFile(join(dir, 'dist', 'index.html'), 'utf8')).toContain('<title>Assad in China</title>');
  });
});

describe('files briefdeck will not read', () => {
  it('refuses a briefing over 5 MiB without reading it, and builds the others', async () => {
    const dir = await tempProject({ 'briefings/good.yaml': EXAMPLE });
    await writeFile(join(dir, 'briefings', 'huge.yaml'), `title: Huge\ndate: 2024-01-01\n# ${'x'.repeat(6 * 1024 * 1024)}\nslides: []\n`);
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('briefings/huge.yaml: error: file is 6291499 bytes; briefings are limited to 5242880 bytes (5 MiB)');
    expect(run.stdout).toContain('built dist/good.html');
  });
});

describe('briefdeck new', () => {
  it('writes a starter briefing that builds as is', async () => {
    const dir = await tempProject();
    const created = await runCli(['new', 'weekly-update'], dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('wrote briefings/weekly-update.yaml');
    const run = await runCli(['build'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'dist', 'weekly-update.html'))).toBe(true);
  });

  it('does not overwrite an existing briefing', async () => {
    const dir = await tempProject({ 'briefings/weekly.yaml': EXAMPLE });
    const run = await runCli(['new', 'weekly'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('briefings/weekly.yaml already exists');
    expect(await readFile(join(dir, 'briefings', 'weekly.yaml'), 'utf8')).toBe(await readFile(EXAMPLE, 'utf8'));
  });
});

describe('incremental builds', () => {
  it('skips unchanged briefings, rebuilds edited ones, and --force rebuilds all', async () => {
    const dir = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': EXAMPLE });
    expect((await runCli(['build'], dir)).stdout).toContain('2 decks built');
    const again = await runCli(['build'], dir);
    expect(again.stdout).toContain('unchanged dist/a.html (14 slides) from briefings/a.yaml');
    expect(again.stdout).toContain('2 decks unchanged\n');
    const text = await readFile(join(dir, 'briefings', 'b.yaml'), 'utf8');
    await writeFile(join(dir, 'briefings', 'b.yaml'), text.replace('title: Assad in China', 'title: Assad in Beijing'));
    const edited = await runCli(['build'], dir);
    expect(edited.stdout).toContain('built dist/b.html');
    expect(edited.stdout).toContain('1 deck built, 1 deck unchanged\n');
    expect(await readFile(join(dir, 'dist', 'b.html'), 'utf8')).toContain('<title>Assad in Beijing</title>');
    expect((await runCli(['build', '--force'], dir)).stdout).toMatch(/2 decks built\n/);
  });

  it('rebuilds whatever the cache cannot vouch for: a deleted or edited output, a corrupted cache', async () => {
    const dir = await tempProject({ 'briefings/a.yaml': EXAMPLE });
    await runCli(['build'], dir);
    const good = await readFile(join(dir, 'dist', 'a.html'));
    await writeFile(join(dir, 'dist', 'a.html'), 'tampered');
    expect((await runCli(['build'], dir)).stdout).toContain('built dist/a.html');
    expect((await readFile(join(dir, 'dist', 'a.html'))).equals(good)).toBe(true);
    await writeFile(join(dir, 'dist', '.briefdeck-cache.json'), '{"format": 1, "toolk');
    // Built again, found to be the deck on disk, and left as it is.
    expect((await runCli(['build'], dir)).stdout).toContain('unchanged dist/a.html');
    expect((await readFile(join(dir, 'dist', 'a.html'))).equals(good)).toBe(true);
  });
});

describe('incremental builds: what is read to decide', () => {
  const cacheOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'dist', '.briefdeck-cache.json'), 'utf8')) as { entries: Record<string, { htmlStamp?: string }> };

  it('trusts an output whose size and time are as recorded, and reads it when they are not', async () => {
    const dir = await tempProject({ 'briefings/a.yaml': EXAMPLE });
    await runCli(['build'], dir);
    const deck = join(dir, 'dist', 'a.html');
    const cacheFile = join(dir, 'dist', '.briefdeck-cache.json');
    // Touched, same content: still unchanged (read once), and the new time is recorded.
    await utimes(deck, new Date('2020-01-01'), new Date('2020-01-01'));
    expect((await runCli(['build'], dir)).stdout).toContain('unchanged dist/a.html');
    const touched = await stat(deck, { bigint: true });
    expect((await cacheOf(dir)).entries.a!.htmlStamp).toBe(`${touched.size}:${touched.mtimeNs}`);
    // Nothing changed at all: the cache is not even rewritten.
    const cacheTime = (await stat(cacheFile)).mtimeMs;
    expect((await runCli(['build'], dir)).stdout).toContain('1 deck unchanged\n');
    expect((await stat(cacheFile)).mtimeMs).toBe(cacheTime);
    // Same size, other bytes, new time: read, found different, rebuilt.
    const good = await readFile(deck);
    await writeFile(deck, Buffer.alloc(good.length, 'x'));
    expect((await runCli(['build'], dir)).stdout).toContain('built dist/a.html');
    expect((await readFile(deck)).equals(good)).toBe(true);
  });

  it('rebuilds every briefing when a template changes, and only then', async () => {
    const dir = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': EXAMPLE });
    await mkdir(join(dir, 'look', 'partials'), { recursive: true });
    const frame = await readFile(join(ROOT, 'templates', 'partials', 'frame.hbs'), 'utf8');
    await writeFile(join(dir, 'look', 'partials', 'frame.hbs'), frame);
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: look\n');
    expect((await runCli(['build'], dir)).stdout).toContain('2 decks built\n');
    expect((await runCli(['build'], dir)).stdout).toContain('2 decks unchanged\n');
    // Touched but the same: the templates are read again, found the same, and nothing is rebuilt.
    await utimes(join(dir, 'look', 'partials', 'frame.hbs'), new Date('2020-01-01'), new Date('2020-01-01'));
    expect((await runCli(['build'], dir)).stdout).toContain('2 decks unchanged\n');
    await writeFile(join(dir, 'look', 'partials', 'frame.hbs'), frame.replace('<section', '<section data-edited="yes"'));
    expect((await runCli(['build'], dir)).stdout).toContain('2 decks built\n');
    expect(await readFile(join(dir, 'dist', 'b.html'), 'utf8')).toContain('data-edited="yes"');
  });
});

describe('incremental builds and images', () => {
  it('rebuilds a briefing when an image it uses changes', async () => {
    const dir = await tempProject({ 'b/every-type.yaml': join(ROOT, 'test/_files/valid/every-type.yaml'), 'b/images': join(ROOT, 'test/_files/valid/images') });
    expect((await runCli(['build', 'b'], dir)).code).toBe(0);
    expect((await runCli(['build', 'b'], dir)).stdout).toContain('unchanged dist/every-type.html');
    const svg = await readFile(join(dir, 'b/images/chart.svg'), 'utf8');
    await writeFile(join(dir, 'b/images/chart.svg'), svg.replace('</svg>', '<circle cx="1" cy="1" r="1"/></svg>'));
    expect((await runCli(['build', 'b'], dir)).stdout).toContain('built dist/every-type.html');
  });
});
