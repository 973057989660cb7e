// Benchmarks for the editable PowerPoint file (issue 14):
//   1. the example briefing to PPTX, warm: writePptx again in a process that has written one
//      (median of 10; target <= 100 ms);
//   2. `build --pptx` of 20 briefings against `build --pdf` of the same, each a fresh process and
//      output folder (median of 5; target: the PPTX adds under 10%).
// Prints figures against the targets; exits 1 only if briefdeck itself fails. Run: npm run bench.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(ROOT, 'bin', 'briefdeck.js');
const WORK = join(ROOT, 'bench', '.work', 'pptx');
const EXAMPLE = join(ROOT, 'briefings', 'assad-china-visit.yaml');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

async function warm() {
  const { compileBriefing, loadToolkit } = await import('../lib/compile.js');
  const { writePptx } = await import('../lib/pptx/index.js');
  const toolkit = await loadToolkit();
  const compiled = await compileBriefing(relative(ROOT, EXAMPLE), toolkit, ROOT);
  if (compiled.deck === undefined) throw new Error('the example does not build');
  const input = { deck: compiled.deck, css: [toolkit.assets.baseCss, toolkit.assets.themes[compiled.deck.meta.theme] ?? '', ...compiled.deck.meta.css] };
  await writePptx(input);
  const times = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await writePptx(input);
    times.push(performance.now() - started);
  }
  return median(times);
}

function buildOnce(flag) {
  rmSync(join(WORK, 'dist'), { recursive: true, force: true });
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, 'build', flag], { cwd: WORK, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`build ${flag} failed: ${run.stderr}`);
  return performance.now() - started;
}

// The floor of what a PPTX can add to a build: the CPU time of writing the 20 briefings' PPTXs in
// one warm process (the build's Node thread does this besides everything it does for the PDFs).
async function floor() {
  const { compileBriefing, loadToolkit } = await import('../lib/compile.js');
  const { writePptx } = await import('../lib/pptx/index.js');
  const toolkit = await loadToolkit();
  const inputs = [];
  for (const file of [EXAMPLE, join(ROOT, 'briefings', 'panama-canal-drought.yaml')]) {
    const compiled = await compileBriefing(relative(ROOT, file), toolkit, ROOT);
    inputs.push({ deck: compiled.deck, css: [toolkit.assets.baseCss, toolkit.assets.themes[compiled.deck.meta.theme] ?? '', ...compiled.deck.meta.css] });
  }
  for (const input of inputs) await writePptx(input);
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const before = process.cpuUsage();
    for (let i = 0; i < 20; i++) await writePptx(inputs[i % 2]);
    const used = process.cpuUsage(before);
    runs.push((used.user + used.system) / 1000);
  }
  return median(runs);
}

const warmMs = await warm();
console.log(`example to PPTX, warm: ${ms(warmMs)} (target <= 100 ms) ${warmMs <= 100 ? 'ok' : 'OVER'}`);
const floorMs = await floor();

rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, 'briefings'), { recursive: true });
cpSync(join(ROOT, 'briefings', 'data'), join(WORK, 'briefings', 'data'), { recursive: true });
for (let i = 0; i < 20; i++) cpSync(i % 2 ? EXAMPLE : join(ROOT, 'briefings', 'panama-canal-drought.yaml'), join(WORK, 'briefings', `b${i}.yaml`));
const pdf = [];
const both = [];
for (let run = 0; run < 5; run++) {
  pdf.push(buildOnce('--pdf'));
  rmSync(join(WORK, 'dist'), { recursive: true, force: true });
  both.push((() => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'build', '--pdf', '--pptx'], { cwd: WORK, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build --pdf --pptx failed: ${r.stderr}`);
    return performance.now() - started;
  })());
}
const added = (median(both) - median(pdf)) / median(pdf);
console.log(`20 briefings: build --pdf ${ms(median(pdf))}, build --pdf --pptx ${ms(median(both))}: the PPTX adds ${(added * 100).toFixed(1)}% (target < 10%) ${added < 0.1 ? 'ok' : 'OVER'}`);
console.log(`floor: writing the 20 PPTXs alone takes ${ms(floorMs)} of CPU, ${((floorMs / median(pdf)) * 100).toFixed(1)}% of build --pdf`);
rmSync(WORK, { recursive: true, force: true });
