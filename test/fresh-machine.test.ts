// The README's quick start on a fresh Linux machine with Node and nothing else: every system
// browser, the libraries a headless Chromium links against and the machine's fonts are hidden (in
// a private mount namespace, so only this test sees it), a fresh clone is installed with
// `npm ci`, and `npx briefdeck build --pdf` must print the example with briefdeck's own
// Chromium, unpacked into an empty cache; and the same bytes again with the machine's own fonts
// and libraries in view. Hiding needs root and unshare (CI has both).

import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';
import { pdfInfo } from './helpers/pdf.js';

function whyNot(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'briefdeck has its own Chromium on Linux x64 only';
  if (process.getuid?.() !== 0) return 'hiding the system browsers needs root (a private mount namespace)';
  try {
    execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' });
  } catch {
    return 'hiding the system browsers needs unshare -m, which failed here';
  }
  return undefined;
}

const skipped = whyNot();

// Mounts over a folder (an empty tmpfs) or a file (/dev/null): the path shows nothing usable.
const SCRIPT = `
set -eu
hide() {
  for path in "$@"; do
    if [ -d "$path" ] && [ ! -L "$path" ]; then mount -t tmpfs -o size=1m none "$path"
    elif [ -e "$path" ]; then mount --bind /dev/null "$path"; fi
  done
}
hide /usr/lib/chromium /usr/lib/chromium-browser /opt/google /opt/microsoft /snap/bin/chromium \\
  /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/chromium-headless-shell /usr/bin/google-chrome \\
  /usr/bin/google-chrome-stable /usr/bin/microsoft-edge /usr/bin/microsoft-edge-stable
for lib in libnss3.so libnssutil3.so libnspr4.so libplc4.so libplds4.so libsoftokn3.so libfreeblpriv3.so; do
  hide "/usr/lib/x86_64-linux-gnu/$lib"
done
hide /etc/fonts /usr/share/fonts
if /usr/bin/chromium --version >/dev/null 2>&1 || [ -e /usr/lib/chromium/chromium-headless-shell ]; then
  echo "a system browser is still there" >&2; exit 9
fi
cd "$CLONE"
npm ci --prefer-offline --no-audit --no-fund
npx briefdeck build --pdf
npx briefdeck doctor
`;

/** Runs the script in a private mount namespace; resolves with its exit code and output. */
function inNamespace(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const work = await mkdtemp(join(tmpdir(), 'briefdeck-fresh-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the quick start on a machine with Node and no browser', () => {
  it.skipIf(skipped !== undefined)(`prints the example PDF from a fresh clone${skipped ? ` (skipped: ${skipped})` : ''}`, async () => {
    const clone = join(work, 'clone');
    // The committed state of this repository, as a user would get it.
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    // Only what a user's shell would have: no browser setting, an empty cache, no npm_* of this run.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG ?? 'C.UTF-8',
      CLONE: clone,
      XDG_CACHE_HOME: join(work, 'cache'),
      PUPPETEER_CACHE_DIR: join(work, 'puppeteer-cache'),
    };
    const run = await inNamespace(env);
    expect(run.output).not.toContain('a system browser is still there');
    expect(run.code, run.output).toBe(0);
    const slides = /built dist\/assad-china-visit\.html \((\d+) slides\)/.exec(run.output)?.[1];
    expect(slides).toBeDefined();
    expect(run.output).toContain(`printed dist/assad-china-visit.pdf (${slides} pages)`);
    expect(run.output).toMatch(/\nbrowser   .*\/cache\/briefdeck\/chromium-[\d.]+\/chromium-headless-shell\n {10}briefdeck's own Chromium/);
    expect((await pdfInfo(join(clone, 'dist', 'assad-china-visit.pdf'))).Pages).toBe(slides);
    // Puppeteer downloaded nothing during npm ci.
    expect(await readdir(join(work)).then((names) => names.includes('puppeteer-cache'))).toBe(false);

    // The same bytes on this machine as it is, with its own fonts and libraries.
    const here = await runCli(['build', '--pdf', '-o', 'dist-here'], clone, env, join(clone, 'bin', 'briefdeck.js'));
    expect(here.code, here.stderr).toBe(0);
    const [bare, full] = await Promise.all(['dist', 'dist-here'].map((out) => readFile(join(clone, out, 'assad-china-visit.pdf'))));
    expect(full!.equals(bare!)).toBe(true);
  }, 600_000);
});
