// Incremental at scale (issue 16): 1,000 briefings made from the example, built in full, then
// after editing one briefing, then with nothing to do, each as a new process (the CLI). Reports
// the times and the ratios to the full build (targets: an edit under 10%, nothing to do under 5%),
// and the size of the manifest and catalog. Run: npm run build && node bench/scale.js [count]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const BIN = join(ROOT, 'bin', 'briefdeck.js');
const DIR = join(ROOT, 'bench', '.work', 'scale');
const COUNT = Number(process.argv[2] ?? 1000);
const EXAMPLE = readFileSync(join(ROOT, 'briefings', 'assad-china-visit.yaml'), 'utf8');
const ms = (x) => `${(x / 1000).toFixed(2)} s`;

function timed(args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: DIR, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`briefdeck ${args.join(' ')} failed: ${run.stderr}`);
  return performance.now() - started;
}

const name = (i) => `b${String(i).padStart(4, '0')}.yaml`;
rmSync(DIR, { recursive: true, force: true });
mkdirSync(join(DIR, 'briefings'), { recursive: true });
for (let i = 1; i <= COUNT; i++) {
  // Dates spread over a year, so the catalog's order is by date, and titles differ.
  const day = new Date(Date.UTC(2023, 0, 1 + (i % 365))).toISOString().slice(0, 10);
  writeFileSync(join(DIR, 'briefings', name(i)), EXAMPLE.replace('title: Assad in China', `title: Assad in China ${i}`).replace('date: 2023-09-25', `date: ${day}`));
}
const full = timed(['build', '--force']);
writeFileSync(join(DIR, 'briefings', name(Math.ceil(COUNT / 2))), EXAMPLE.replace('title: Assad in China', 'title: Edited'));
const edit = timed(['build']);
const noop = [timed(['build']), timed(['build']), timed(['build'])].sort((a, b) => a - b)[1];
const node = (() => {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
})();
const size = (f) => `${Math.round(statSync(join(DIR, 'dist', f)).size / 1024)} KB`;
console.log(`${COUNT} briefings`);
console.log(`  full build:        ${ms(full)}`);
console.log(`  one edited:        ${ms(edit)}  (${((100 * edit) / full).toFixed(1)}% of full; target < 10%)`);
console.log(`  nothing to do:     ${ms(noop)}  (${((100 * noop) / full).toFixed(1)}% of full; target < 5%; median of 3)`);
console.log(`  node -e 0:         ${ms(node)}`);
console.log(`  manifest.json ${size('manifest.json')}, index.html ${size('index.html')}`);
