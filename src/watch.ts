// Watch: build once, serve the output folder, and rebuild whenever a briefing, an image, a
// template or a theme changes (the built-in ones, the project config, its templates folder and
// every file a deck was made from). Rebuilds reuse the incremental build (unchanged briefings are
// skipped), one toolkit and one warm browser; open decks reload on the slide they showed, or show
// the errors of a broken edit while the last good deck stays served. Nothing a user writes stops
// the watcher; close() stops the server, the watcher and the browser.

import { mkdir, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fontFiles } from './branding.js';
import { BUILTIN_TEMPLATES } from './builtins.js';
import { findBrowser } from './browser.js';
import { build, type BriefingResult, type BuildOptions } from './build.js';
import { loadToolkit, type Toolkit } from './compile.js';
import { CONFIG_FILES, ConfigError, configuredBrowser, loadConfig, requireConfig, type Config } from './config.js';
import { BriefdeckError, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { isBriefingFile } from './discover.js';
import type { PdfOptions } from './pdf/batch.js';
import { DeckServer, type DeckStatus } from './serve.js';
import { FileWatcher, type FileChange, type WatchedPath } from './watcher.js';

export interface WatchOptions {
  paths?: readonly string[];
  outDir?: string;
  cwd?: string;
  pdf?: false | Omit<PdfOptions, 'session'>;
  /** The browser that checks decks when no PDFs are asked for (with PDFs, `pdf.executablePath`). */
  executablePath?: string;
  /** A theme that wins over the briefing's and the config's (--theme). */
  theme?: string;
  /** Outputs each rebuild also makes (--pptx, --images, --thumbnail and their settings), over the config's. */
  outputs?: Pick<BuildOptions, 'pptx' | 'images' | 'thumbnail' | 'imageScale' | 'jpegQuality'>;
  port?: number;
  host?: string;
  /**
   * Quiet time after the last change before rebuilding, so a burst of saves is one rebuild. It is
   * longer than the 50 ms in which chokidar passes on only the first change of a file (see
   * FileWatcher.settle), so the rebuild always starts after a write it did not pass on.
   */
  debounceMs?: number;
  /** Closes the session when aborted (Ctrl-C), also while it is starting. */
  signal?: AbortSignal;
  log: (line: string) => void;
  logError: (line: string) => void;
}

export interface WatchSession {
  /** The server's address; empty when the session was closed before it started serving. */
  url: string;
  /** Resolves after each rebuild triggered by a change (for tests and benchmarks). */
  nextRebuild(): Promise<void>;
  close(): Promise<void>;
}

/** What a change means: a briefing or image (rebuild), or what every deck shares (reload the toolkit too). */
type Role = 'briefings' | 'toolkit' | 'look';

const QUIET_MS = 80;


/**
 * What watch mode watches: the briefings' folders, the built-in templates, the config files, and
 * what the config names (its templates folder, theme, logo, font), and every other file the decks
 * were made from (a config theme's fonts, say) where no folder watched covers it.
 */
function watchedPaths(cwd: string, briefingFolders: readonly string[], config: Config, inputs: ReadonlySet<string>): WatchedPath<Role>[] {
  const list: WatchedPath<Role>[] = [
    ...briefingFolders.map((path) => ({ path, tree: true, tag: 'briefings' as const })),
    { path: BUILTIN_TEMPLATES, tree: true, tag: 'toolkit' },
    ...CONFIG_FILES.map((name) => ({ path: resolve(cwd, name), tree: false, tag: 'toolkit' as const })),
  ];
  const { templates, theme, brand } = config.values;
  if (templates !== undefined) list.push({ path: resolve(config.dir, templates), tree: true, tag: 'toolkit' });
  const named = [theme?.toLowerCase().endsWith('.css') ? theme : undefined, brand?.logo, ...fontFiles(brand?.font)].filter((f) => f !== undefined);
  for (const file of [...named.map((f) => resolve(config.dir, f)), ...inputs]) {
    if (!list.some((p) => p.tree && file.startsWith(p.path + sep))) list.push({ path: file, tree: false, tag: 'look' });
  }
  return list;
}

/** The index's view of a build: a briefing that failed keeps what its last good deck showed. */
function deckStatuses(briefings: readonly BriefingResult[], before: readonly DeckStatus[]): DeckStatus[] {
  const previous = new Map(before.map((s) => [s.slug, s]));
  return briefings.map((b) => ({
    slug: b.slug,
    file: b.file,
    title: b.title ?? previous.get(b.slug)?.title,
    date: b.date ?? previous.get(b.slug)?.date,
    slideCount: b.slideCount ?? previous.get(b.slug)?.slideCount,
    html: b.html ?? previous.get(b.slug)?.html,
    pdf: b.pdf ?? previous.get(b.slug)?.pdf,
    errors: hasErrors(b.diagnostics) ? sortDiagnostics([...b.diagnostics]).map(formatDiagnostic) : [],
  }));
}

export async function watch(options: WatchOptions): Promise<WatchSession> {
  const cwd = resolve(options.cwd ?? process.cwd());
  // The config and templates are read again by the first build: a broken one is reported then,
  // and watched until it is fixed, like a broken briefing. Its output folder counts from the start.
  let config: Config = (await loadConfig(cwd)).config ?? { values: {}, dir: cwd };
  const outDir = options.outDir !== undefined ? resolve(cwd, options.outDir) : resolve(config.dir, config.values.out ?? 'dist');
  const paths = options.paths?.length ? [...options.paths] : ['briefings'];
  // One warm browser checks every rebuilt deck (and prints it with --pdf). Without one, decks are
  // still built, unchecked; PDFs cannot be. The config's `browser:` comes after --browser and
  // PUPPETEER_EXECUTABLE_PATH.
  const given = options.pdf ? options.pdf.executablePath : options.executablePath;
  const browserPath = given ?? (process.env.PUPPETEER_EXECUTABLE_PATH ? undefined : configuredBrowser(config));
  const { BrowserSession, whyNoBrowser } = await import('./pdf/session.js');
  const session = options.pdf || whyNoBrowser(browserPath) === undefined ? new BrowserSession(findBrowser(browserPath)) : undefined;
  const pdf = options.pdf ? { ...options.pdf, session } : false;
  const server = new DeckServer(outDir, options.host);
  const stopping = new AbortController();
  let toolkit: Toolkit | undefined;
  let toolkitStale = true;
  let statuses: DeckStatus[] = [];
  let waiting: (() => void)[] = [];
  // Files the decks were made from, as the last build said.
  let inputs = new Set<string>();

  const report = (result: BriefingResult) => {
    for (const d of sortDiagnostics([...result.diagnostics])) options.logError(formatDiagnostic(d));
    if (!result.skipped && result.html !== undefined) options.log(`built ${result.html}`);
  };

  // The briefings' folders (a file's own folder, for its images), taken as folders when they do not exist yet.
  const briefingFolders = await Promise.all(
    paths.map(async (path) => {
      const absolute = resolve(cwd, path);
      const info = await stat(absolute).catch(() => undefined);
      return info?.isDirectory() || (info === undefined && !isBriefingFile(absolute)) ? absolute : dirname(absolute);
    }),
  );
  const watched = () => watchedPaths(cwd, briefingFolders, config, inputs);

  const rebuild = async (): Promise<void> => {
    const started = Date.now();
    try {
      if (toolkitStale || toolkit === undefined) {
        // Cleared before reading, so that a change made while it reads asks for another reading.
        toolkitStale = false;
        try {
          config = await requireConfig(cwd);
          toolkit = await loadToolkit(config);
        } catch (error) {
          toolkitStale = true;
          throw error;
        }
      }
      // What the build is about to read: an event that later finds these files so is no change.
      await files.settle();
      const result = await build({ ...options.outputs, paths, outDir, cwd, pdf, ...(session ? { browser: { session } } : {}), ...(options.theme ? { theme: options.theme } : {}), toolkit, signal: stopping.signal, onBriefing: report, onPdf: (p) => p.pdf && options.log(`printed ${p.pdf}`) });
      if (stopping.signal.aborted) return;
      if (result.error !== undefined) options.logError(`briefdeck: error: ${result.error}`);
      if (result.warning !== undefined) options.logError(`briefdeck: warning: ${result.warning}`);
      inputs = new Set(result.briefings.flatMap((b) => b.inputs ?? []));
      statuses = deckStatuses(result.briefings, statuses);
      const rebuilt = new Set(result.briefings.filter((b) => !b.skipped && b.html !== undefined && !hasErrors(b.diagnostics)).map((b) => b.slug));
      server.update(statuses, rebuilt);
      const failed = result.briefings.filter((b) => hasErrors(b.diagnostics)).length;
      // (A save can find its deck already rebuilt: written while the rebuild before it was reading.)
      const took = `in ${Date.now() - started} ms; watching for changes`;
      options.log(rebuilt.size + failed === 0 ? `no deck changed, ${took}` : `${rebuilt.size} rebuilt, ${failed} with errors, ${took}`);
    } catch (error) {
      // A user's mistake (a deleted folder, a broken config) is reported and the watcher keeps going.
      if (!(error instanceof BriefdeckError)) throw error;
      if (stopping.signal.aborted) return;
      if (error instanceof ConfigError) for (const d of error.diagnostics) options.logError(formatDiagnostic(d));
      else options.logError(`briefdeck: error: ${error.message}`);
    } finally {
      // The config may name other templates or theme files now, and the decks other inputs.
      await files.set(watched());
    }
  };

  // Changes arrive in bursts (several files saved, or an editor's delete-and-create): wait for a
  // quiet moment, then run one rebuild; a change during a rebuild schedules exactly one more, which
  // reads the files again (a file saved while the build read it is compiled again, see build.ts).
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const schedule = () => {
    if (stopping.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? QUIET_MS);
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

  const changed = (change: FileChange<Role>) => {
    if (change.kind === 'rescan' || change.within.some((p) => p.tag === 'toolkit')) toolkitStale = true;
    if (change.kind === 'removed' && change.within.some((p) => p.tree && p.path === change.path)) {
      options.logError(`briefdeck: warning: ${relative(cwd, change.path) || '.'} was removed; watching for it to come back`);
    }
    schedule();
  };
  const files = new FileWatcher<Role>({
    onChange: changed,
    onProblem: (message) => options.logError(`briefdeck: warning: ${message}`),
    ignoreFolders: [outDir],
    cwd,
  });

  // Once closing, nothing new starts: no rebuild, no watcher, no browser. A rebuild that is running
  // stops before its next briefing, and a PDF being printed fails as its browser closes.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopping.abort();
      clearTimeout(timer);
      await Promise.all([files.close(), server.close(), session?.close(), running?.catch(() => undefined)]);
    })());
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  if (options.signal?.aborted) void close();
  const sessionOf = (url: string): WatchSession => ({ url, nextRebuild: () => new Promise<void>((resolve) => waiting.push(resolve)), close });

  try {
    await mkdir(outDir, { recursive: true });
    // Watching starts before the first build, so that a save made while it runs is not missed.
    await files.set(watched());
    await run();
    const url = stopping.signal.aborted ? '' : await server.listen(options.port ?? 4321);
    // Closed while starting (Ctrl-C during the first build, or while the server began listening).
    if (stopping.signal.aborted) {
      await server.close();
      await close();
      return sessionOf('');
    }
    return sessionOf(url);
  } catch (error) {
    await close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new BriefdeckError(`port ${options.port ?? 4321} is in use; choose another with --port`, 1, { cause: error });
    }
    throw error;
  }
}
