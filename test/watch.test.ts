// `briefdeck watch` as a user runs it: a real process, a real browser on the served deck, real
// edits to the briefing on disk.

import { spawn, execFileSync, execSync, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { basename, dirname, join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { isScratchFile } from '../src/watcher.js';
import { watch, type WatchSession } from '../src/watch.js';
import { launchBrowser } from './helpers/browser.js';
import { tempProject } from './helpers/cli.js';
import { BIN, EXAMPLE, FILES, ROOT } from './helpers/paths.js';

declare const Reveal: import('reveal.js').RevealApi;

let project: string;
let child: ChildProcess;
let output = '';
let base: string;
let browser: Browser;
let page: Page;
const briefing = () => join(project, 'briefings', 'brief.yaml');

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, body: '' });
        req.destroy();
        return;
      }
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls the served deck until it contains `text`. */
async function waitForDeck(text: string, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await get('/brief.html')).body.includes(text)) {
    if (Date.now() - start > timeout) throw new Error(`the served deck never contained "${text}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForOutput(text: string, timeout = 20_000): Promise<void> {
  const start = Date.now();
  while (!output.includes(text)) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for "${text}" in:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  project = await tempProject({ 'briefings/brief.yaml': EXAMPLE });
  // A project config with its own templates folder (outside the briefings folder), as a team would have.
  await mkdir(join(project, 'look', 'partials'), { recursive: true });
  await writeFile(join(project, 'look', 'partials', 'frame.hbs'), await readFile(join(ROOT, 'templates', 'partials', 'frame.hbs'), 'utf8'));
  await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\n');
  child = spawn(process.execPath, [BIN, 'watch', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitForOutput('serving http://127.0.0.1:');
  base = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)![1]!;
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
});

afterAll(async () => {
  await browser?.close();
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('briefdeck watch', () => {
  it('serves an index of the briefings', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Assad in China');
    expect(index.body).toContain('href="/brief.html"');
    // The catalog a build writes, live: filters, the marking coloured, the build's own page beside it.
    expect(index.body).toContain('id="filters"');
    expect(index.body).toContain('class="mark level-unclassified"');
    expect(index.body).toContain('connect-src &#39;self&#39;');
    expect(await readFile(join(project, 'dist', 'index.html'), 'utf8')).toContain('href="brief.html"');
  });

  it('reloads an open deck on the same slide when the briefing is saved', async () => {
    await page.goto(new URL('brief.html', base).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    await page.evaluate(() => Reveal.slide(6));
    await page.waitForFunction(() => location.hash === '#/slide-7');
    const text = await readFile(briefing(), 'utf8');
    await writeFile(briefing(), text.replace('title: What the two sides committed to', 'title: What both sides promised'));
    await page.waitForFunction(() => document.querySelector('section.present .slide-title')?.textContent === 'What both sides promised', { timeout: 15_000 });
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    expect(await page.evaluate(() => Reveal.getIndices().h)).toBe(6);
  });

  it('shows the errors of a broken edit, keeps serving the last good deck, and recovers', async () => {
    const good = await readFile(briefing(), 'utf8');
    await writeFile(briefing(), good.replace('    title: What both sides promised', '    title: [not, a, string]'));
    await page.waitForSelector('#briefdeck-errors', { timeout: 15_000 });
    const overlay = await page.$eval('#briefdeck-errors', (el) => el.textContent ?? '');
    expect(overlay).toMatch(/briefings\/brief\.yaml:\d+:\d+: error: slide 7 \(slides\[4\]\): title must be a string, got a list/);
    expect(output).toMatch(/briefings\/brief\.yaml:\d+:\d+: error: slide 7 \(slides\[4\]\): title must be a string/);
    expect((await get('/brief.html')).body).toContain('What both sides promised');
    expect((await get('/')).body).toMatch(/class="errors" role="alert">briefings\/brief\.yaml:\d+:\d+: error: slide 7/);
    await writeFile(briefing(), good);
    await page.waitForFunction(() => document.querySelector('#briefdeck-errors') === null, { timeout: 15_000 });
    expect(child.exitCode).toBeNull();
  });

  it('rebuilds when a template in the config\'s templates folder changes', async () => {
    const frame = join(project, 'look', 'partials', 'frame.hbs');
    const text = await readFile(frame, 'utf8');
    expect((await get('/brief.html')).body).not.toContain('data-edited');
    await writeFile(frame, text.replace('<section', '<section data-edited="yes"'));
    await waitForDeck('data-edited="yes"');
  });

  it('rebuilds when the project config changes', async () => {
    expect((await get('/brief.html')).body).toContain('class="theme-light');
    await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\ntheme: dark\n');
    await waitForDeck('class="theme-dark');
    expect(child.exitCode).toBeNull();
  });

  it("serves every save of the issue's repro: sed -i eight times, then two in-place writes", async () => {
    const rebuilds = () => output.match(/rebuilt, \d+ with errors/g)?.length ?? 0;
    for (let n = 1; n <= 10; n++) {
      const before = rebuilds();
      if (n <= 8) execFileSync('sed', ['-i', `s/^subtitle: .*/subtitle: Edit ${n}/`, briefing()]);
      else await writeFile(briefing(), (await readFile(briefing(), 'utf8')).replace(/^subtitle: .*$/m, `subtitle: Edit ${n}`));
      await waitForDeck(`>Edit ${n}<`);
      await until(() => rebuilds() > before, `the rebuild of edit ${n} is logged`);
    }
  });

  it('serves nothing outside the output folder', async () => {
    for (const path of ['/../briefings/brief.yaml', '/..%2Fbriefings%2Fbrief.yaml', '/%2e%2e/%2e%2e/etc/passwd', '/..%5Cbriefings%5Cbrief.yaml', '/%2e%2e%5c%2e%2e%5cetc%5cpasswd', '/.briefdeck-cache.json', '/brief.html%00.pdf']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
  });

  it('refuses the live-reload channel to other origins and other host names', async () => {
    expect((await get('/__briefdeck/events?deck=brief', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/__briefdeck/events?deck=brief', { Host: 'evil.example' })).status).toBe(403);
    expect((await get('/__briefdeck/events?deck=brief')).status).toBe(200);
  });

  it('stops on Ctrl-C with exit code 0 and no child processes left, even mid-rebuild', async () => {
    await page.close();
    const children = execSync(`pgrep -P ${child.pid} || true`).toString().trim();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A config change reloads the toolkit and watches what the config names: Ctrl-C comes while
    // that rebuild runs (after the 40 ms quiet time), and nothing it starts may keep watch alive.
    await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\n');
    await new Promise((r) => setTimeout(r, 60));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
    for (const pid of children.split('\n').filter(Boolean)) {
      expect(execSync(`ps -o stat= -p ${pid} || true`).toString().trim()).toMatch(/^(Z|)$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every save is served, once: watch as the API runs it, saves made the ways editors and tools
// make them, and the deck fetched from the server after each one.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small briefing whose subtitle and only point say which save it is. */
const numbered = (n: string, extra = '') => `title: Watch test
subtitle: Save ${n}
date: 2024-01-15
slides:
  - type: bullets
    title: Points
    points:
      - Point ${n}
${extra}`;

interface Watching {
  session: WatchSession;
  errors: string[];
  /** Rebuilds that rebuilt a deck or found errors so far (the first build included). */
  rebuilds(): number;
  lastRebuild(): string | undefined;
  deck(slug: string): Promise<string>;
}

const running: Watching[] = [];
/** Notes a step of the test in the transcript printed when it fails. */
let step: (line: string) => void = () => undefined;
afterEach(async () => {
  for (const w of running.splice(0)) await w.session.close();
});

async function startWatch(project: string, paths?: string[], onLine?: (line: string) => void): Promise<Watching> {
  const lines: string[] = [];
  const errors: string[] = [];
  const started = Date.now();
  const transcript: string[] = [];
  const note = (list: string[]) => (line: string) => {
    onLine?.(line);
    list.push(line);
    transcript.push(`${Date.now() - started} ms: ${line}`);
  };
  step = note([]);
  onTestFailed(() => console.log(`watch's output:\n${transcript.join('\n')}`));
  const session = await watch({ cwd: project, port: 0, log: note(lines), logError: note(errors), ...(paths ? { paths } : {}) });
  // A rebuild that changed a deck, or found errors (one that found nothing to do is not counted).
  const summaries = () => lines.filter((l) => /^\d+ rebuilt, \d+ with errors/.test(l));
  const w: Watching = {
    session,
    errors,
    rebuilds: () => summaries().length,
    lastRebuild: () => summaries().at(-1),
    deck: async (slug) => {
      const res = await fetch(new URL(`${slug}.html`, session.url));
      return res.ok ? res.text() : '';
    },
  };
  running.push(w);
  return w;
}

/** A project with one briefing, briefings/x.yaml, and other files (path: text), and watch running on it. */
async function watchedProject(text: string, files: Record<string, string> = {}): Promise<{ project: string; file: string; w: Watching }> {
  const project = await tempProject();
  const file = join(project, 'briefings', 'x.yaml');
  for (const [path, content] of Object.entries({ ...files, 'briefings/x.yaml': text })) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), content);
  }
  return { project, file, w: await startWatch(project) };
}

