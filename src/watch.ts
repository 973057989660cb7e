// Watch: build once, serve the output folder, and rebuild whenever a briefing, an image, a
// template or a theme changes (the built-in ones, the project config, its templates folder and
// the theme, logo and font files it names). Rebuilds reuse the incremental build (unchanged briefings are
// skipped), one toolkit and one warm browser; open decks reload on the slide they showed, or show
// the errors of a broken edit while the last good deck stays served. Nothing a user writes stops
// the watcher; close() stops the server, the watchers and the browser.

import { fontFiles } from './branding.js';
import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { BUILTIN_TEMPLATES } from './builtins.js';
import { findBrowser } from './browser.js';
import { build, type BriefingResult } from './build.js';
import { loadToolkit, type Toolkit } from './compile.js';
import { CONFIG_FILES, ConfigError, configuredBrowser, requireConfig, type Config } from './config.js';
import { BriefdeckError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import type { PdfOptions } from './pdf/batch.js';
import { DeckServer, type DeckStatus } from './serve.js';

export interface WatchOptions {
  paths?: readonly string[];
  outDir?: string;
  cwd?: string;
  pdf?: false | Omit<PdfOptions, 'session'>;
  /** The browser that checks decks when no PDFs are asked for (with PDFs, `pdf.executablePath`). */
  executablePath?: string;
  port?: number;
  host?: string;
  /** Quiet time after the last change before rebuilding, so a burst of saves is one rebuild. */
  debounceMs?: number;
  log: (line: string) => void;
  logError: (line: string) => void;
}

export interface WatchSession {
  url: string;
  /** Resolves after each rebuild triggered by a change (for tests and benchmarks). */
  nextRebuild(): Promise<void>;
  close(): Promise<void>;
}

/** Files that editors and briefdeck itself write around a save, which never need a rebuild. */
function ignored(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || name === '4913';
}

export async function watch(options: WatchOptions): Promise<WatchSession> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const outDir = resolve(cwd, options.outDir ?? 'dist');
  const paths = options.paths?.length ? [...options.paths] : ['briefings'];
  let config: Config = await requireConfig(cwd);
  // One warm browser checks every rebuilt deck (and prints it with --pdf). Without one, decks are
  // still built, unchecked; PDFs cannot be. The config's `browser:` comes after --browser and
  // PUPPETEER_EXECUTABLE_PATH.
  const given = options.pdf ? options.pdf.executablePath : options.executablePath;
  const browserPath = given ?? (process.env.PUPPETEER_EXECUTABLE_PATH ? undefined : configuredBrowser(config));
  const { BrowserSession, whyNoBrowser } = await import('./pdf/session.js');
  const session = options.pdf || whyNoBrowser(browserPath) === undefined ? new BrowserSession(findBrowser(browserPath)) : undefined;
  const pdf = options.pdf ? { ...options.pdf, session } : false;
  const server = new DeckServer(outDir, options.host);
  const watchers: FSWatcher[] = [];
  let toolkit: Toolkit = await loadToolkit(config);
  let toolkitStale = false;
  let statuses: DeckStatus[] = [];
  let waiting: (() => void)[] = [];

  const report = (result: BriefingResult) => {
    for (const d of sortDiagnostics([...result.diagnostics])) options.logError(formatDiagnostic(d));
    if (!result.skipped && result.html !== undefined) options.log(`built ${result.html}`);
  };

  const rebuild = async (): Promise<void> => {
    const started = Date.now();
    try {
      if (toolkitStale) {
        config = await requireConfig(cwd);
        toolkit = await loadToolkit(config);
        toolkitStale = false;
        observeConfigured();
      }
      const result = await build({ paths, outDir, cwd, pdf, ...(session ? { browser: { session } } : {}), toolkit, onBriefing: report, onPdf: (p) => p.pdf && options.log(`printed ${p.pdf}`) });
      if (result.error !== undefined) options.logError(`briefdeck: error: ${result.error}`);
      if (result.warning !== undefined) options.logError(`briefdeck: warning: ${result.warning}`);
      const previous = new Map(statuses.map((s) => [s.slug, s]));
      statuses = result.briefings.map((b) => ({
        slug: b.slug,
        file: b.file,
        title: b.title ?? previous.get(b.slug)?.title,
        date: b.date ?? previous.get(b.slug)?.date,
        slideCount: b.slideCount ?? previous.get(b.slug)?.slideCount,
        html: b.html ?? previous.get(b.slug)?.html,
        pdf: b.pdf ?? previous.get(b.slug)?.pdf,
        errors: hasErrors(b.diagnostics) ? sortDiagnostics([...b.diagnostics]).map(formatDiagnostic) : [],
      }));
      const rebuilt = new Set(result.briefings.filter((b) => !b.skipped && b.html !== undefined && !hasErrors(b.diagnostics)).map((b) => b.slug));
      server.update(statuses, rebuilt);
      const failed = result.briefings.filter((b) => hasErrors(b.diagnostics)).length;
      options.log(`${rebuilt.size} rebuilt, ${failed} with errors, in ${Date.now() - started} ms; watching for changes`);
    } catch (error) {
      // A user's mistake (a deleted folder, say) is reported and the watcher keeps going.
      if (!(error instanceof BriefdeckError)) throw error;
      if (error instanceof ConfigError) for (const d of error.diagnostics) options.logError(formatDiagnostic(d));
      else options.logError(`briefdeck: error: ${error.message}`);
    }
  };

  // Changes arrive in bursts (several files saved, or an editor's delete-and-create): wait for a
  // quiet moment, then run one rebuild; a change during a rebuild schedules exactly one more.
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  // Once closing, nothing new starts: no rebuild, and no watcher (a rebuild that was running when
  // close() came may reach observeConfigured, and a watcher made then would keep the process up).
  let closed = false;
  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 40);
  };
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = rebuild().finally(() => {
      running = undefined;
      const done = waiting;
      waiting = [];
      for (const resolve of done) resolve();
      if (again) {
        again = false;
        schedule();
      }
    });
    await running;
  };

  const observed = new Set<string>();
  const observe = (folder: string, onChange: (path: string) => void, recursive = true) => {
    const key = `${recursive ? 'tree' : 'folder'}:${folder}`;
    if (closed || observed.has(key)) return;
    observed.add(key);
    const watcher = watchFiles(folder, { recursive }, (_event, name) => {
      if (name === null) return onChange(folder);
      const path = resolve(folder, name.toString());
      if (!ignored(path) && !path.startsWith(outDir + sep)) onChange(path);
    });
    watcher.on('error', (error) => options.logError(`briefdeck: warning: watching ${folder} failed: ${error.message}`));
    watchers.push(watcher);
  };
  const toolkitChanged = () => {
    toolkitStale = true;
    schedule();
  };
  // What the project config points at: its templates folder, and the files of its theme and brand
  // (a briefing's own files are in its folder, watched already). Called again when the config changes.
  const observeConfigured = () => {
    const { templates, theme, brand } = config.values;
    const within = (path: string) => resolve(config.dir, path);
    if (templates !== undefined) stat(within(templates)).then((s) => s.isDirectory() && observe(within(templates), toolkitChanged), () => undefined);
    for (const file of [theme?.toLowerCase().endsWith('.css') ? theme : undefined, brand?.logo, ...fontFiles(brand?.font)]) {
      if (file !== undefined) observe(dirname(within(file)), schedule, false);
    }
  };

  try {
    await mkdir(outDir, { recursive: true });
    await rebuild();
    const folders = new Set<string>();
    for (const path of paths) {
      const absolute = resolve(cwd, path);
      const info = await stat(absolute).catch(() => undefined);
      folders.add(info?.isDirectory() ? absolute : dirname(absolute));
    }
    for (const folder of folders) observe(folder, schedule);
    observe(BUILTIN_TEMPLATES, toolkitChanged);
    observe(cwd, (path) => CONFIG_FILES.includes(basename(path)) && toolkitChanged(), false);
    observeConfigured();
    const url = await server.listen(options.port ?? 4321);
    return {
      url,
      nextRebuild: () => new Promise<void>((resolve) => waiting.push(resolve)),
      close: async () => {
        closed = true;
        clearTimeout(timer);
        await running?.catch(() => undefined);
        for (const watcher of watchers) watcher.close();
        await Promise.all([server.close(), session?.close()]);
      },
    };
  } catch (error) {
    for (const watcher of watchers) watcher.close();
    await session?.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new BriefdeckError(`port ${options.port ?? 4321} is in use; choose another with --port`, 1, { cause: error });
    }
    throw error;
  }
}
