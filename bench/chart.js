// Benchmarks for charts (issue: a `chart` slide type drawn at build time):
//   1. a warm chart: one chart drawn again in a process that has drawn one (median of 20);
//   2. the chart example briefing compiled, cold (Vega loaded) and warm;
//   3. a build of a briefing without charts, as a new process, with Vega made unloadable: it
//      must build (Vega is loaded only for charts) in the time it always took;
//   4. watch: from saving a chart's CSV file to the open tab showing the redrawn chart (median of 7).
// Prints figures against the targets; exits 1 only if briefdeck itself fails. Run: npm run bench.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(ROOT, 'bin', 'briefdeck.js');
const WORK = join(ROOT, 'bench', '.work', 'chart');
const EXAMPLE = join(ROOT, 'briefings', 'assad-china-visit.yaml');
const CHARTS = join(ROOT, 'briefings', 'panama-canal-drought.yaml');
const FORBID = join(ROOT, 'test', 'helpers', 'forbid-vega.mjs');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

async function warmChart() {
  const { compileBriefing, loadToolkit } = await import('../lib/compile.js');
  const toolkit = await loadToolkit();
  const file = relative(ROOT, CHARTS);
  let started = performance.now();
  const first = await compileBriefing(file, toolkit, ROOT);
  const cold = performance.now() - started;
  if (first.html === undefined) throw new Error(`the chart example does not build: ${JSON.stringify(first.diagnostics)}`);
  const briefings = [];
  for (let run = 0; run < 5; run++) {
    started = performance.now();
    await compileBriefing(file, toolkit, ROOT);
    briefings.push(performance.now() - started);
  }
  // One chart alone: the column chart's spec, drawn as the chart stage draws it.
  const { renderSvg } = await import('../lib/chart/vega.js');
  const { finishSpec, shorthandSpec } = await import('../lib/chart/spec.js');
  const { chartTheme } = await import('../lib/chart/theme.js');
  const theme = chartTheme([toolkit.assets.baseCss, toolkit.assets.themes.light]);
  const slide = { type: 'chart', title: 'Cargo', chart: 'column', data: [], x: 'region', y: ['a', 'b'], 'y-title': 'Tons' };
  const points = ['North', 'South', 'East', 'West', 'Central'].map((label, i) => ({ x: label, label, values: [10 + i * 7, 30 - i * 3] }));
  const data = { kind: 'column', xField: 'region', xKind: 'category', series: [{ field: 'a', name: 'This year' }, { field: 'b', name: 'Last year' }], points, records: [] };
  const box = { width: 1152, height: 480 };
  const spec = finishSpec(shorthandSpec(slide, data, theme, box), theme, box.width, box.height);
  const charts = [];
  for (let run = 0; run < 21; run++) {
    started = performance.now();
    const { problems } = await renderSvg(spec, 'bench-');
    charts.push(performance.now() - started);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }
  const count = first.deck.slides.filter((s) => s.kind === 'chart').length;
  return { cold, warmBriefing: median(briefings), warmChart: median(charts.slice(1)), count };
}

/** A build of the chart-free example as a new process, `extra` node options first (median of 5). */
function buildExample(extra) {
  const out = join(WORK, 'plain');
  const times = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [...extra, BIN, 'build', EXAMPLE, '--out', out, '--force'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build of the example failed: ${result.stderr}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

async function watchDataEdit() {
  const dir = join(WORK, 'watch');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'briefings'), { recursive: true });
  cpSync(join(ROOT, 'briefings', 'data'), join(dir, 'briefings', 'data'), { recursive: true });
  cpSync(CHARTS, join(dir, 'briefings', 'deck.yaml'));
  const csv = join(dir, 'briefings', 'data', 'neopanamax-segments.csv');
  const original = readFileSync(csv, 'utf8');
  const child = spawn(process.execPath, [BIN, 'watch', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const times = [];
  const browser = await launchBrowser();
  try {
    while (!/serving (http:\/\/127\.0\.0\.1:\d+\/)/.test(output)) {
      if (child.exitCode !== null) throw new Error(`watch exited: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const base = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)[1];
    const page = await browser.newPage();
    await page.goto(new URL('deck.html#/slide-5', base).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    for (let i = 1; i <= 7; i++) {
      const value = 1751 + i;
      const started = performance.now();
      writeFileSync(csv, original.replace('1647,1751', `1647,${value}`));
      await page.waitForFunction((v) => document.querySelector('section.present svg')?.getAttribute('aria-label')?.includes(`to ${v.toLocaleString('en')} (Container ships)`), { timeout: 30000, polling: 5 }, value);
      times.push(performance.now() - started);
      await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await browser.close();
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  return times;
}

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const warm = await warmChart();
const plain = buildExample([]);
const withoutVega = buildExample(['--import', FORBID]);
const watched = await watchDataEdit();
console.log('\nCharts');
console.log(`  one chart, warm (Vega loaded, fonts read)     ${ms(warm.warmChart)}   (target: < 50 ms)  ${warm.warmChart < 50 ? 'MET' : 'MISSED'}`);
console.log(`  chart example (${warm.count} charts), first compile   ${ms(warm.cold)}   (loads Vega, Vega-Lite and the font files)`);
console.log(`  chart example, warm compile                  ${ms(warm.warmBriefing)}`);
console.log(`  example without charts, new process build    ${ms(plain)}; with Vega made unloadable ${ms(withoutVega)} (it builds: Vega is not loaded)`);
console.log(`  watch: save a chart's CSV to tab redrawn     median ${ms(median(watched))}   [${watched.map((x) => Math.round(x)).join(', ')}]   (target: < 300 ms)  ${median(watched) < 300 ? 'MET' : 'MISSED'}`);