async function until(probe: () => Promise<boolean> | boolean, what: string, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** Waits for a quiet spell: a second rebuild for the same save would show up within it. */
async function settled(w: Watching): Promise<void> {
  let seen: number;
  do {
    seen = w.rebuilds();
    await sleep(400);
  } while (w.rebuilds() !== seen);
}

/** Waits until the served deck shows save `n`, then checks that it took exactly one rebuild. */
async function expectServedOnce(w: Watching, slug: string, n: string, rebuildsBefore: number): Promise<void> {
  await until(async () => {
    const deck = await w.deck(slug);
    return deck.includes(`>Save ${n}<`) && deck.includes(`Point ${n}<`);
  }, `save ${n} is served`);
  await settled(w);
  expect({ save: n, rebuilds: w.rebuilds() - rebuildsBefore, last: w.lastRebuild() }).toEqual({ save: n, rebuilds: 1, last: expect.stringMatching(/^1 rebuilt, 0 with errors/) });
}

/** A small SVG image that says `label`, and how it appears embedded in a deck. */
const svg = (label: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180"><title>${label}</title><rect width="320" height="180" fill="#2b6cb0"/></svg>\n`;
// (Without the base64 padding, which the deck writes as &#x3D;.)
const embedded = (label: string) => Buffer.from(svg(label)).toString('base64').replace(/=+$/, '');

let temps = 0;
/** The ways a save reaches the disk. */
const SAVES: Record<string, (file: string, text: string) => Promise<void>> = {
  // A new file renamed over the old one: vim, VS Code, sed -i, sync tools.
  'rename-replace': async (file, text) => {
    const temp = join(dirname(file), `.${basename(file)}.${++temps}.tmp`);
    await writeFile(temp, text);
    await rename(temp, file);
  },
  'in-place write': (file, text) => writeFile(file, text),
  'delete then create': async (file, text) => {
    await rm(file);
    await writeFile(file, text);
  },
  // Truncate and write half, then the rest a moment later: the rebuild must read the whole file.
  'two quick writes': async (file, text) => {
    const cut = text.indexOf('slides:');
    step('test: first write');
    await writeFile(file, text.slice(0, cut));
    await sleep(15);
    step('test: second write');
    await appendFile(file, text.slice(cut));
  },
};

/** Saves the way editors do it, step by step. */
const EDITORS: Record<string, (file: string, text: string) => Promise<void>> = {
  // vim (backupcopy=auto on a plain file): a "4913" probe, the original renamed to a backup, a new file, the backup deleted.
  vim: async (file, text) => {
    const probe = join(dirname(file), '4913');
    await writeFile(probe, '');
    await rm(probe);
    await rename(file, `${file}~`);
    await writeFile(file, text);
    await rm(`${file}~`);
  },
  // JetBrains "safe write": a temporary file, the original moved aside, the temporary renamed in, the original deleted.
  jetbrains: async (file, text) => {
    await writeFile(`${file}___jb_tmp___`, text);
    await rename(file, `${file}___jb_old___`);
    await rename(`${file}___jb_tmp___`, file);
    await rm(`${file}___jb_old___`);
  },
  // VS Code's atomic save: <file>.vsctmp renamed over the file.
  'vs code': async (file, text) => {
    await writeFile(`${file}.vsctmp`, text);
    await rename(`${file}.vsctmp`, file);
  },
  // GNU sed -i, the real command: a sedXXXXXX file in the same folder, renamed over the file.
  'sed -i': async (file, text) => {
    const n = /Save (\S+)/.exec(text)![1]!;
    execFileSync('sed', ['-i', '-e', `s/^subtitle: .*/subtitle: Save ${n}/`, '-e', `s/^      - Point .*/      - Point ${n}/`, file]);
  },
};

describe('watch: every save is served, exactly once', () => {
  it('serves each of 20 saves alternating rename-replace, in-place write, delete-then-create and two quick writes', async () => {
    const { file, w } = await watchedProject(numbered('00'));
    expect(await w.deck('x')).toContain('>Save 00<');
    const kinds = Object.keys(SAVES);
    for (let i = 1; i <= 20; i++) {
      const n = String(i).padStart(2, '0');
      const before = w.rebuilds();
      await SAVES[kinds[(i - 1) % kinds.length]!]!(file, numbered(n));
      await expectServedOnce(w, 'x', n, before);
    }
    expect(w.errors).toEqual([]);
  });

  it('serves a save made while the first build runs', async () => {
    const project = await tempProject();
    await mkdir(join(project, 'briefings'));
    const file = join(project, 'briefings', 'x.yaml');
    await writeFile(file, numbered('0'));
    for (const name of ['y1', 'y2', 'y3', 'y4', 'y5']) await writeFile(join(project, 'briefings', `${name}.yaml`), await readFile(EXAMPLE, 'utf8'));
    let saved: Promise<void> | undefined;
    // x.yaml is saved as soon as its deck is written, while the other briefings are still to build.
    const w = await startWatch(project, undefined, (line) => {
      if (line === 'built dist/x.html') saved ??= SAVES['rename-replace']!(file, numbered('1'));
    });
    await saved;
    await until(async () => (await w.deck('x')).includes('>Save 1<'), 'the save made during the first build is served');
  });

  it('serves saves made the way vim, JetBrains, VS Code and sed -i make them', async () => {
    const { project, file, w } = await watchedProject(numbered('start'));
    // Twice round, so that each pattern also follows every other one.
    for (const round of [1, 2]) {
      for (const [editor, save] of Object.entries(EDITORS)) {
        const n = `${editor.replace(/\W+/g, '-')}-${round}`;
        const before = w.rebuilds();
        await save(file, numbered(n));
        await expectServedOnce(w, 'x', n, before);
      }
    }
    expect(await readdir(join(project, 'briefings'))).toEqual(['x.yaml']);
    expect(w.errors).toEqual([]);
  });

  it('serves an image replaced by a rename, and one in a folder created after watch started', async () => {
    const image = (src: string) => `  - type: image\n    title: Chart\n    src: ${src}\n    alt: A chart\n`;
    const { project, file, w } = await watchedProject(numbered('0', image('images/chart.svg')), { 'briefings/images/chart.svg': await readFile(join(FILES, 'valid', 'images', 'chart.svg'), 'utf8') });

    let before = w.rebuilds();
    await writeFile(join(project, 'briefings', 'images', 'chart.svg.tmp'), svg('Renamed in'));
    await rename(join(project, 'briefings', 'images', 'chart.svg.tmp'), join(project, 'briefings', 'images', 'chart.svg'));
    await until(async () => (await w.deck('x')).includes(embedded('Renamed in')), 'the replaced image is served');
    await settled(w);
    expect(w.rebuilds() - before).toBe(1);

    // A folder that did not exist when watching started: the briefing points at an image in it.
    await mkdir(join(project, 'briefings', 'later'));
    await writeFile(join(project, 'briefings', 'later', 'map.svg'), svg('Later 1'));
    before = w.rebuilds();
    await SAVES['rename-replace']!(file, numbered('1', image('later/map.svg')));
    await expectServedOnce(w, 'x', '1', before);
    expect(await w.deck('x')).toContain(embedded('Later 1'));
    before = w.rebuilds();
    await SAVES['delete then create']!(join(project, 'briefings', 'later', 'map.svg'), svg('Later 2'));
    await until(async () => (await w.deck('x')).includes(embedded('Later 2')), 'the new folder\'s image is served');
    await settled(w);
    expect(w.rebuilds() - before).toBe(1);
    expect(w.errors).toEqual([]);
  });

  it('builds the briefings of a folder created after watch started', async () => {
    const project = await tempProject();
    await mkdir(join(project, 'briefings'));
    const w = await startWatch(project, ['briefings/q3']);
    expect(w.errors.join('\n')).toContain('no such file or folder: briefings/q3');
    await mkdir(join(project, 'briefings', 'q3'));
    await writeFile(join(project, 'briefings', 'q3', 'later.yaml'), numbered('q3'));
    await until(async () => (await w.deck('later')).includes('>Save q3<'), 'the new folder\'s briefing is served');
  });

  it('rebuilds once when the project config is replaced by a rename', async () => {
    const { project, w } = await watchedProject(numbered('0'), { 'briefdeck.config.yaml': 'theme: light\n' });
    expect(await w.deck('x')).toContain('class="theme-light');
    for (const theme of ['dark', 'high-contrast', 'light']) {
      const before = w.rebuilds();
      await SAVES['rename-replace']!(join(project, 'briefdeck.config.yaml'), `theme: ${theme}\n`);
      await until(async () => (await w.deck('x')).includes(`class="theme-${theme}`), `the ${theme} theme is served`);
      await settled(w);
      expect({ theme, rebuilds: w.rebuilds() - before }).toEqual({ theme, rebuilds: 1 });
    }
  });

  it("rebuilds once when the config's theme, a file the theme uses, or its logo is replaced by a rename", async () => {
    const { project, w } = await watchedProject(numbered('0'), {
      'briefdeck.config.yaml': 'theme: look/theme.css\nbrand:\n  logo: look/logo.svg\n',
      'look/theme.css': '.deck-subtitle { --edit: 1; background: url(bg.svg); }\n',
      'look/bg.svg': svg('Background 1'),
      'look/logo.svg': svg('Logo 1'),
    });
    expect(await w.deck('x')).toContain(embedded('Background 1'));
    const edits: [string, string, string][] = [
      ['look/bg.svg', svg('Background 2'), embedded('Background 2')],
      ['look/logo.svg', svg('Logo 2'), embedded('Logo 2')],
      ['look/theme.css', '.deck-subtitle { --edit: 2; background: url(bg.svg); }\n', '--edit: 2'],
    ];
    for (const [path, content, shown] of edits) {
      const before = w.rebuilds();
      await SAVES['rename-replace']!(join(project, path), content);
      await until(async () => (await w.deck('x')).includes(shown), `the new ${path} is served`);
      await settled(w);
      expect({ path, rebuilds: w.rebuilds() - before }).toEqual({ path, rebuilds: 1 });
    }
  });

  it('starts with a broken project config, says what is wrong, and builds once it is fixed', async () => {
    const { project, w } = await watchedProject(numbered('0'), { 'briefdeck.config.yaml': 'theme: [dark\n' });
    expect(w.errors.join('\n')).toMatch(/^briefdeck\.config\.yaml:\d+:\d+: error: /m);
    expect(await w.deck('x')).toBe('');
    await SAVES['rename-replace']!(join(project, 'briefdeck.config.yaml'), 'theme: dark\n');
    await until(async () => (await w.deck('x')).includes('class="theme-dark'), 'the deck is served once the config is fixed');
  });

  it('writes and serves the output folder the project config names', async () => {
    const { project, w } = await watchedProject(numbered('0'), { 'briefdeck.config.yaml': 'out: public\n' });
    expect(await w.deck('x')).toContain('>Save 0<');
    expect(await readdir(join(project, 'public'))).toContain('x.html');
  });

  it('says when the briefings folder is removed, and serves it again when it comes back', async () => {
    const { project, w } = await watchedProject(numbered('0'));
    await rm(join(project, 'briefings'), { recursive: true });
    await until(() => w.errors.some((e) => /briefings was removed/.test(e)), 'the removal is reported');
    await until(() => w.errors.some((e) => /no such file or folder: briefings/.test(e)), 'the build says what is missing');
    await mkdir(join(project, 'briefings'));
    await writeFile(join(project, 'briefings', 'x.yaml'), numbered('1'));
    await until(async () => (await w.deck('x')).includes('>Save 1<'), 'the briefing is served again');
    await settled(w);
    for (const n of ['2', '3']) {
      const before = w.rebuilds();
      await SAVES['rename-replace']!(join(project, 'briefings', 'x.yaml'), numbered(n));
      await expectServedOnce(w, 'x', n, before);
    }
  });

  it('watches again when the folder above the briefings is removed and made again', async () => {
    const project = await tempProject();
    const folder = join(project, 'content', 'briefings');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'x.yaml'), numbered('0'));
    const w = await startWatch(project, ['content/briefings']);
    await rm(join(project, 'content'), { recursive: true });
    await until(() => w.errors.some((e) => /no such file or folder: content\/briefings/.test(e)), 'the build says what is missing');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'x.yaml'), numbered('1'));
    await until(async () => (await w.deck('x')).includes('>Save 1<'), 'the briefing is served again');
    await settled(w);
    const before = w.rebuilds();
    await SAVES['rename-replace']!(join(folder, 'x.yaml'), numbered('2'));
    await expectServedOnce(w, 'x', '2', before);
  });

  it('reports a path it cannot watch once, and keeps serving saves', async () => {
    const { project, file, w } = await watchedProject(numbered('0'));
    await symlink('loop', join(project, 'briefings', 'loop'));
    await until(() => w.errors.some((e) => /warning: cannot watch briefings\/loop: ELOOP/.test(e)), 'the looping link is reported');
    for (const n of ['1', '2']) {
      const before = w.rebuilds();
      await SAVES['rename-replace']!(file, numbered(n));
      await expectServedOnce(w, 'x', n, before);
    }
    expect(w.errors.filter((e) => /cannot watch/.test(e))).toHaveLength(1);
  });
});

