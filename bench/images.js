// Benchmarks for slide images (issue 16): `npm run bench` runs this after the others.
//   1. The example briefing (14 slides), cold: a new process and output folder each time, for
//      `build` (the deck, measured in the browser), `--thumbnail`, `--images png`, `--images png
//      --scale 2`, `--images jpeg`, `--pdf` and `--pdf --images png`. Wall time, what the images
//      add, the capture's own time per slide (the `capture` span of BRIEFDECK_TIMINGS) and the
//      bytes written.
//   2. Marp CLI drawing the equivalent Markdown deck (bench/assad-china-visit.md) with `--images
//      png`, when bench/run.js has installed it in bench/.work/marp, on the same browser.
//   3. 20 briefings: `build --pdf` against `build --pdf --images png`.
// Each figure is the median of BENCH_RUNS runs (default 3). Prints figures and ratios; exits 1
// only if briefdeck itself fails.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTimings } from './stages.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(ROOT, 'bin', 'briefdeck.js');
const WORK = join(ROOT, 'bench', '.work', 'images');
const MARP_BIN = join(ROOT, 'bench', '.work', 'marp', 'node_modules', '.bin', 'marp');
const EXAMPLE = join(ROOT, 'briefings', 'assad-china-visit.yaml');
const MARKDOWN = join(ROOT, 'bench', 'assad-china-visit.md');
const SLIDES = 14;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;
const kb = (bytes) => `${Math.round(bytes / 1024)} KB`;

const { findBrowser } = await import('../lib/browser.js');
const browser = findBrowser();

/** Bytes under a path (a file, or a folder's files). */
function bytesOf(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((total, name) => total + bytesOf(join(path, name)), 0) : s.size;
}

/** Runs a command in a fresh output folder; returns its wall time and, for briefdeck, its capture time. */
function timedRun(command, args, cwd, env = {}) {
  rmSync(join(cwd, 'dist'), { recursive: true, force: true });
  const started = performance.now();
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed: ${run.stderr}`);
  const spans = parseTimings(run.stderr) ?? [];
  const capture = spans.filter((s) => s.stage === 'capture').reduce((total, s) => total + (s.end - s.start), 0);
  return { wall, capture };
}

function briefdeck(args, cwd) {
  return timedRun(process.execPath, [BIN, 'build', ...args], cwd, { BRIEFDECK_TIMINGS: '1', PUPPETEER_EXECUTABLE_PATH: browser });
}

rmSync(WORK, { recursive: true, force: true });
const one = join(WORK, 'one');
mkdirSync(join(one, 'briefings'), { recursive: true });
cpSync(EXAMPLE, join(one, 'briefings', 'deck.yaml'));

console.log(`slide images, ${RUNS} runs each (median), browser ${browser}`);
const cases = [
  { name: 'build (deck only, measured)', args: [] },
  { name: 'build --thumbnail', args: ['--thumbnail'], output: 'deck.png' },
  { name: 'build --images png', args: ['--images', 'png'], output: 'deck' },
  { name: 'build --images png --scale 2', args: ['--images', 'png', '--scale', '2'], output: 'deck' },
  { name: 'build --images jpeg', args: ['--images', 'jpeg'], output: 'deck' },
  { name: 'build --pdf', args: ['--pdf'] },
  { name: 'build --pdf --images png', args: ['--pdf', '--images', 'png'], output: 'deck' },
];
const figures = new Map();
for (let run = 0; run < RUNS; run++) {
  // Interleaved, so that a change in the machine's load hits every case alike.
  for (const c of cases) {
    const r = briefdeck(c.args, one);
    const f = figures.get(c.name) ?? { walls: [], captures: [], bytes: 0 };
    f.walls.push(r.wall);
    f.captures.push(r.capture);
    if (c.output) f.bytes = bytesOf(join(one, 'dist', c.output));
    figures.set(c.name, f);
  }
}
const base = median(figures.get('build (deck only, measured)').walls);
const pdfBase = median(figures.get('build --pdf').walls);
for (const c of cases) {
  const f = figures.get(c.name);
  const wall = median(f.walls);
  const over = c.name.startsWith('build --pdf ') ? pdfBase : base;
  const added = c.args.length === 0 || c.name === 'build --pdf' ? '' : `, +${ms(wall - over)} (${(((wall - over) / over) * 100).toFixed(0)}%)`;
  const capture = median(f.captures);
  const per = capture > 0 ? `, capture ${ms(capture)} (${(capture / (c.name.includes('thumbnail') ? 1 : SLIDES)).toFixed(1)} ms per image)` : '';
  const size = f.bytes > 0 ? `, ${kb(f.bytes)} written` : '';
  console.log(`  ${c.name.padEnd(30)} ${ms(wall)}${added}${per}${size}`);
}

if (existsSync(MARP_BIN) && existsSync(MARKDOWN)) {
  const marpDir = join(WORK, 'marp');
  mkdirSync(marpDir, { recursive: true });
  cpSync(MARKDOWN, join(marpDir, 'deck.md'));
  const env = { CHROME_PATH: browser, ...(process.getuid?.() === 0 ? { CHROME_NO_SANDBOX: '1' } : {}) };
  const walls = [];
  for (let run = 0; run < RUNS; run++) walls.push(timedRun(MARP_BIN, ['--no-config-file', '--images', 'png', '--allow-local-files', 'deck.md', '-o', 'dist/deck.png'], marpDir, env).wall);
  const marp = median(walls);
  const ours = median(figures.get('build --images png').walls);
  const drawn = readdirSync(join(marpDir, 'dist')).length;
  console.log(`  Marp CLI --images png           ${ms(marp)} (${drawn} images): briefdeck --images png is ${(ours / marp).toFixed(2)}x Marp's time`);
} else console.log('  Marp CLI: not installed in bench/.work/marp (bench/run.js installs it); no comparison');

const many = join(WORK, 'many');
mkdirSync(join(many, 'briefings'), { recursive: true });
cpSync(join(ROOT, 'briefings', 'data'), join(many, 'briefings', 'data'), { recursive: true });
for (let i = 0; i < 20; i++) cpSync(i % 2 ? EXAMPLE : join(ROOT, 'briefings', 'panama-canal-drought.yaml'), join(many, 'briefings', `b${i}.yaml`));
const pdf = [];
const both = [];
for (let run = 0; run < RUNS; run++) {
  pdf.push(briefdeck(['--pdf'], many).wall);
  both.push(briefdeck(['--pdf', '--images', 'png'], many).wall);
}
const added = (median(both) - median(pdf)) / median(pdf);
console.log(`  20 briefings (220 slides): build --pdf ${ms(median(pdf))}, with --images png ${ms(median(both))}: the images add ${(added * 100).toFixed(1)}%`);
rmSync(WORK, { recursive: true, force: true });
