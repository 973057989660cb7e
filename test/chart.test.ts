// Charts: each kind drawn as its committed snapshot, the same bytes on every run, ids unique in a
// deck of several charts, a hostile spec that loads nothing and runs no code, data files confined
// and tracked by the build cache and watch, and Vega loaded only by briefings with a chart.

import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { compileBriefing, loadToolkit, type Toolkit } from '../src/compile.js';
import { formatDiagnostic } from '../src/diagnostics.js';
import { watch } from '../src/watch.js';
import { runCli, tempProject } from './helpers/cli.js';
import { BIN, EXAMPLE, FILES, ROOT } from './helpers/paths.js';

const CHARTS = relative(ROOT, join(FILES, 'valid', 'charts.yaml'));

let toolkit: Toolkit;
beforeAll(async () => {
  toolkit = await loadToolkit();
});

function svgs(html: string): string[] {
  return [...html.matchAll(/<svg\b[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

describe('chart kinds', () => {
  it('each kind matches its snapshot', async () => {
    const compiled = await compileBriefing(CHARTS, toolkit, ROOT);
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([]);
    const drawn = compiled.deck!.slides.filter((s) => s.kind === 'chart');
    const kinds = ['line', 'column', 'bar', 'area', 'scatter', 'pie'];
    expect(drawn).toHaveLength(kinds.length);
    for (const [i, slide] of drawn.entries()) {
      await expect(String(slide.fields.svg)).toMatchFileSnapshot(join(FILES, 'charts', `${kinds[i]}.svg`));
    }
  });

  it('draws the same bytes every time', async () => {
    const [a, b] = [await compileBriefing(CHARTS, toolkit, ROOT), await compileBriefing(CHARTS, toolkit, ROOT)];
    expect(a.html).toBe(b.html);
  });

  it('gives every id in a deck of several charts a unique name, and every reference a target', async () => {
    const html = (await compileBriefing(CHARTS, toolkit, ROOT)).html!;
    const charts = svgs(html);
    expect(charts.length).toBeGreaterThanOrEqual(6);
    const ids = charts.flatMap((svg) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const svg of charts) {
      const own = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
      for (const [, ref] of svg.matchAll(/url\(#([^)]+)\)/g)) expect(own.has(ref)).toBe(true);
    }
  });

  it('is an accessible image with a summary, and the data as a table', async () => {
    const compiled = await compileBriefing(CHARTS, toolkit, ROOT);
    const svg = svgs(compiled.html!)[0]!;
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Lake level against the seasonal norm\. Line chart of Lake level and Seasonal norm over Month from 2023-01 to 2023-12; Lake level ranges from 80\.4 \(2023-10\) to 85\.9 \(2023-06\)/);
    expect(svg).toContain('<title>Lake level against the seasonal norm</title><desc>Line chart');
    // The font family is quoted (unquoted, Chromium falls back to a serif face) and labels are at least 16 px.
    expect(svg).toContain(`font-family="'Source Sans 3', 'DejaVu Sans', sans-serif"`);
    const sizes = [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)px"/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
    expect(compiled.html).toMatch(/<table class="chart-data">\s*<caption>The data of the chart: Lake level against the seasonal norm<\/caption>\s*<thead><tr><th scope="col">Month<\/th><th scope="col">Lake level<\/th><th scope="col">Seasonal norm<\/th>/);
    // Text in the data is escaped in the SVG, not markup.
    expect(compiled.html).toContain('East &lt;&amp;&gt; &quot;coast&quot;');
  });

  it('colours a chart with the theme it sits in', async () => {
    const project = await tempProject({ 'b/data': join(FILES, 'valid', 'data') });
    const text = (await readFile(join(FILES, 'valid', 'charts.yaml'), 'utf8')).replace('date: 2024-03-01', 'date: 2024-03-01\ntheme: dark');
    await writeFile(join(project, 'b', 'dark.yaml'), text);
    const compiled = await compileBriefing(join(project, 'b', 'dark.yaml'), toolkit, ROOT);
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([]);
    const area = svgs(compiled.html!)[3]!;
    // dark.css: --bd-fg #eef2f7 for text, --bd-accent #6ea8fe for a single series.
    expect(area).toContain('fill="#eef2f7"');
    expect(area).toContain('#6ea8fe');
  });
});

describe('sandbox', () => {
  it('a hostile spec loads nothing and runs no generated code', async () => {
    const calls: string[] = [];
    const real = { Function: globalThis.Function, eval: globalThis.eval };
    globalThis.Function = new Proxy(real.Function, {
      apply: () => (calls.push('Function'), undefined),
      construct: () => (calls.push('new Function'), {}),
    });
    globalThis.eval = () => calls.push('eval');
    try {
      const project = await tempProject();
      await writeFile(
        join(project, 'brief.yaml'),
        [
          'title: Hostile',
          'date: 2024-03-01',
          'slides:',
          '  - type: chart',
          '    title: Computes with an expression',
          '    chart: column',
          '    data: [{ a: x, b: 1 }, { a: y, b: 2 }]',
          '    x: a',
          '    y: b',
          '    vega-lite:',
          '      transform: [{ calculate: "datum.b * 2 + length(\'abc\')", as: c }]',
          '      mark: bar',
          '      encoding: { x: { field: a, type: nominal }, y: { field: c, type: quantitative } }',
          '  - type: chart',
          '    title: Reaches for a constructor',
          '    chart: column',
          '    data: [{ a: x, b: 1 }]',
          '    x: a',
          '    y: b',
          '    vega-lite:',
          '      transform: [{ calculate: "constructor.constructor(\'return process\')()", as: c }]',
          '      mark: bar',
          '      encoding: { x: { field: c, type: nominal } }',
        ].join('\n'),
      );
      const compiled = await compileBriefing(join(project, 'brief.yaml'), toolkit, project);
      expect(compiled.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual(['21: slide 3 (slides[1]) "Reaches for a constructor": vega-lite: Illegal callee type: CallExpression']);
      expect(calls).toEqual([]);
    } finally {
      globalThis.Function = real.Function;
      globalThis.eval = real.eval;
    }
  });

  it('refuses a data file reached through a symbolic link out of the folder, and one too large', async () => {
    const project = await tempProject();
    await mkdir(join(project, 'b'));
    await writeFile(join(project, 'secret.csv'), 'a,b\nx,1\n');
    await symlink(join(project, 'secret.csv'), join(project, 'b', 'link.csv'));
    await writeFile(join(project, 'b', 'big.csv'), `a,b\n${'x,1\n'.repeat(1_400_000)}`);
    const chart = (title: string, data: string) => [`  - type: chart`, `    title: ${title}`, `    chart: column`, `    data: ${data}`, `    x: a`, `    y: b`];
    await writeFile(join(project, 'b', 'brief.yaml'), ['title: Confined', 'date: 2024-03-01', 'slides:', ...chart('Link', 'link.csv'), ...chart('Big', 'big.csv')].join('\n'));
    const compiled = await compileBriefing('b/brief.yaml', toolkit, project);
    expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([
      `b/brief.yaml:7:11: error: slide 2 (slides[0]) "Link": data "link.csv" points outside the briefing's folder (through a symbolic link)`,
      `b/brief.yaml:13:11: error: slide 3 (slides[1]) "Big": data "big.csv" is 5600004 bytes; the limit is 5 MiB`,
    ]);
  });
});

describe('the data file is an input', () => {
  it('of the incremental build: an edit rebuilds the deck, no edit skips it', async () => {
    const project = await tempProject({ 'briefings/data': join(FILES, 'valid', 'data'), 'briefings/charts.yaml': join(FILES, 'valid', 'charts.yaml') });
    const out = join(project, 'dist');
    const first = await build({ cwd: project, outDir: out, toolkit });
    expect(first.ok).toBe(true);
    expect((await build({ cwd: project, outDir: out, toolkit })).briefings[0]!.skipped).toBe(true);
    const csv = join(project, 'briefings', 'data', 'lake.csv');
    await writeFile(csv, (await readFile(csv, 'utf8')).replace('2023-06,85.9', '2023-06,89.9'));
    const again = await build({ cwd: project, outDir: out, toolkit });
    expect(again.briefings[0]!.skipped).toBeUndefined();
    expect(await readFile(join(out, 'charts.html'), 'utf8')).toContain('to 89.9 (2023-06)');
  });

  it('of watch: saving the data file shows the new numbers', async () => {
    const project = await tempProject({ 'briefings/data': join(FILES, 'valid', 'data'), 'briefings/charts.yaml': join(FILES, 'valid', 'charts.yaml') });
    const session = await watch({ cwd: project, port: 0, log: () => undefined, logError: () => undefined });
    try {
      const csv = join(project, 'briefings', 'data', 'lake.csv');
      const rebuilt = session.nextRebuild();
      await writeFile(csv, (await readFile(csv, 'utf8')).replace('2023-06,85.9', '2023-06,87.5'));
      await rebuilt;
      expect(await readFile(join(project, 'dist', 'charts.html'), 'utf8')).toContain('to 87.5 (2023-06)');
    } finally {
      await session.close();
    }
  });
});

describe('loading', () => {
  /** Runs the built CLI with Vega made unloadable: a build that imports it fails. */
  const buildWithoutVega = (file: string, out: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--import', join(ROOT, 'test', 'helpers', 'forbid-vega.mjs'), BIN, 'build', file, '--out', out], { stdio: 'ignore' });
      child.on('close', resolve);
    });

  it('loads Vega only for a briefing that has a chart', async () => {
    const out = await tempProject();
    expect(await buildWithoutVega(EXAMPLE, out)).toBe(0);
    expect(await buildWithoutVega(join(FILES, 'valid', 'charts.yaml'), out)).not.toBe(0);
  });
});

describe('check', () => {
  it('lints charts that mislead (many slices or series, bars not from zero, numbers with no unit) and finds one that overflows', async () => {
    const run = await runCli(['check', 'test/_files/chart-lint'], ROOT);
    expect(run.stderr.trim().split('\n')).toEqual([
      'test/_files/chart-lint/charts.yaml:16:8: warning: slide 2 (slides[0]) "Eight slices" has 8 slices; more than 7 cannot be told apart, use a bar chart',
      'test/_files/chart-lint/charts.yaml:24:8: warning: slide 3 (slides[1]) "Seven series and no unit" has numbers along x but no x-title; say what they count and in what unit',
      'test/_files/chart-lint/charts.yaml:25:8: warning: slide 3 (slides[1]) "Seven series and no unit" has 7 series; more than 6 cannot be told apart, split the chart',
      'test/_files/chart-lint/charts.yaml:25:8: warning: slide 3 (slides[1]) "Seven series and no unit" has no y-title; say what the numbers count and in what unit',
      'test/_files/chart-lint/charts.yaml:36:7: warning: slide 4 (slides[2]) "Bars that start at 50" has a value axis that does not start at zero; bar lengths then mislead',
      expect.stringMatching(/^test\/_files\/chart-lint\/charts\.yaml:40:5: error: slide 5 \(slides\[3\]\) "Taller than the slide" overflows by \d+ px even at 70% text size; shorten or split it$/),
      '1 error, 5 warnings',
    ]);
  });
});
