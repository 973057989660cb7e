// The briefdeck benchmark: `npm run bench` (builds lib/ first, then runs this file).
//
// Measures, on this machine and in one run, side by side:
//   1. HTML only: the example briefing (and the size of its deck), and 100 briefings in one
//      command (wall time, peak RSS);
//   2. PDF: the example briefing, cold (a new process, browser start included), with the stages
//      the CLI reports under BRIEFDECK_TIMINGS (start-up, compile, launch, load, print,
//      post-processing, close: see bench/stages.js);
//   3. PDF: 10 and 20 briefings in one command (default --jobs), and the cost per briefing;
//   4. the lower bound: bench/bare-puppeteer.js printing the example's deck cold, and the same
//      20 decks with one browser;
//   5. Marp CLI printing an equivalent Markdown deck (bench/assad-china-visit.md), 1, 10 and 20
//      files;
// then prints a summary table with the targets: the example cold in at most 0.5x Marp's time,
// 10 and 20 briefings in at most 0.6x; the example's deck at most 300 KB; no step of the cold
// path that is neither compiling nor Chromium's work over 100 ms; briefdeck / bare under 1.3x.
//
// Every PDF measurement runs on one browser for all three tools (briefdeck and the bare script
// through PUPPETEER_EXECUTABLE_PATH, Marp through CHROME_PATH). The browser matters more than
// anything else here: the same work takes about twice as long in a full Chromium as in a
// Chromium headless shell. So when both are installed, sections 2-5 run once for each, and the
// summary has the figures and targets for each; BENCH_BROWSERS=path[,path] picks them instead.
//
// Each PDF figure is the median of BENCH_RUNS runs (default 3); the PDF measurements are
// interleaved (briefdeck, bare, Marp, then again) so that a change in the machine's load hits
// them alike. Besides wall time, each PDF figure has the CPU time of the command's whole process
// tree, Chromium's renderers included (polled from /proc every 100 ms, so slightly low): on a
// machine shared with other work it is steadier than wall time. The targets use wall time.
//
// Scratch files go to bench/.work/ (git-ignored); Marp CLI is installed there with npm the first
// time. Every command runs in a fresh output folder, so briefdeck's build cache never skips work.
// No process this bench starts outlives it: each command's processes are tracked (by an
// environment marker, parentage and browser profile folder) and killed by pid if still there.
// Exit 0 when briefdeck worked, even when a target is missed (this is a report); exit 1 when
// briefdeck itself failed (or printed other than one page per slide).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench', '.work', 'run');
const MARP_DIR = join(ROOT, 'bench', '.work', 'marp');
const MARP_BIN = join(MARP_DIR, 'node_modules', '.bin', 'marp');
const CLI = join(ROOT, 'bin', 'briefdeck.js');
const BARE = join(ROOT, 'bench', 'bare-puppeteer.js');
const EXAMPLE = join(ROOT, 'briefings', 'assad-china-visit.yaml');
const MARKDOWN = join(ROOT, 'bench', 'assad-china-visit.md');
const SLIDES = 14;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const RUN_TIMEOUT_MS = 240_000;
const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Every process this run starts carries this in its environment, and so does every browser
// they start: that is how the leftover check tells this run's Chromium from anyone else's.
const MARKER = `briefdeck-bench-${process.pid}-${Date.now()}`;

if (!existsSync(join(ROOT, 'lib', 'pdf', 'batch.js'))) {
  console.error('bench: lib/ is missing; run "npm run bench" (it builds first) or "npm run build"');
  process.exit(1);
}
const { defaultJobs } = await import('../lib/pdf/batch.js');
const { findBrowser } = await import('../lib/browser.js');
const { PDFDocument } = await import('pdf-lib');
const { STAGES, longestOtherStep, parseTimings, stagesOf } = await import('./stages.js');

// ---------------------------------------------------------------------------------------------
// Running and measuring one command

