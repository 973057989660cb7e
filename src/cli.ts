// The command line: parses arguments, runs a command, prints, and returns the exit code
// (0 success, 1 a briefing had errors, 2 usage). bin/briefdeck.js is only a shim around main().

import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { build, type BriefingResult, type BuildOptions } from './build.js';
import type { PdfOptions } from './pdf/batch.js';
import type { BrowserOptions } from './pdf/stage.js';
import { CONFIG_FILES, ConfigError } from './config.js';
import { BriefdeckError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { STARTER_CONFIG, starterBriefing } from './starter.js';
import { checkArguments, checkThemeFlag, unknownCommand } from './usage.js';
import { IMAGE_SCALE, JPEG_QUALITY } from './targets/images.js';
import { record, timingsLine } from './timings.js';
import { version } from './version.js';

const HELP = `briefdeck: turn briefing files (YAML or JSON) into self-contained reveal.js decks.

Usage:
  briefdeck build [paths...] [options]   build decks (default paths: briefings/)
  briefdeck watch [paths...] [options]   build, serve on http://127.0.0.1:4321/, rebuild and
                                         reload open decks on every change
  briefdeck check [paths...] [options]   validate, lint and examine decks in a browser
                                         (overflow, accessibility) without writing outputs
  briefdeck merge <dirs...> -o <out>     assemble the output folders of sharded builds into one,
                                         with one manifest and catalog
  briefdeck new <name>                   write a starter briefing, briefings/<name>.yaml
  briefdeck init                         start a project here: a config and a first briefing
  briefdeck doctor                       check this machine can print PDFs: the browser (which,
                                         why, where, whether it starts), its fonts, Node

Options:
  -o, --out <dir>       output folder (default: dist)
      --pdf             also print each deck to <out>/<name>.pdf
      --notes           also print a notes handout, <out>/<name>.notes.pdf: each slide followed
                        by its notes (implies --pdf)
      --pptx            also write an editable PowerPoint file, <out>/<name>.pptx
      --images <f>      also draw every slide as an image, <out>/<name>/slide-01.png (f: png
                        or jpeg, then .jpg), as fitted and printed
      --thumbnail       also draw the title slide as <out>/<name>.png (.jpg with --images
                        jpeg), for link previews: the deck's og:image
      --scale <n>       pixels per CSS pixel of those images (default: 1; 2 draws a 1280x720
                        slide as 2560x1440)
      --jpeg-quality <n>
                        quality of JPEG images, 1 to 100 (default: 90)
      --no-index        do not write the catalog, <out>/index.html (the manifest,
                        <out>/manifest.json, is always written)
  -j, --jobs <n>        decks checked and printed at once (default: cores, at most 4)
      --timeout <s>     limit for checking and printing one deck, in seconds (default: 60)
      --browser <path>  Chrome or Chromium to check decks and print with (default:
                        PUPPETEER_EXECUTABLE_PATH, the config's browser:, briefdeck's own
                        Chromium on Linux x64, then an installed Chrome, Edge or Chromium)
      --shard <i/n>     build only share i of n (by the briefing's name), for a CI matrix;
                        then merge the shards' folders
      --force           rebuild everything, even briefings that did not change
      --theme <name>    a built-in theme or a .css file, over the briefing's and the config's
      --port <n>        watch: the port to serve on (default: 4321)
      --host <addr>     watch: the address to serve on (default: 127.0.0.1, loopback only)
      --open            watch: open the index in a browser
      --format <f>      check: text (default) or json
      --strict          check: fail on warnings too
  -h, --help            show this help
  -v, --version         show the version

Exit codes: 0 success, 1 a briefing has errors, 2 usage error.
Docs: README.md. Each deck is dist/<name>.html: open it in any browser, press S for speaker notes.`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function reportBriefing(result: BriefingResult, io: Io): void {
  for (const d of sortDiagnostics([...result.diagnostics])) io.err(formatDiagnostic(d));
  const { html, pdf, notes, written } = result;
  if (html !== undefined) io.out(`${written?.html ? 'built' : 'unchanged'} ${html} (${plural(result.slideCount ?? 0, 'slide')}) from ${result.file}`);
  if (written?.pdf !== undefined) io.out(`printed ${pdf} (${plural(written.pdf, 'page')})`);
  if (written?.notes !== undefined) io.out(`printed ${notes} (${plural(written.notes, 'page')})`);
  if (written?.pptx !== undefined) io.out(`wrote ${result.pptx}`);
  if (written?.images !== undefined) io.out(`drew ${result.images}${sep} (${plural(written.images, 'slide image')})`);
  if (written?.thumbnail !== undefined) io.out(`drew ${result.thumbnail} (thumbnail)`);
}

/** The outputs a build was asked for besides the decks, for its summary. */
interface Asked {
  pdf: boolean;
  notes: boolean;
  pptx: boolean;
  images: boolean;
  thumbnail: boolean;
}

/** The last line of a build: what it did this time, and nothing it did not. */
function buildSummary(briefings: readonly BriefingResult[], asked: Asked): string {
  const count = (test: (b: BriefingResult) => boolean) => briefings.filter(test).length;
  const group = (noun: string, done: string, made: number, unchanged: number) => {
    const said = made > 0 || unchanged === 0 ? [`${plural(made, noun)} ${done}`] : [];
    return unchanged > 0 ? [...said, `${plural(unchanged, noun)} unchanged`] : said;
  };
  type Kind = keyof NonNullable<BriefingResult['written']>;
  const made = (kind: Kind) => count((b) => b.written?.[kind] !== undefined);
  const kept = (kind: Kind) => count((b) => b[kind] !== undefined && b.written?.[kind] === undefined);
  const parts = group('deck', 'built', made('html'), kept('html'));
  if (asked.pdf) parts.push(...group('PDF', 'printed', made('pdf'), kept('pdf')));
  if (asked.notes) parts.push(...group('handout', 'printed', made('notes'), kept('notes')));
  if (asked.pptx) parts.push(...group('PPTX', 'written', made('pptx'), kept('pptx')));
  if (asked.images) {
    const [drawn, unchanged] = [made('images'), kept('images')];
    if (drawn > 0 || unchanged === 0) parts.push(`slide images of ${plural(drawn, 'deck')} drawn`);
    if (unchanged > 0) parts.push(`slide images of ${plural(unchanged, 'deck')} unchanged`);
  }
  if (asked.thumbnail) parts.push(...group('thumbnail', 'drawn', made('thumbnail'), kept('thumbnail')));
  const failed = count((b) => hasErrors(b.diagnostics));
  if (failed > 0) parts.push(`${plural(failed, 'briefing')} failed`);
  return parts.join(', ');
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BriefdeckError(`${flag} takes a positive number, got "${value}"`, 2);
  return n;
}

/** The browser that checks decks (and prints them): which one, and its limits. */
function browserOptions(values: BuildFlags): BrowserOptions {
  const jobs = positiveNumber(values.jobs, '--jobs');
  const timeout = positiveNumber(values.timeout, '--timeout');
  return {
    ...(jobs === undefined ? {} : { jobs: Math.floor(jobs) }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(values.browser === undefined ? {} : { executablePath: values.browser }),
  };
}

/** The image flags: --images, --thumbnail, --scale, --jpeg-quality (the config's when absent). */
function imageOptions(values: BuildFlags): Pick<BuildOptions, 'images' | 'thumbnail' | 'imageScale' | 'jpegQuality'> {
  const format = values.images;
  if (format !== undefined && format !== 'png' && format !== 'jpeg') {
    const hint = format === 'jpg' ? ' (jpeg writes .jpg files)' : '';
    throw new BriefdeckError(`--images takes png or jpeg, got "${format}"${hint}`, 2);
  }
  const scale = positiveNumber(values.scale, '--scale');
  const { min, max } = IMAGE_SCALE;
  if (scale !== undefined && (scale < min || scale > max)) throw new BriefdeckError(`--scale takes a number from ${min} to ${max}, got "${values.scale}"`, 2);
  const quality = positiveNumber(values['jpeg-quality'], '--jpeg-quality');
  if (quality !== undefined && (!Number.isInteger(quality) || quality < JPEG_QUALITY.min || quality > JPEG_QUALITY.max)) {
    throw new BriefdeckError(`--jpeg-quality takes a whole number from ${JPEG_QUALITY.min} to ${JPEG_QUALITY.max}, got "${values['jpeg-quality']}"`, 2);
  }
  return {
    ...(format === undefined ? {} : { images: format }),
    ...(values.thumbnail ? { thumbnail: true } : {}),
    ...(scale === undefined ? {} : { imageScale: scale }),
    ...(quality === undefined ? {} : { jpegQuality: quality }),
  };
}

function pdfOptions(values: BuildFlags): PdfOptions | false {
  const browser = browserOptions(values);
  // Without --notes, the config's `pdf.notes` decides.
  return values.pdf || values.notes ? { ...(values.notes ? { notes: true } : {}), ...browser } : false;
}

/** Ctrl-C or a kill ends a build at once; exit handlers remove temporary files and the browser. */
function exitOnSignals(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

async function runBuild(positionals: string[], values: BuildFlags, io: Io): Promise<number> {
  const pdf = pdfOptions(values);
  const images = imageOptions(values);
  await checkThemeFlag(values.theme, io.cwd);
  exitOnSignals();
  const result = await build({
    ...images,
    paths: positionals,
    outDir: values.out,
    cwd: io.cwd,
    pdf,
    browser: browserOptions(values),
    force: values.force ?? false,
    ...(values.pptx ? { pptx: true } : {}),
    ...(values['no-index'] ? { index: false } : {}),
    ...(values.shard === undefined ? {} : { shard: (await import('./shard.js')).parseShard(values.shard) }),
    ...(values.theme === undefined ? {} : { theme: values.theme }),
    onBriefing: (b) => reportBriefing(b, io),
  });
  if (result.error !== undefined) io.err(`briefdeck: error: ${result.error}`);
  if (result.warning !== undefined) io.err(`briefdeck: warning: ${result.warning}`);
  // Outputs the config asked for are in the summary once a briefing has one.
  const asked = (kind: 'notes' | 'pptx' | 'images' | 'thumbnail', flag: unknown) => flag !== undefined && flag !== false ? true : result.briefings.some((b) => b[kind] !== undefined);
  const summary = buildSummary(result.briefings, {
    pdf: pdf !== false,
    notes: asked('notes', values.notes),
    pptx: asked('pptx', values.pptx),
    images: asked('images', values.images),
    thumbnail: asked('thumbnail', values.thumbnail),
  });
  (result.ok ? io.out : io.err)(summary);
  const drawing = [values.scale && '--scale', values['jpeg-quality'] && '--jpeg-quality'].filter(Boolean);
  if (drawing.length > 0 && !result.briefings.some((b) => b.images !== undefined || b.thumbnail !== undefined)) {
    io.err(`briefdeck: warning: ${drawing.join(' and ')} only change${drawing.length === 1 ? 's' : ''} slide images and thumbnails, and this build made none (add --images png or --thumbnail)`);
  }
  const timings = timingsLine();
  if (timings !== undefined) io.err(timings);
  return result.ok ? 0 : 1;
}

async function runMerge(positionals: string[], values: BuildFlags, io: Io): Promise<number> {
  if (positionals.length === 0 || values.out === undefined) throw new BriefdeckError('usage: briefdeck merge <shard out folders...> -o <out>', 2);
  const { merge } = await import('./shard.js');
  const manifest = await merge({ from: positionals, outDir: values.out, cwd: io.cwd, index: !values['no-index'] });
  io.out(`merged ${plural(Object.keys(manifest.briefings).length, 'briefing')} from ${plural(positionals.length, 'folder')} into ${values.out}`);
  return 0;
}

async function runWatch(positionals: string[], values: BuildFlags, io: Io): Promise<number> {
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new BriefdeckError(`--port takes a port number (0 for any free port), got "${values.port}"`, 2);
  }
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    io.err(`briefdeck: warning: serving on ${host}: anyone who can reach this address can read the decks`);
  }
  // Ctrl-C (or a kill) stops watch cleanly, also during the first build; a second one exits at
  // once, and the exit handlers still close the browser and remove temporary files.
  const stop = new AbortController();
  const onSignal = () => {
    stop.abort();
    exitOnSignals();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { watch } = await import('./watch.js');
  const session = await watch({
    paths: positionals,
    outDir: values.out,
    cwd: io.cwd,
    pdf: pdfOptions(values),
    ...(values.browser === undefined ? {} : { executablePath: values.browser }),
    ...(values.theme === undefined ? {} : { theme: values.theme }),
    outputs: { ...imageOptions(values), ...(values.pptx ? { pptx: true } : {}) },
    host,
    signal: stop.signal,
    ...(port === undefined ? {} : { port }),
    log: io.out,
    logError: io.err,
  });
  if (!stop.signal.aborted) {
    io.out(`serving ${session.url} (Ctrl-C to stop)`);
    if (values.open) openInBrowser(session.url);
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
  }
  await session.close();
  io.out('stopped');
  return 0;
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

async function runCheck(positionals: string[], values: BuildFlags, io: Io): Promise<number> {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new BriefdeckError(`--format takes text or json, got "${format}"`, 2);
  const timeout = positiveNumber(values.timeout, '--timeout');
  await checkThemeFlag(values.theme, io.cwd);
  exitOnSignals();
  const { check } = await import('./check.js');
  const diagnostics = await check({
    paths: positionals,
    cwd: io.cwd,
    ...(values.browser === undefined ? {} : { executablePath: values.browser }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(values.theme === undefined ? {} : { theme: values.theme }),
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (format === 'json') {
    const rows = diagnostics.map((d) => ({ path: d.file, line: d.line ?? null, column: d.column ?? null, severity: d.severity, rule: d.rule, message: d.message }));
    io.out(JSON.stringify(rows, null, 2));
  } else {
    for (const d of diagnostics) io.err(formatDiagnostic(d));
    io.err(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  }
  return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
}

interface BuildFlags {
  theme?: string;
  format?: string;
  strict?: boolean;
  port?: string;
  host?: string;
  open?: boolean;
  out?: string;
  force?: boolean;
  pdf?: boolean;
  notes?: boolean;
  pptx?: boolean;
  images?: string;
  thumbnail?: boolean;
  scale?: string;
  'jpeg-quality'?: string;
  'no-index'?: boolean;
  shard?: string;
  jobs?: string;
  timeout?: string;
  browser?: string;
}

async function runNew(positionals: string[], io: Io): Promise<number> {
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new BriefdeckError('usage: briefdeck new <name>', 2);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    throw new BriefdeckError(`"${name}" is not a usable name: use letters, digits, "-" and "_"`, 2);
  }
  const path = join('briefings', `${name}.yaml`);
  const target = join(io.cwd, path);
  if (await access(target).then(() => true, () => false)) throw new BriefdeckError(`${path} already exists; not overwriting it`, 1);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, starterBriefing(name, new Date().toISOString().slice(0, 10)), { flag: 'wx' });
  io.out(`wrote ${path}; build it with: npx briefdeck build ${path}`);
  return 0;
}

async function runInit(positionals: string[], io: Io): Promise<number> {
  if (positionals.length > 0) throw new BriefdeckError('usage: briefdeck init (in the folder to start the project in)', 2);
  for (const name of CONFIG_FILES) {
    if (await access(join(io.cwd, name)).then(() => true, () => false)) throw new BriefdeckError(`${name} already exists here; not overwriting it`, 1);
  }
  await writeFile(join(io.cwd, CONFIG_FILES[0]!), STARTER_CONFIG, { flag: 'wx' });
  io.out(`wrote ${CONFIG_FILES[0]}`);
  await runNew(['first-briefing'], io);
  io.out('next: npx briefdeck watch   (or: npx briefdeck build --pdf)');
  return 0;
}

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  pdf: { type: 'boolean' },
  force: { type: 'boolean' },
  theme: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  open: { type: 'boolean' },
  format: { type: 'string' },
  strict: { type: 'boolean' },
  notes: { type: 'boolean' },
  pptx: { type: 'boolean' },
  images: { type: 'string' },
  thumbnail: { type: 'boolean' },
  scale: { type: 'string' },
  'jpeg-quality': { type: 'string' },
  'no-index': { type: 'boolean' },
  shard: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  browser: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The commands, for suggestions when one is mistyped. */
const COMMANDS = ['build', 'watch', 'check', 'merge', 'new', 'init', 'doctor', 'help'];

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  record('start-up', 0);
  // A command lives for seconds. Its WebAssembly (HarfBuzz, subsetting fonts) is compiled once for
  // a quick start and not again for peak speed: that second compile, in the background, cost three
  // times the CPU of the subsetting itself. (Set here, for the command's own process only.)
  setFlagsFromString('--liftoff-only');
  try {
    checkArguments(argv, OPTIONS);
    const parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
    const { values, positionals } = parsed;
    if (values.version) {
      io.out(version());
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      io.out(HELP);
      return 0;
    }
    switch (command) {
      case 'build':
        return await runBuild(rest, values, io);
      case 'check':
        return await runCheck(rest, values, io);
      case 'watch':
        return await runWatch(rest, values, io);
      case 'new':
        return await runNew(rest, io);
      case 'init':
        return await runInit(rest, io);
      case 'merge':
        return await runMerge(rest, values, io);
      case 'doctor':
        return await (await import('./doctor.js')).runDoctor(rest, values.browser, io);
      case undefined:
        io.err(HELP);
        return 2;
      default:
        throw unknownCommand(command, COMMANDS);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const d of error.diagnostics) io.err(formatDiagnostic(d));
      return 1;
    }
    if (error instanceof BriefdeckError) {
      io.err(`briefdeck: error: ${error.message}`);
      return error.exitCode;
    }
    io.err(`briefdeck: internal error (a bug in briefdeck, please report it):\n${(error as Error).stack ?? String(error)}`);
    return 70;
  }
}
