// Benchmarks for regenerating after edits (issue: watch mode and incremental builds):
//   1. 100 briefings: a full build, then an incremental build after editing one briefing, as
//      new processes (the CLI) and in one process that stays up (the API, as watch uses it);
//      and the floor of any new process that compiles a briefing: starting Node and loading
//      the YAML, Markdown and Handlebars libraries;
//   2. watch mode: from saving a briefing to the open tab showing the new text (median of 7);
//   3. watch mode with --pdf: from saving to the PDF rewritten, with the warm browser (median of 5).
// Prints figures and ratios; exits 1 only if briefdeck itself fails. Run: npm run bench.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(ROOT, 'bin', 'briefdeck.js');
const WORK = join(ROOT, 'bench', '.work', 'rebuild');
const EXAMPLE = readFileSync(join(ROOT, 'briefings', 'assad-china-visit.yaml'), 'utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

function timedWithMemory(args, cwd) {
  const started = performance.now();
  const result = spawnSyncTime(args, cwd);
  return { ms: performance.now() - started, peakMb: result };
}

/** Runs briefdeck under /usr/bin/time; returns its peak resident memory in MB. */
function spawnSyncTime(args, cwd) {
  const run = spawnSync('/usr/bin/time', ['-f', 'PEAK %M', process.execPath, BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`briefdeck failed: ${run.stderr}`);
  return Number(/PEAK (\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024;
}

async function incremental() {
  const dir = join(WORK, 'hundred');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'briefings'), { recursive: true });
  for (let i = 1; i <= 100; i++) writeFileSync(join(dir, 'briefings', `b${String(i).padStart(3, '0')}.yaml`), EXAMPLE.replace('title: Assad in China', `title: Assad in China ${i}`));
  const fulls = [];
  const peaks = [];
  for (let run = 0; run < 3; run++) {
    const { ms: t, peakMb } = timedWithMemory(['build', '--force'], dir);
    fulls.push(t);
    peaks.push(peakMb);
  }
  const incs = [];
  for (let run = 0; run < 3; run++) {
    writeFileSync(join(dir, 'briefings', 'b050.yaml'), EXAMPLE.replace('title: Assad in China', `title: Edited ${run}`));
    incs.push(timedWithMemory(['build'], dir).ms);
  }
  const noop = timedWithMemory(['build'], dir).ms;
  return { full: median(fulls), peak: Math.max(...peaks), incremental: median(incs), noop, dir };
}

/** Wall time of a new Node process running `code` (median of 5). */
function nodeProcess(code) {
  const times = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node -e ${code} failed`);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The same 100 briefings built by one process that stays up, with its toolkit kept (as watch does). */
async function inProcess(dir) {
  const { build } = await import('../lib/build.js');
  const { loadToolkit } = await import('../lib/toolkit.js');
  const toolkit = await loadToolkit();
  const cwd = dir;
  const full = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await build({ cwd, force: true, toolkit });
    full.push(performance.now() - started);
  }
  const incs = [];
  for (let run = 0; run < 5; run++) {
    writeFileSync(join(dir, 'briefings', 'b050.yaml'), EXAMPLE.replace('title: Assad in China', `title: Kept ${run}`));
    const started = performance.now();
    const result = await build({ cwd, toolkit });
    incs.push(performance.now() - started);
    if (result.briefings.filter((b) => !b.skipped).length !== 1) throw new Error('in-process incremental build rebuilt other than one briefing');
  }
  return { full: median(full), incremental: median(incs) };
}

function startWatch(dir, extra) {
  const child = spawn(process.execPath, [BIN, 'watch', '--port', '0', ...extra], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const url = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`watch exited: ${output}`));
      }
    }, 20);
  });
  return { child, url, log: () => output };
}

async function stop(child) {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function editToReload() {
  const dir = join(WORK, 'watch');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'briefings'), { recursive: true });
  const file = join(dir, 'briefings', 'deck.yaml');
  writeFileSync(file, EXAMPLE);
  const watch = startWatch(dir, []);
  const base = await watch.url;
  const browser = await launchBrowser();
  const times = [];
  try {
    const page = await browser.newPage();
    await page.goto(new URL('deck.html#/slide-7', base).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    for (let i = 1; i <= 7; i++) {
      const title = `Committed, edit ${i}`;
      const started = performance.now();
      writeFileSync(file, EXAMPLE.replace('title: What the two sides committed to', `title: ${title}`));
      await page.waitForFunction((t) => document.querySelector('section.present .slide-title')?.textContent === t, { timeout: 30000, polling: 5 }, title);
      times.push(performance.now() - started);
      await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await browser.close();
    await stop(watch.child);
  }
  return times;
}

async function pdfRegeneration() {
  const dir = join(WORK, 'watch-pdf');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'briefings'), { recursive: true });
  const file = join(dir, 'briefings', 'deck.yaml');
  writeFileSync(file, EXAMPLE);
  const watch = startWatch(dir, ['--pdf']);
  await watch.url;
  const pdf = join(dir, 'dist', 'deck.pdf');
  const times = [];
  try {
    for (let i = 1; i <= 5; i++) {
      const before = statSync(pdf).mtimeMs;
      const started = performance.now();
      writeFileSync(file, EXAMPLE.replace('title: Outlook', `title: Outlook ${i}`));
      while (statSync(pdf).mtimeMs === before) await new Promise((r) => setTimeout(r, 5));
      times.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await stop(watch.child);
  }
  return times;
}

const inc = await incremental();
const kept = await inProcess(inc.dir);
const nodeStart = nodeProcess('');
const libraries = nodeProcess("await Promise.all([import('yaml'), import('markdown-it'), import('handlebars')]);");
const reload = await editToReload();
const pdf = await pdfRegeneration();
const ratio = inc.incremental / inc.full;
console.log('\nRegenerating after edits');
console.log(`  100 briefings, full HTML build (--force)     ${ms(inc.full)}   peak RSS ${Math.round(inc.peak)} MB   (aim: < 3000 ms, < 300 MB)`);
console.log(`  same, one briefing edited (incremental)      ${ms(inc.incremental)}   ${(ratio * 100).toFixed(1)}% of full   (target: < 10%)  ${ratio < 0.1 ? 'MET' : 'MISSED'}`);
console.log(`  same, nothing edited                         ${ms(inc.noop)}`);
console.log(`  floor of a new process: Node starting        ${ms(nodeStart)}   ${((nodeStart / inc.full) * 100).toFixed(1)}% of full`);
console.log(`  floor: Node + YAML, Markdown, Handlebars     ${ms(libraries)}   ${((libraries / inc.full) * 100).toFixed(1)}% of full (any build that compiles a briefing loads these)`);
console.log(`  one process kept up (API, as watch): full    ${ms(kept.full)}; one edited ${ms(kept.incremental)}   ${((kept.incremental / kept.full) * 100).toFixed(1)}% of full`);
console.log(`  watch: save to tab showing new text (HTML)   median ${ms(median(reload))}   [${reload.map((x) => Math.round(x)).join(', ')}]   (target: < 300 ms)  ${median(reload) < 300 ? 'MET' : 'MISSED'}`);
console.log(`  watch --pdf: save to PDF rewritten (warm)    median ${ms(median(pdf))}   [${pdf.map((x) => Math.round(x)).join(', ')}]`);