let current; // the child running now, killed (its whole process group) on Ctrl-C
let currentTree; // the processes of that child, for Ctrl-C
const cleanEnv = { ...process.env, BRIEFDECK_BENCH_MARKER: MARKER };
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** One line of /proc/<pid>/stat, or undefined when the process is gone. */
function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const f = stat.slice(close + 2).split(' ');
    return { pid, comm: stat.slice(stat.indexOf('(') + 1, close), state: f[0], ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), key: `${pid}:${f[19]}` };
  } catch {
    return undefined;
  }
}
const readText = (path) => {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
};
const pids = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);

// Chromium rewrites the argv and environment area of its helper processes (renderers, GPU), so
// the marker cannot be read there: a process is ours when it carries the marker, when its parent
// is ours, or when it is a Chromium of a profile folder that one of ours was started with.
const ourKeys = new Set(); // every process this bench ever started (pid:start time)
const ourProfiles = new Set(); // the --user-data-dir of every browser this bench started

/** The process tree of one command: what it runs, and the CPU time it used (polled). */
class Tree {
  constructor() {
    this.procs = new Map(); // key -> { pid, comm, state, ticks }
    this.checked = new Set();
  }

  poll() {
    const live = new Set([...this.procs.values()].filter((p) => p.state !== 'gone').map((p) => p.pid));
    for (const p of this.procs.values()) p.state = 'gone';
    for (const pid of pids()) {
      const s = readStat(pid);
      if (s === undefined) continue;
      let entry = this.procs.get(s.key);
      if (entry === undefined) {
        let ours = live.has(s.ppid);
        if (!ours && !this.checked.has(s.key)) {
          this.checked.add(s.key);
          ours = readText(`/proc/${pid}/environ`).includes(MARKER);
          if (!ours && /chrom/i.test(s.comm)) {
            const cmdline = readText(`/proc/${pid}/cmdline`);
            ours = [...ourProfiles].some((dir) => cmdline.includes(`--user-data-dir=${dir}`));
          }
        }
        if (!ours) continue;
        entry = { pid, comm: s.comm, state: s.state, ticks: s.ticks };
        this.procs.set(s.key, entry);
        ourKeys.add(s.key);
        live.add(pid);
        if (/chrom/i.test(s.comm)) {
          const dir = /--user-data-dir=([^\0]+)/.exec(readText(`/proc/${pid}/cmdline`))?.[1];
          if (dir) ourProfiles.add(dir);
        }
      }
      entry.state = s.state;
      entry.ticks = Math.max(entry.ticks, s.ticks);
    }
  }

  /** Processes of this tree still running (zombies are dead: init reaps them). */
  alive() {
    return [...this.procs.values()].filter((p) => p.state !== 'gone' && p.state !== 'Z');
  }

  cpuMs() {
    let ticks = 0;
    for (const p of this.procs.values()) ticks += p.ticks;
    return (ticks / CLK_TCK) * 1000;
  }
}

