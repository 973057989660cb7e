// The command line: parses arguments, runs a command, prints, and returns the exit code
// (0 success, 1 a briefing had errors, 2 usage). bin/briefdeck.js is only a shim around main().

import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { build, type BriefingResult } from './build.js';
import type { PdfOptions } from './pdf/batch.js';
import { CONFIG_FILES, ConfigError } from './config.js';
import { BriefdeckError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { STARTER_CONFIG, starterBriefing } from './starter.js';
import { record, timingsLine } from './timings.js';
import { version } from './version.js';

const HELP = `briefdeck: turn briefing files (YAML or JSON) into self-contained reveal.js decks.

Usage:
  briefdeck build [paths...] [options]   build decks (default paths: briefings/)
  briefdeck watch [paths...] [options]   build, serve on http://127.0.0.1:4321/, rebuild and
                                         reload open decks on every change
  briefdeck check [paths...] [options]   validate, lint and examine decks in a browser
                                         (overflow, accessibility) without writing outputs
  briefdeck new <name>                   write a starter briefing, briefings/<name>.yaml
  briefdeck init                         start a project here: a config and a first briefing

Options:
  -o, --out <dir>       output folder (default: dist)
      --pdf             also print each deck to <out>/<name>.pdf
      --notes           print a notes handout: each slide followed by its notes (implies --pdf)
  -j, --jobs <n>        PDFs printed at once (default: cores, at most 4)
      --timeout <s>     limit for one PDF, in seconds (default: 60)
      --browser <path>  Chrome or Chromium to print with (default: PUPPETEER_EXECUTABLE_PATH,
                        then an installed Chrome or Chromium)
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
  if (result.skipped) io.out(`unchanged ${result.html} (${plural(result.slideCount ?? 0, 'slide')}) from ${result.file}`);
  else if (result.html !== undefined) io.out(`built ${result.html} (${plural(result.slideCount ?? 0, 'slide')}) from ${result.file}`);
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BriefdeckError(`${flag} takes a positive number, got "${value}"`, 2);
  return n;
}

function pdfOptions(values: BuildFlags): PdfOptions | false {
  const jobs = positiveNumber(values.jobs, '--jobs');
  const timeout = positiveNumber(values.timeout, '--timeout');
  if (!values.pdf && !values.notes) return false;
  return {
    notes: values.notes ?? false,
    ...(jobs === undefined ? {} : { jobs: Math.floor(jobs) }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(values.browser === undefined ? {} : { executablePath: values.browser }),
  };
}

/** Ctrl-C or a kill ends a build at once; exit handlers remove temporary files and the browser. */
function exitOnSignals(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

async function runBuild(positionals: string[], values: BuildFlags, io: Io): Promise<number> {
  const pdf = pdfOptions(values);
  exitOnSignals();
  const result = await build({
    paths: positionals,
    outDir: values.out,
    cwd: io.cwd,
    pdf,
    force: values.force ?? false,
    ...(values.theme === undefined ? {} : { theme: values.theme }),
    onBriefing: (b) => reportBriefing(b, io),
    onPdf: (p) => {
      for (const d of sortDiagnostics([...p.diagnostics])) io.err(formatDiagnostic(d));
      if (p.pdf !== undefined) io.out(`printed ${p.pdf} (${plural(p.pages ?? 0, 'page')})`);
    },
  });
  if (result.error !== undefined) io.err(`briefdeck: error: ${result.error}`);
  const failed = result.briefings.filter((b) => hasErrors(b.diagnostics)).length;
  const built = result.briefings.filter((b) => b.html !== undefined).length;
  const printed = result.briefings.filter((b) => b.pdf !== undefined).length;
  const skipped = result.briefings.filter((b) => b.skipped).length;
  const parts = [`${plural(built, 'deck')} built${skipped > 0 ? ` (${skipped} unchanged, skipped)` : ''}`];
  if (pdf) parts.push(`${plural(printed, 'PDF')} printed`);
  if (failed > 0) parts.push(`${plural(failed, 'briefing')} failed`);
  (result.ok ? io.out : io.err)(parts.join(', '));
  const timings = timingsLine();
  if (timings !== undefined) io.err(timings);
  return result.ok ? 0 : 1;
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
  const { watch } = await import('./watch.js');
  const session = await watch({
    paths: positionals,
    outDir: values.out,
    cwd: io.cwd,
    pdf: pdfOptions(values),
    host,
    ...(port === undefined ? {} : { port }),
    log: io.out,
    logError: io.err,
  });
  io.out(`serving ${session.url} (Ctrl-C to stop)`);
  if (values.open) openInBrowser(session.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
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
  exitOnSignals();
  const { check } = await import('./check.js');
  const diagnostics = await check({
    paths: positionals,
    cwd: io.cwd,
    ...(values.browser === undefined ? {} : { executablePath: values.browser }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
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

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  record('start-up', 0);
  // A command lives for seconds. Its WebAssembly (HarfBuzz, subsetting fonts) is compiled once for
  // a quick start and not again for peak speed: that second compile, in the background, cost three
  // times the CPU of the subsetting itself. (Set here, for the command's own process only.)
  setFlagsFromString('--liftoff-only');
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
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
          jobs: { type: 'string', short: 'j' },
          timeout: { type: 'string' },
          browser: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
        },
      });
    } catch (error) {
      throw new BriefdeckError(`${(error as Error).message}\nRun "briefdeck --help" for usage.`, 2, { cause: error });
    }
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
      case undefined:
        io.err(HELP);
        return 2;
      default:
        throw new BriefdeckError(`unknown command "${command}". Run "briefdeck --help" for usage.`, 2);
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