describe('watch: what counts as a save', () => {
  it('ignores the temporary files editors and tools write around a save', () => {
    const scratch = ['4913', '5036', '.x.yaml.swp', '.x.yaml.swx', 'x.yaml~', 'sedAb12Cd', 'x.yaml___jb_tmp___', 'x.yaml___jb_old___', 'x.yaml.vsctmp', 'x.yaml.crswap', '#x.yaml#', '.#x.yaml', 'x.yaml.tmp', 'x.yaml.tmp.20171.4a26', '.DS_Store', 'node_modules'];
    const real = ['x.yaml', 'brief.json', 'chart.svg', 'logo.png', '2024', '4914', 'sed.yaml', 'frame.hbs', 'briefdeck.config.yaml', 'temple.css'];
    expect(scratch.filter((name) => !isScratchFile(name))).toEqual([]);
    expect(real.filter((name) => isScratchFile(name))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Ctrl-C: the real command, with a browser printing PDFs, stopped in the middle of a build.

/** Every process below `pid`. */
function descendants(pid: number): number[] {
  const children = execSync(`pgrep -P ${pid} || true`).toString().split('\n').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pids: number[]) => pids.filter((pid) => !/^(Z|)$/.test(execSync(`ps -o stat= -p ${pid} || true`).toString().trim()));

describe('watch: Ctrl-C', () => {
  /** `briefdeck watch --pdf`, with every process seen below it recorded, and Ctrl-C sent the moment its output matches. */
  function start(project: string) {
    const proc = spawn(process.execPath, [BIN, 'watch', '--pdf', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let trigger: { pattern: RegExp; from: number } | undefined;
    let sent: number | undefined;
    const check = () => {
      if (trigger && sent === undefined && trigger.pattern.test(out.slice(trigger.from))) {
        proc.kill('SIGINT');
        sent = Date.now();
      }
    };
    const seen = new Set<number>();
    const poll = setInterval(() => descendants(proc.pid!).forEach((pid) => seen.add(pid)), 100);
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code))).finally(() => clearInterval(poll));
    for (const stream of [proc.stdout!, proc.stderr!]) {
      stream.on('data', (chunk) => {
        out += chunk;
        check();
      });
    }
    return {
      output: () => out,
      waitFor: (pattern: RegExp) => until(() => pattern.test(out), `${pattern} in:\n${out}`, 60_000),
      interruptWhen: (pattern: RegExp) => {
        trigger = { pattern, from: out.length };
        check();
      },
      /** Waits for the exit; checks it was 0 and prompt, and that no process and no temporary file is left. */
      async stopped(): Promise<void> {
        const code = await Promise.race([exited, sleep(30_000).then(() => 'still running')]);
        if (code === 'still running') proc.kill('SIGKILL');
        const took = Date.now() - sent!;
        console.log(`watch stopped ${took} ms after Ctrl-C; ${seen.size} processes had run below it`);
        expect({ code, output: out }).toEqual({ code: 0, output: expect.stringContaining('stopped') });
        expect(took).toBeLessThan(10_000);
        // (The browser's own helper processes may take a moment to go after it.)
        await until(() => alive([...seen]).length === 0, 'every process below watch is gone', 10_000).catch(() => undefined);
        expect(alive([...seen])).toEqual([]);
        expect((await readdir(join(project, 'dist'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      },
    };
  }

  it('stops in the middle of a rebuild that prints PDFs, promptly and completely', async () => {
    const project = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': EXAMPLE, 'briefings/c.yaml': EXAMPLE });
    const run = start(project);
    await run.waitFor(/serving http/);
    // A template change rebuilds every deck; Ctrl-C comes as the first of them is printed.
    await mkdir(join(project, 'look', 'partials'), { recursive: true });
    await writeFile(join(project, 'look', 'partials', 'frame.hbs'), (await readFile(join(ROOT, 'templates', 'partials', 'frame.hbs'), 'utf8')).replace('<section', '<section data-v="2"'));
    run.interruptWhen(/printed dist\/[ab]\.pdf/);
    await writeFile(join(project, 'briefdeck.config.yaml'), 'templates: look\n');
    // Exit 0 within seconds, nothing left running, no temporary file (a deck whose printing was
    // already under way may still finish: which one is a matter of timing, so it is not checked).
    await run.stopped();
  });

  it('stops during the first build, before serving', async () => {
    const project = await tempProject({ 'briefings/a.yaml': EXAMPLE, 'briefings/b.yaml': EXAMPLE, 'briefings/c.yaml': EXAMPLE });
    const run = start(project);
    // The first deck printed: two more are still being built.
    run.interruptWhen(/printed dist\/[abc]\.pdf/);
    await run.stopped();
    expect(run.output()).not.toContain('serving');
  });
});