const leftovers = [];
/** Waits up to `waitMs` for a tree's processes to exit, then kills (by pid) any still there. */
async function reap(tree, waitMs) {
  const deadline = Date.now() + waitMs;
  tree.poll();
  while (tree.alive().length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    tree.poll();
  }
  for (const p of tree.alive()) {
    leftovers.push(`${p.pid} (${p.comm})`);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * Runs a command in its own process group; resolves with its exit code, wall time (ms), the CPU
 * time of its whole process tree, browsers included (ms, polled every 100 ms, so a little low),
 * its output and, when `rss` is set, its peak RSS in KiB (GNU time's %M, or
 * process.resourceUsage() in a wrapper when /usr/bin/time is missing; node scripts only then).
 */
async function run(cmd, args, { env = {}, rss = false, timeoutMs = RUN_TIMEOUT_MS } = {}) {
  const rssFile = join(WORK, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  let argv = [cmd, ...args];
  if (rss && TIME_BIN) argv = [TIME_BIN, '-f', '%M', '-o', rssFile, ...argv];
  else if (rss) argv = [process.execPath, join(WORK, 'rss-wrapper.mjs'), rssFile, ...argv.slice(1)];
  const tree = new Tree();
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  current = child;
  currentTree = tree;
  const poller = setInterval(() => tree.poll(), 100);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, timeoutMs);
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      resolve(127);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  const ms = performance.now() - started;
  clearTimeout(timer);
  clearInterval(poller);
  current = undefined;
  await reap(tree, 3_000);
  currentTree = undefined;
  let rssKb;
  if (rss) {
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    const last = text.trim().split('\n').at(-1);
    rssKb = last && /^\d+$/.test(last) ? Number(last) : undefined;
    await rm(rssFile, { force: true });
  }
  if (timedOut) stderr += `\n(killed after ${timeoutMs / 1000} s)`;
  return { code, ms, cpuMs: tree.cpuMs(), rssKb, stdout, stderr, ok: code === 0 && !timedOut };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Chromium processes running now that are not this bench's (another user's tests, say). */
function otherBrowsers() {
  return pids()
    .map(readStat)
    .filter((s) => s && s.state !== 'Z' && (s.comm === 'chromium' || s.comm === 'chrome') && !ourKeys.has(s.key)).length;
}

/** After everything: any process of ours, from any run, still running (should be none). */
function strays() {
  const out = [];
  for (const pid of pids()) {
    const s = readStat(pid);
    if (!s || s.state === 'Z' || pid === process.pid) continue;
    const cmdline = /chrom/i.test(s.comm) ? readText(`/proc/${pid}/cmdline`) : '';
    if (ourKeys.has(s.key) || readText(`/proc/${pid}/environ`).includes(MARKER) || [...ourProfiles].some((d) => cmdline.includes(`--user-data-dir=${d}`))) out.push(s);
  }
  return out;
}

process.on('SIGINT', () => {
  if (current) killGroup(current);
  currentTree?.poll();
  for (const p of currentTree?.alive() ?? []) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  process.exit(130);
});

// ---------------------------------------------------------------------------------------------
// Figures

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const secs = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const msec = (ms) => (ms === undefined ? 'n/a' : `${Math.round(ms)} ms`);
const mb = (kb) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const kb = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1000).toFixed(0)} KB`);
const ratio = (x, digits = 2) => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(digits)}x`);
const runsOf = (xs) => xs.map((m) => (m / 1000).toFixed(2)).join(', ');
const log = (line = '') => process.stdout.write(`${line}\n`);

let briefdeckFailed = false;
const failures = [];
function fail(what, result) {
  const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-6).join('\n    ');
  failures.push(`${what}: exit ${result.code}\n    ${tail}`);
  log(`  FAILED: ${what} (exit ${result.code})`);
}

/** Pages per PDF in a folder, for the bare script's output (the CLI reports its own). */
async function pdfPages(dir) {
  const counts = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.pdf')).sort()) {
    const doc = await PDFDocument.load(await readFile(join(dir, name)), { updateMetadata: false });
    counts.push(doc.getPageCount());
  }
  return counts;
}

/** The CLI's "printed X (N pages)" lines: true when `count` PDFs of SLIDES pages each. */
function cliPrinted(stdout, count) {
  const pages = [...stdout.matchAll(/^printed .*\((\d+) pages?\)$/gm)].map((m) => Number(m[1]));
  return pages.length === count && pages.every((p) => p === SLIDES);
}

// ---------------------------------------------------------------------------------------------
// Inputs

const EXAMPLE_TEXT = await readFile(EXAMPLE, 'utf8');
/** The example with a different title and first point: the same work, not the same bytes. */
function variant(n) {
  return EXAMPLE_TEXT.replace(/^title: Assad in China$/m, `title: Assad in China (briefing ${n})`).replace(
    'seeking to rebuild ties after years of isolation',
    `seeking to rebuild ties after years of isolation (copy ${n})`,
  );
}

async function writeBriefings(dir, count) {
  await mkdir(dir, { recursive: true });
  const width = String(count).length;
  for (let i = 1; i <= count; i++) await writeFile(join(dir, `briefing-${String(i).padStart(width, '0')}.yaml`), variant(i));
}

