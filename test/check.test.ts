// `briefdeck check` as a user runs it: validation, content lints, overflow measured in a real
// browser, accessibility by axe-core; text and JSON output; exit codes.

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, tempProject } from './helpers/cli.js';
import { EXAMPLE, ROOT } from './helpers/paths.js';

interface Row {
  path: string;
  line: number | null;
  column: number | null;
  severity: string;
  rule: string;
  message: string;
}

describe('briefdeck check', () => {
  it('passes the example briefing with nothing to report, and writes nothing', async () => {
    const run = await runCli(['check', 'briefings', '--strict'], ROOT);
    expect(run.stderr).toBe('0 errors, 0 warnings\n');
    expect(run.code).toBe(0);
  });

  it('reports what does not fit, pointing at the slide, and fits what it can', async () => {
    const run = await runCli(['check', 'test/_files/overflow'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^test\/_files\/overflow\/too-much\.yaml:4:5: error: slide 2 \(slides\[0\]\) "Thirty rows" overflows by 5\d\d px even at 70% text size; shorten or split it$/),
      expect.stringMatching(/^test\/_files\/overflow\/too-much\.yaml:39:5: warning: slide 3 \(slides\[1\]\) "Not allowed to shrink" overflows by 4\d\d px \(fit: false\)$/),
      '1 error, 1 warning',
    ]);
  });

  it('lints content, fails on warnings only with --strict, and prints the same findings as JSON', async () => {
    const text = await runCli(['check', 'test/_files/lint'], ROOT);
    expect(text.code).toBe(0);
    const lines = text.stderr.trim().split('\n');
    expect(lines).toEqual([
      'test/_files/lint/content.yaml:5:11: warning: source "unused" is never cited',
      'test/_files/lint/content.yaml:9:13: warning: slide 2 (slides[0]) "Seven points" has 7 points; more than 6 is hard to take in, split the slide',
      expect.stringMatching(/^test\/_files\/lint\/content\.yaml:13:9: warning: a point of \d+ characters on slide 3 \(slides\[1\]\) "A long point"; keep points under 160$/),
      'test/_files/lint/content.yaml:14:5: warning: section slide 4 (slides[2]) "Nothing follows" has no slides after it',
      '0 errors, 4 warnings',
    ]);
    expect((await runCli(['check', 'test/_files/lint', '--strict'], ROOT)).code).toBe(1);

    const json = await runCli(['check', 'test/_files/lint', '--format', 'json'], ROOT);
    const rows = JSON.parse(json.stdout) as Row[];
    expect(rows.map((r) => `${r.path}:${r.line}:${r.column}: ${r.severity}: ${r.message}`)).toEqual(lines.slice(0, -1));
    expect(rows.map((r) => r.rule)).toEqual(['uncited-source', 'too-many-points', 'long-point', 'empty-section']);
  });

  it('reports invalid briefings like build does', async () => {
    const run = await runCli(['check', 'test/_files/invalid/wrong-type.yaml'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('test/_files/invalid/wrong-type.yaml:6:13: error: slide 2 (slides[0]) "Bottom line": points must be a list, got a number');
  });
});

/**
 * The page holding the brand example users copy. Until the corrected example is pasted into the
 * README (or docs/themes.md), it lives in docs/_incoming/h-diag.md; point this at its final page.
 */
const BRAND_EXAMPLE_PAGE = 'docs/themes.md';
const FONT = createRequire(import.meta.url).resolve('@fontsource/source-sans-3/files/source-sans-3-latin-400-normal.woff2');
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#7a1f5c"/></svg>';

/** A project with the example briefing (twice if asked), and the logo and font a brand names. */
async function brandProject(config: string, briefings = ['deck']): Promise<string> {
  const dir = await tempProject(Object.fromEntries(briefings.map((name) => [`briefings/${name}.yaml`, EXAMPLE])));
  await writeFile(join(dir, 'briefdeck.config.yaml'), config);
  const brand = (parse(config) as { brand?: { logo?: string; font?: string } }).brand ?? {};
  if (brand.logo) {
    await mkdir(join(dir, brand.logo, '..'), { recursive: true });
    await writeFile(join(dir, brand.logo), LOGO);
  }
  if (brand.font) {
    await mkdir(join(dir, brand.font, '..'), { recursive: true });
    await copyFile(FONT, join(dir, brand.font));
  }
  return dir;
}

/** The first ```yaml block of a Markdown page that sets a brand accent. */
function brandExample(markdown: string): string {
  const block = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((y) => /^brand:/m.test(y) && /accent:/.test(y));
  if (block === undefined) throw new Error(`no brand example with an accent in ${BRAND_EXAMPLE_PAGE}`);
  return block;
}

// The example a user copies, with the README's accent before it was corrected (darkorange).
const DARKORANGE = 'brand:\n  logo: brand/logo.svg\n  primary: "#7a1f5c"\n  accent: darkorange        # links, big figures, timeline dates\n  font: brand/house.woff2\n';

describe('briefdeck check: one accessibility finding per cause, at the line that causes it', () => {
  it('passes the brand example in the docs', async () => {
    const example = brandExample(await readFile(join(ROOT, BRAND_EXAMPLE_PAGE), 'utf8'));
    const run = await runCli(['check', '--strict'], await brandProject(example));
    expect(run.stderr).toBe('0 errors, 0 warnings\n');
    expect(run.code).toBe(0);
  });

  it('reports a brand accent without contrast once, at its line in the config, for every briefing that shows it', async () => {
    const run = await runCli(['check'], await brandProject(DARKORANGE, ['one', 'two']));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^briefdeck\.config\.yaml:4:11: error: brand\.accent "darkorange" \(#ff8c00\) has a contrast of 2\.33:1 on #ffffff; text needs 3:1 \(14 elements on 4 slides of 2 briefings, first on slide 5 \(slides\[2\]\) "The road to Hangzhou" of briefings\/one\.yaml\); a darker colour such as "#[0-9a-f]{6}" passes everywhere$/,
      ),
      '1 error, 0 warnings',
    ]);
  });

  it('points at the accent: line of the briefing when the briefing sets it, and its suggestion passes', async () => {
    const dir = await tempProject();
    await mkdir(join(dir, 'briefings'));
    const text = (await readFile(EXAMPLE, 'utf8')).replace('agenda: true\n', 'agenda: true\nbrand:\n  accent: darkorange\n');
    const line = text.split('\n').indexOf('  accent: darkorange') + 1;
    await writeFile(join(dir, 'briefings', 'deck.yaml'), text);
    const run = await runCli(['check'], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^briefings/deck\\.yaml:${line}:11: error: brand\\.accent "darkorange" \\(#ff8c00\\) has a contrast of 2\\.33:1 on #ffffff; text needs 3:1 \\(7 elements on 2 slides, first on slide 5 \\(slides\\[2\\]\\) "The road to Hangzhou"\\)`));
    const suggested = /such as "(#[0-9a-f]{6})"/.exec(lines[0]!)![1]!;
    await writeFile(join(dir, 'briefings', 'deck.yaml'), text.replace('darkorange', `"${suggested}"`));
    expect((await runCli(['check', '--strict'], dir)).stderr).toBe('0 errors, 0 warnings\n');
  });

  it('reports a custom theme without contrast once, at the theme: line', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await writeFile(join(dir, 'briefings', 'faint.css'), ':root { --bd-fg: #b0b0b0; }\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'lang: en\ntheme: briefings/faint.css\n');
    const run = await runCli(['check'], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('color-contrast') || l.includes('contrast of'))).toEqual([
      expect.stringMatching(/^briefdeck\.config\.yaml:2:8: error: theme "briefings\/faint\.css": text in #b0b0b0 has a contrast of 1\.\d+:1 on #[0-9a-f]{6}; text needs 4\.5:1 \(\d+ elements on \d+ slides, first on slide \d+ .*\); choose a colour with more contrast$/),
    ]);
    expect(lines.at(-1)).toBe('1 error, 0 warnings');
  });

  it('reports other findings once per slide, at the slide, however many elements share them', async () => {
    const dir = await tempProject();
    await mkdir(join(dir, 'tpl', 'slides'), { recursive: true });
    await mkdir(join(dir, 'briefings'));
    await writeFile(join(dir, 'tpl', 'slides', 'faint.hbs'), '{{#> frame heading=true}}<p style="color:#c8c8c8">{{fields.text}}</p><p style="color:#c8c8c8">{{fields.text}}</p>{{/frame}}\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: tpl\n');
    await writeFile(
      join(dir, 'briefings', 'deck.yaml'),
      'title: Faint\ndate: 2024-01-01\nslides:\n  - type: faint\n    title: First\n    text: Hard to read\n  - type: faint\n    title: Second\n    text: Also hard to read\n',
    );
    const run = await runCli(['check'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'briefings/deck.yaml:4:5: error: slide 2 (slides[0]) "First": text in #c8c8c8 on #ffffff has a contrast of 1.67:1; it needs 3:1 (2 elements)',
      'briefings/deck.yaml:7:5: error: slide 3 (slides[1]) "Second": text in #c8c8c8 on #ffffff has a contrast of 1.67:1; it needs 3:1 (2 elements)',
      '2 errors, 0 warnings',
    ]);
  });
});