await rm(WORK, { recursive: true, force: true });
await mkdir(WORK, { recursive: true });
if (!TIME_BIN) {
  // Fallback for peak RSS: run the node script in-process and record its own maximum RSS.
  await writeFile(
    join(WORK, 'rss-wrapper.mjs'),
    `import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [rssFile, script, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...rest];
process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
await import(pathToFileURL(script).href);
`,
  );
}
await writeBriefings(join(WORK, 'html100'), 100);
await writeBriefings(join(WORK, 'pdf10', 'src'), 10);
await writeBriefings(join(WORK, 'pdf20', 'src'), 20);
await mkdir(join(WORK, 'marp1'), { recursive: true });
await copyFile(MARKDOWN, join(WORK, 'marp1', 'assad-china-visit.md'));
for (const n of [10, 20]) {
  await mkdir(join(WORK, `marp${n}`, 'src'), { recursive: true });
  for (let i = 1; i <= n; i++) await copyFile(MARKDOWN, join(WORK, `marp${n}`, 'src', `deck-${String(i).padStart(2, '0')}.md`));
}

const jobs = defaultJobs();
const { isHeadlessShell } = await import('../lib/browser.js');
/** The browsers to measure on: the one briefdeck finds, and the other kind when installed. */
function benchBrowsers() {
  if (process.env.BENCH_BROWSERS) return process.env.BENCH_BROWSERS.split(',').filter(Boolean);
  const found = findBrowser();
  const other = ['/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'].find(
    (path) => existsSync(path) && isHeadlessShell(path) !== isHeadlessShell(found),
  );
  return other ? [found, other] : [found];
}
const browserKind = (path) => (isHeadlessShell(path) ? 'headless shell' : 'full Chromium');
const browsers = benchBrowsers();
const benchStart = performance.now();
const loadBefore = loadavg()[0];
const othersBefore = otherBrowsers();

log(`briefdeck benchmark: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}`);
log(`browsers: ${browsers.map((b) => `${b} (${browserKind(b)})`).join(', ')}; default --jobs ${jobs}; ${RUNS} runs per PDF figure (median)`);
log(`peak RSS from ${TIME_BIN ? '/usr/bin/time -f %M' : 'process.resourceUsage() in a wrapper'}; load average ${loadBefore.toFixed(2)}`);
if (othersBefore > 0) log(`warning: ${othersBefore} other Chromium processes are running (not this bench's): the figures will be noisy`);
log();

// ---------------------------------------------------------------------------------------------
// 1. HTML only

log('1. HTML only (build without --pdf), median of runs');
const html = {};
let deckBytes; // the example's HTML deck
for (const [key, label, input] of [
  ['one', 'example briefing', relative(ROOT, EXAMPLE)],
  ['hundred', '100 briefings, one command', relative(ROOT, join(WORK, 'html100'))],
]) {
  const times = [];
  const rsses = [];
  for (let i = 1; i <= RUNS; i++) {
    const out = join(WORK, `html-${key}-out-${i}`);
    const r = await run(process.execPath, [CLI, 'build', input, '--out', relative(ROOT, out)], { rss: true });
    const expected = key === 'one' ? 1 : 100;
    if (!r.ok || !r.stdout.includes(`${expected} deck${expected === 1 ? '' : 's'} built`)) {
      briefdeckFailed = true;
      fail(`briefdeck HTML build of ${label}`, r);
      break;
    }
    times.push(r.ms);
    if (r.rssKb !== undefined) rsses.push(r.rssKb);
    if (key === 'one') deckBytes = (await readFile(join(out, 'assad-china-visit.html'))).length;
    await rm(out, { recursive: true, force: true });
  }
  html[key] = { ms: times.length ? median(times) : undefined, rssKb: rsses.length ? median(rsses) : undefined };
  log(`  ${label.padEnd(28)} ${msec(html[key].ms).padStart(8)}  peak RSS ${mb(html[key].rssKb)}   (runs: ${times.map(Math.round).join(', ')} ms)`);
}
if (html.hundred.ms !== undefined) log(`  per briefing in the 100-briefing build: ${(html.hundred.ms / 100).toFixed(1)} ms`);
if (deckBytes !== undefined) log(`  the example's deck: ${kb(deckBytes)}`);
log();

// ---------------------------------------------------------------------------------------------
// 5 (set-up). Marp CLI, installed before any PDF is timed so the install does not overlap them.

let marp = { available: false, reason: '' };
if (existsSync(MARP_BIN)) {
  marp.available = true;
} else {
  log('installing Marp CLI into bench/.work/marp (once) ...');
  const r = await run('npm', ['install', '--prefix', MARP_DIR, '@marp-team/marp-cli', '--no-audit', '--no-fund'], { timeoutMs: 300_000 });
  if (r.ok && existsSync(MARP_BIN)) marp.available = true;
  else marp.reason = `npm install failed: ${(r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 120) || `exit ${r.code}`}`;
}
if (marp.available) {
  const v = await run(MARP_BIN, ['--version']);
  if (v.ok) marp.version = v.stdout.trim().split('\n')[0];
  else marp = { available: false, reason: `marp --version failed: ${v.stderr.trim().split('\n').at(-1)}` };
}
// Marp finds the browser through CHROME_PATH; as root it adds --no-sandbox itself (it checks the
// uid), and CHROME_NO_SANDBOX=1 asks for it explicitly in any case.
const marpEnv = (browserPath) => ({ CHROME_PATH: browserPath, ...(process.getuid?.() === 0 ? { CHROME_NO_SANDBOX: '1' } : {}) });
const marpArgs = ['--no-config-file', '--pdf', '--allow-local-files'];

// ---------------------------------------------------------------------------------------------
// 2-5. PDFs on each browser, interleaved: each round runs every PDF measurement once.

let othersSeen = othersBefore;
const median0 = (xs) => (xs.length ? median(xs) : undefined);
const div = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const sub = (a, b) => (a === undefined || b === undefined ? undefined : a - b);
const cpuS = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} CPU-s`);

/** Sections 2-5 on one browser; returns the medians (wall `m`, CPU `c`) of every measurement. */
async function measurePdfs(browserPath, index) {
  const tag = `b${index}`;
  const env = { PUPPETEER_EXECUTABLE_PATH: browserPath };
  const keys = ['cold', 'cli10', 'cli20', 'bare1', 'bare20', 'marp1', 'marp10', 'marp20'];
  const t = Object.fromEntries(keys.map((k) => [k, []]));
  const cpu = Object.fromEntries(keys.map((k) => [k, []]));
  const coldStages = []; // the stages of each cold run
  let marpPages;
  let marpRan = false;
  const record = (key, r, line, label) => {
    t[key].push(r.ms);
    cpu[key].push(r.cpuMs);
    line.push(`${label} ${secs(r.ms)}`);
  };
  /** briefdeck on a folder of `count` briefings (or the example); false when it failed. */
  const briefdeck = async (key, input, count, out, line, label, extraEnv = {}) => {
    const r = await run(process.execPath, [CLI, 'build', relative(ROOT, input), '--pdf', '--out', relative(ROOT, out)], { env: { ...env, ...extraEnv } });
    if (!r.ok || !cliPrinted(r.stdout, count)) {
      briefdeckFailed = true;
      fail(`briefdeck PDF${count === 1 ? ' of the example' : `s of ${count} briefings`}`, r);
      return undefined;
    }
    record(key, r, line, label);
    return r;
  };
  const marpRun = async (key, n, line) => {
    const input = n === 1 ? ['marp1', 'assad-china-visit.md'] : [`marp${n}`, 'src'];
    const out = n === 1 ? join(WORK, 'marp1', `${tag}-out-${line.round}`, 'assad-china-visit.pdf') : join(WORK, `marp${n}`, `${tag}-out-${line.round}`);
    const args = n === 1 ? [relative(ROOT, join(WORK, ...input)), '-o', relative(ROOT, out)] : ['-I', relative(ROOT, join(WORK, ...input)), '-o', relative(ROOT, out)];
    const r = await run(MARP_BIN, [...marpArgs, ...args], { env: marpEnv(browserPath) });
    const made = n === 1 ? Number(existsSync(out)) : existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.pdf')).length : 0;
    if (!r.ok || made !== n) return fail(`marp, ${n} file${n === 1 ? '' : 's'}`, r.ok ? { ...r, stderr: `${made} PDFs written` } : r);
    record(key, r, line, `marp ${n}:`);
    if (n === 20) {
      marpRan = true;
      if (line.round === 1) marpPages = await pdfPages(out).catch(() => []);
    }
  };
  log(`PDF runs on ${browserPath} (${browserKind(browserPath)}): ${RUNS} rounds, each runs every measurement once`);
  for (let round = 1; round <= RUNS && !briefdeckFailed; round++) {
    const line = [];
    line.round = round;
    // 2. The example, cold, with the CLI's stage timings.
    const out1 = join(WORK, `pdf1-${tag}-out-${round}`);
    const cold = await briefdeck('cold', EXAMPLE, 1, out1, line, 'briefdeck 1:', { BRIEFDECK_TIMINGS: '1' });
    if (cold === undefined) break;
    const spans = parseTimings(cold.stderr);
    if (spans) coldStages.push(stagesOf(spans, cold.ms));
    // 3. 10 and 20 briefings in one command.
    if ((await briefdeck('cli10', join(WORK, 'pdf10', 'src'), 10, join(WORK, 'pdf10', `${tag}-out-${round}`), line, 'briefdeck 10:')) === undefined) break;
    const out20 = join(WORK, 'pdf20', `${tag}-out-${round}`);
    if ((await briefdeck('cli20', join(WORK, 'pdf20', 'src'), 20, out20, line, 'briefdeck 20:')) === undefined) break;
    // 4. The bare lower bound, on the decks the CLI just wrote: the example cold, and the 20.
    {
      const bareOut = join(WORK, `bare1-${tag}-${round}`);
      const r = await run(process.execPath, [BARE, '--jobs', '1', '--out', relative(ROOT, bareOut), relative(ROOT, join(out1, 'assad-china-visit.html'))], { env });
      const pages = r.ok ? await pdfPages(bareOut).catch(() => []) : [];
      if (r.ok && pages.length === 1 && pages[0] === SLIDES) record('bare1', r, line, 'bare 1:');
      else fail('bare Puppeteer, the example cold', r.ok ? { ...r, stderr: `pages: ${pages.join(',')}` } : r);
    }
    {
      const decks = readdirSync(out20).filter((n) => n.endsWith('.html')).sort().map((n) => relative(ROOT, join(out20, n)));
      const bareOut = join(WORK, 'pdf20', `${tag}-bare-${round}`);
      const r = await run(process.execPath, [BARE, '--jobs', String(jobs), '--out', relative(ROOT, bareOut), ...decks], { env });
      const pages = r.ok ? await pdfPages(bareOut).catch(() => []) : [];
      if (r.ok && pages.length === 20 && pages.every((p) => p === SLIDES)) record('bare20', r, line, 'bare 20:');
      else fail('bare Puppeteer, 20 decks', r.ok ? { ...r, stderr: `pages: ${pages.join(',')}` } : r);
    }
    // 5. Marp CLI, 1, 10 and 20 files.
    if (marp.available) for (const n of [1, 10, 20]) await marpRun(`marp${n}`, n, line);
    const others = otherBrowsers();
    othersSeen = Math.max(othersSeen, others);
    log(`  round ${round}: ${line.join(' | ')}   (load ${loadavg()[0].toFixed(2)}${others ? `, ${others} other Chromium processes` : ''})`);
  }
  log();

  const m = Object.fromEntries(Object.entries(t).map(([k, xs]) => [k, median0(xs)]));
  const c = Object.fromEntries(Object.entries(cpu).map(([k, xs]) => [k, median0(xs)]));
  const both = (k) => `median ${secs(m[k])}, ${cpuS(c[k])}   (runs: ${runsOf(t[k])} s)`;
  log(`2. PDF, the example briefing, cold (new process, browser start included)`);
  log(`  ${both('cold')}`);
  const stages = reportStages(coldStages);
  log(`3. PDF, 10 and 20 briefings in one command (--jobs default = ${jobs})`);
  log(`  10: ${both('cli10')}`);
  log(`  20: ${both('cli20')}`);
  log(`  per briefing: ${secs(div(m.cli20, 20))} (total / 20); marginal ${secs(div(sub(m.cli20, m.cold), 19))} ((20 - example cold) / 19); ${cpuS(div(c.cli20, 20))} each`);
  log(`4. Lower bound: bench/bare-puppeteer.js (Node, Puppeteer, one browser, print; nothing else)`);
  log(`  the example's deck, cold: ${both('bare1')}`);
  log(`  the same 20 decks, ${jobs} tabs: ${both('bare20')}; per briefing ${secs(div(m.bare20, 20))}`);
  log(`  briefdeck / bare: ${ratio(div(m.cold, m.bare1))} cold, ${ratio(div(m.cli20, m.bare20))} for 20 (target under 1.30x), ${ratio(div(c.cli20, c.bare20))} CPU; difference ${secs(sub(m.cli20, m.bare20))} wall, ${cpuS(sub(c.cli20, c.bare20))}`);
  log(`5. Marp CLI${marp.version ? ` (${marp.version.replace(/\s+/g, ' ')})` : ''}: bench/assad-china-visit.md, --pdf --allow-local-files, --parallel default (5)`);
  if (!marp.available || !marpRan) {
    log(`  marp: unavailable (${marp.reason || 'it printed nothing; see failures below'})`);
  } else {
    if (marpPages && !marpPages.every((p) => p === SLIDES)) log(`  warning: Marp's PDFs have ${[...new Set(marpPages)].join(', ')} pages, not ${SLIDES}: the decks are not equivalent`);
    for (const [n, bd] of [[1, 'cold'], [10, 'cli10'], [20, 'cli20']]) {
      log(`  ${`${n} file${n === 1 ? ':' : 's:'}`.padEnd(9)} ${both(`marp${n}`)}`);
      log(`            briefdeck / marp ${ratio(div(m[bd], m[`marp${n}`]), 3)} wall (target at most ${n === 1 ? '0.50' : '0.60'}x), ${ratio(div(c[bd], c[`marp${n}`]))} CPU`);
    }
  }
  log();
  return { browserPath, m, c, marpRan, stages };
}

/** Prints the cold runs' stages (medians), and returns them with the longest other step. */
function reportStages(runs) {
  if (runs.length === 0) {
    log('  (no stage timings: the CLI printed none)');
    return undefined;
  }
  const med = (f) => median(runs.map(f));
  log(`  stages (median of ${runs.length} runs; they overlap: launch runs while the briefing compiles):`);
  for (const [i, stage] of STAGES.entries()) {
    const ms = med((r) => r.stages[i].ms);
    const from = med((r) => r.stages[i].start);
    const to = med((r) => r.stages[i].end);
    log(`    ${stage.name.padEnd(16)} ${msec(ms).padStart(7)}   ${`${Math.round(from)}-${Math.round(to)} ms`.padEnd(13)} ${stage.work.padEnd(8)} ${stage.what}`);
  }
  log(`    ${'not in a stage'.padEnd(16)} ${msec(med((r) => r.unaccounted)).padStart(7)}   ${''.padEnd(13)} node     glue between stages (longest ${msec(med((r) => r.largestGap))})`);
  log(`    ${'exit'.padEnd(16)} ${msec(med((r) => r.exit)).padStart(7)}   ${''.padEnd(13)} node     from the browser closed to the process gone`);
  const longest = runs.map(longestOtherStep);
  const worst = median(longest.map(([, ms]) => ms));
  const named = longest.find(([, ms]) => ms === worst)?.[0] ?? longest[0][0];
  log(`  longest step neither compiling nor Chromium's: ${msec(worst)} (${named}; median over runs; target at most 100 ms)`);
  return { longest: worst, named };
}

const pdfFigures = [];
for (const [i, browserPath] of browsers.entries()) {
  if (briefdeckFailed) break;
  pdfFigures.push(await measurePdfs(browserPath, i + 1));
}

// ---------------------------------------------------------------------------------------------
// 6. Summary

await new Promise((r) => setTimeout(r, 500));
for (const s of strays()) {
  leftovers.push(`${s.pid} (${s.comm})`);
  try {
    process.kill(s.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
const met = (ok) => (ok === undefined ? 'n/a' : ok ? 'yes' : 'NO');
const atMost = (x, limit) => (x === undefined ? undefined : x <= limit);
const rows = [
  ['HTML, example briefing', `${msec(html.one?.ms)}, ${mb(html.one?.rssKb)} peak RSS`, '', ''],
  ['HTML, 100 briefings (one command)', `${msec(html.hundred?.ms)}, ${mb(html.hundred?.rssKb)} peak RSS`, '', ''],
  ["the example's HTML deck", kb(deckBytes), '<= 300 KB', met(atMost(deckBytes, 300_000))],
];
for (const { browserPath, m, c, marpRan, stages } of pdfFigures) {
  const on = ` [${browserKind(browserPath)}]`;
  const cliOverBare = div(m.cli20, m.bare20);
  rows.push(
    [`PDF, example, cold${on}`, `${secs(m.cold)}, ${cpuS(c.cold)}`, '', ''],
    [`PDF, 10 briefings (--jobs ${jobs})${on}`, `${secs(m.cli10)}, ${cpuS(c.cli10)}; ${secs(div(m.cli10, 10))} each`, '', ''],
    [`PDF, 20 briefings (--jobs ${jobs})${on}`, `${secs(m.cli20)}, ${cpuS(c.cli20)}; ${secs(div(m.cli20, 20))} each`, '', ''],
    [`longest cold step not compile/Chromium${on}`, stages ? `${msec(stages.longest)} (${stages.named})` : 'n/a', '<= 100 ms', met(atMost(stages?.longest, 100))],
    [`bare Puppeteer, example's deck cold${on}`, `${secs(m.bare1)}, ${cpuS(c.bare1)}`, '', ''],
    [`bare Puppeteer, 20 decks${on}`, `${secs(m.bare20)}, ${cpuS(c.bare20)}; ${secs(div(m.bare20, 20))} each`, '', ''],
    [`briefdeck / bare, 20 PDFs${on}`, `${ratio(cliOverBare)} (CPU ${ratio(div(c.cli20, c.bare20))})`, '< 1.30x', met(cliOverBare === undefined ? undefined : cliOverBare < 1.3)],
  );
  if (!marpRan) {
    rows.push([`marp${on}`, 'unavailable', '', '']);
    continue;
  }
  for (const [n, bd, limit] of [[1, 'cold', 0.5], [10, 'cli10', 0.6], [20, 'cli20', 0.6]]) {
    const r = div(m[bd], m[`marp${n}`]);
    rows.push(
      [`marp, ${n === 1 ? 'example, cold' : `${n} files`}${on}`, `${secs(m[`marp${n}`])}, ${cpuS(c[`marp${n}`])}`, '', ''],
      [`briefdeck / marp, ${n === 1 ? 'example cold' : `${n} PDFs`}${on}`, `${ratio(r, 3)} (CPU ${ratio(div(c[bd], c[`marp${n}`]))})`, `<= ${limit.toFixed(2)}x`, met(atMost(r, limit))],
    );
  }
}
rows.push(['processes left behind', String(leftovers.length), '0', met(leftovers.length === 0)]);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['figure', 'value (median)', 'target', 'met'][i].length));
const fmt = (r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
log('6. Summary');
log(fmt(['figure', 'value (median)', 'target', 'met']));
log(fmt(widths.map((w) => '-'.repeat(w))));
for (const r of rows) log(fmt(r));
log();
othersSeen = Math.max(othersSeen, otherBrowsers());
log(`total bench time ${secs(performance.now() - benchStart)}; load average ${loadBefore.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end (${cpus().length} CPUs)`);
if (othersSeen > 0) log(`note: up to ${othersSeen} Chromium processes of someone else ran during the bench: wall times are noisy; CPU-s are steadier`);
if (leftovers.length > 0) log(`killed ${leftovers.length} processes this bench left behind: ${leftovers.join(', ')}`);
if (failures.length > 0) {
  log();
  log('failures:');
  for (const f of failures) log(`  ${f}`);
}
if (briefdeckFailed) {
  log();
  log('briefdeck itself failed: exit 1');
}
process.exitCode = briefdeckFailed ? 1 : 0;
