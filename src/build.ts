// Build: the command behind `briefdeck build` and the `build()` API. Finds the briefings,
// compiles each, and publishes (publish.ts) `<out>/<slug>.html` and the targets asked for
// (targets/: `.pdf`, `.notes.pdf`, `.pptx`) for every
// briefing that has no errors, once a browser has checked that every slide fits. A briefing with
// errors, a slide that cannot fit among them, writes nothing and leaves its previous outputs alone.
// Briefings whose inputs did not change since the last build are skipped (see cache.ts) unless
// `force` is set. A build with nothing to do starts no browser, loads none of the compiler (YAML,
// Markdown, Handlebars) and reads none of the toolkit.

import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { BuildCache, inputsHash, readDigests, sha256, stillWritten, type CacheEntry, type Digests, type PrintedEntry } from './cache.js';
import type { CompileOptions } from './compile.js';
import type { ContinuationPlans } from './continue.js';
import { configuredBrowser, requireConfig, type Config } from './config.js';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import { outputPaths, outputsOf, publish, type OutputPaths, type PendingDeck, type PublishContext, type Wanted } from './publish.js';
import { DEFAULT_IMAGES, EXTRA_KINDS, TARGETS, outputName, target, type BrowserKind, type ExtraKind, type ImageFormat, type ImageSettings } from './targets/index.js';
import { imageVariant } from './targets/images.js';
import type { PdfOptions, PdfResult } from './pdf/batch.js';
import { whyNoBrowser } from './pdf/session.js';
import type { BrowserOptions, BrowserStage } from './pdf/stage.js';
import { timed } from './timings.js';
import { loadToolkit, toolkitStamp, type Toolkit } from './toolkit.js';
import { CATALOG_FILE, catalogFields, writeFolder } from './folder.js';
import { describeFsError } from './output.js';
import { inShard, type Shard } from './shard.js';

export interface BuildOptions {
  /** Briefing files or folders; default `briefings`. */
  paths?: readonly string[];
  /** Output folder; default `dist`. */
  outDir?: string;
  /** Folder that relative paths start from; default the process's working folder. */
  cwd?: string;
  /**
   * Also print each deck to `<out>/<slug>.pdf` (true, or options for the PDF stage); with
   * `notes`, also a handout to `<out>/<slug>.notes.pdf`.
   */
  pdf?: boolean | PdfOptions;
  /** Also write each deck as an editable PowerPoint file, `<out>/<slug>.pptx`; default: the config's `pptx`. */
  pptx?: boolean;
  /** Also capture every slide as an image, `<out>/<slug>/slide-01.png`...; default: the config's `images`. */
  images?: ImageFormat | false;
  /** Also capture the title slide as `<out>/<slug>.png` (`.jpg` with JPEG images); default: the config's `thumbnail`. */
  thumbnail?: boolean;
  /** Pixels per CSS pixel of the images (2: twice the slide size); default: the config's `imageScale`, or 1. */
  imageScale?: number;
  /** JPEG quality, 1 to 100; default: the config's `jpegQuality`, or 90. */
  jpegQuality?: number;
  /** The browser that measures each deck built (PDF options, when given, win over these). */
  browser?: BrowserOptions;
  /** Rebuild everything, ignoring what the last build recorded. */
  force?: boolean;
  /** The project config; default: briefdeck.config.yaml in cwd, if there is one. */
  config?: Config;
  /** A theme that wins over the briefing's and the config's. */
  theme?: string;
  /** Called as each briefing is done (written, skipped or failed), for progress output. */
  onBriefing?: (result: BriefingResult) => void;
  /** Called as each deck's PDFs are written. */
  onPdf?: (result: PdfResult) => void;
  toolkit?: Toolkit;
  /** Write the catalog, `<out>/index.html` (default true; `--no-index`). The manifest is always written. */
  index?: boolean;
  /** Build only this share of the briefings (`--shard i/n`, by name; see shard.ts). */
  shard?: Shard;
  /** Stops the build before the next briefing (watch mode closing); what was written is kept. */
  signal?: AbortSignal;
}

export interface BriefingResult {
  file: string;
  slug: string;
  /** The deck, relative to cwd; absent when the briefing had errors. */
  html?: string;
  /** The slides PDF, relative to cwd, when PDFs were asked for and it is up to date. */
  pdf?: string;
  /** The notes handout, relative to cwd, when asked for and up to date. */
  notes?: string;
  /** The PowerPoint file, relative to cwd, when asked for and up to date. */
  pptx?: string;
  /** The folder of slide images, relative to cwd, when asked for and up to date. */
  images?: string;
  /** The title slide's image, relative to cwd, when asked for and up to date. */
  thumbnail?: string;
  /**
   * What this build wrote: the deck, the PDFs with their page counts, the PPTX, the slide images
   * with their count, the thumbnail. An output named above but not here was already on disk as
   * this build would write it.
   */
  written?: { html?: true; pdf?: number; notes?: number; pptx?: true; images?: number; thumbnail?: true };
  /** True when no browser could measure the deck, so a slide that cannot fit may have gone unnoticed. */
  unmeasured?: boolean;
  /** Files other than the briefing that the deck was made from (images, theme, logo, font, chart data), absolute. */
  inputs?: string[];
  slideCount?: number;
  title?: string;
  date?: string;
  /** True when nothing had changed and the deck was left as it was. */
  skipped?: boolean;
  diagnostics: Diagnostic[];
}

export interface BuildResult {
  briefings: BriefingResult[];
  /** A failure of the whole command that is not one briefing's (no browser to print with, say). */
  error?: string;
  /** A problem of the whole command that fails nothing (no browser to measure decks with, say). */
  warning?: string;
  /** True when every briefing was built without errors. */
  ok: boolean;
}

interface Context extends PublishContext {
  outDir: string;
  /** The toolkit, loaded on first use. */
  toolkit: () => Promise<Toolkit>;
  compile: CompileOptions;
  /** Why no browser can be found (looked for once, without starting one), or undefined. */
  findsNoBrowser: () => string | undefined;
  /** Write every output again, even one already on disk as it would be written. */
  force: boolean;
}

function isPending(built: { result: BriefingResult } | PendingDeck): built is PendingDeck {
  return 'entry' in built;
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = options.config ?? (await requireConfig(cwd));
  const outDir = options.outDir !== undefined ? resolve(cwd, options.outDir) : resolve(config.dir, config.values.out ?? 'dist');
  const files = inShard(await discoverBriefings(options.paths?.length ? options.paths : ['briefings'], cwd), options.shard);
  const configPdf = { ...(config.values.pdf?.notes !== undefined ? { notes: config.values.pdf.notes } : {}), ...(config.values.pdf?.jobs !== undefined ? { jobs: config.values.pdf.jobs } : {}) };
  const pdfOptions = options.pdf ? { ...configPdf, ...(options.pdf === true ? {} : options.pdf) } : undefined;
  const { notes, ...pdfBrowser } = pdfOptions ?? {};
  const imageFormat = options.images ?? config.values.images ?? false;
  const wanted: Wanted = {
    pdf: pdfOptions !== undefined,
    notes: notes ?? false,
    pptx: options.pptx ?? config.values.pptx ?? false,
    images: imageFormat !== false,
    thumbnail: options.thumbnail ?? config.values.thumbnail ?? false,
  };
  const images: ImageSettings = {
    format: imageFormat || DEFAULT_IMAGES.format,
    scale: options.imageScale ?? config.values.imageScale ?? DEFAULT_IMAGES.scale,
    quality: options.jpegQuality ?? config.values.jpegQuality ?? DEFAULT_IMAGES.quality,
  };
  const browserOptions: BrowserOptions = { ...(configPdf.jobs === undefined ? {} : { jobs: configPdf.jobs }), ...options.browser, ...pdfBrowser };
  // The config's `browser:` comes after --browser and PUPPETEER_EXECUTABLE_PATH (see browser.ts).
  const configured = configuredBrowser(config);
  if (browserOptions.executablePath === undefined && !process.env.PUPPETEER_EXECUTABLE_PATH && configured !== undefined) browserOptions.executablePath = configured;
  // What a deck depends on besides its files: the settings it was compiled with.
  // A slide image waits on a frame of Chromium's more than it works (about 50 ms for 8 ms of CPU):
  // with images, more decks are examined at once than there are cores, unless told otherwise.
  if (wanted.images && browserOptions.jobs === undefined && browserOptions.session === undefined) browserOptions.jobs = Math.min(4, 2 * availableParallelism());
  // A deck with a thumbnail names it (og:image) and its size.
  const settings = sha256(JSON.stringify([config.values, options.theme ?? null, wanted.thumbnail ? [images.format, images.scale] : null]));
  const cache = await BuildCache.load(outDir, options.force);
  // The cache's entries hold for the toolkit they were made with. Its fingerprint is a hash of all
  // its files; the cache keeps it under a stamp of their sizes and times, so that when none of
  // them changed the toolkit is not even read.
  let loaded: Promise<Toolkit> | undefined = options.toolkit && Promise.resolve(options.toolkit);
  const toolkit = () => (loaded ??= loadToolkit(config));
  // The browser stage (Puppeteer, pdf-lib) is loaded when the first briefing needs compiling.
  let stage: Promise<BrowserStage> | undefined;
  const openStage = () => (stage ??= import('./pdf/stage.js').then(({ BrowserStage }) => new BrowserStage(browserOptions, cwd, options.onPdf)));
  // A briefing the cache has never seen is built for certain: the browser starts now, before the
  // toolkit is read, rather than when that briefing's turn comes.
  if (files.some((file) => cache.get(slugOf(file)) === undefined)) void openStage().then((s) => s.start()).catch(() => undefined);
  try {
    const toolkitFiles = await toolkitStamp(config);
    const stamp = toolkitFiles && `${toolkitFiles}:${settings}`;
    const recorded = options.toolkit === undefined ? cache.toolkitFor(stamp) : undefined;
    cache.useToolkit(recorded ?? `${(await timed('toolkit', toolkit)).fingerprint}:${settings}`, stamp);
  } catch (error) {
    // A template that does not compile, say: the browser started early is closed, not left running.
    await (await stage)?.close();
    throw error;
  }
  let looked: { why: string | undefined } | undefined;
  const ctx: Context = {
    cwd,
    outDir,
    toolkit,
    cache,
    wanted,
    images,
    compile: { config, ...(options.theme ? { theme: options.theme } : {}) },
    stage: openStage,
    force: options.force ?? false,
    findsNoBrowser: () => (looked ??= { why: browserOptions.session === undefined ? whyNoBrowser(browserOptions.executablePath) : undefined }).why,
  };
  // Each name in the output folder has one owner: a briefing, or the catalog.
  const written = new Map<string, string>((options.index ?? true) ? [[CATALOG_FILE, CATALOG_OWNER]] : []);
  const briefings: Promise<BriefingResult>[] = [];
  try {
    for (const file of files) {
      if (options.signal?.aborted) break;
      const slug = slugOf(file);
      const names = TARGETS.filter((t) => t.kind === 'html' || wanted[t.kind]).map((t) => outputName(t, slug, images));
      const clash = names.find((name) => written.has(name));
      for (const name of names) if (!written.has(name)) written.set(name, file);
      const built = clash === undefined ? await buildOne(file, slug, ctx) : clashResult(file, written.get(clash)!, clash);
      const done = isPending(built) ? publish(built, ctx) : Promise.resolve(built.result);
      briefings.push(done.then((result) => (options.onBriefing?.(result), result)));
    }
    await Promise.allSettled(briefings);
  } finally {
    await (await stage)?.close();
  }
  const results = await Promise.all(briefings);
  await ctx.cache.save().catch(() => undefined);
  const folder = await writeFolder(results, { cwd, outDir, cache, images, index: options.index ?? true }).catch((e: unknown) => `cannot write the manifest or catalog: ${describeFsError(e)}`);
  // No browser: PDFs that were to be printed fail the command; decks left unmeasured are said once.
  const why = ctx.noBrowser ?? (results.some((b) => b.unmeasured) ? ctx.findsNoBrowser() : undefined);
  const error = ctx.unprinted ? why : folder;
  const warning = error === undefined && why !== undefined ? `slides were not checked for overflow: ${why}` : undefined;
  const ok = error === undefined && folder === undefined && results.every((b) => !hasErrors(b.diagnostics));
  return { briefings: results, ok, ...(error === undefined ? {} : { error }), ...(warning === undefined ? {} : { warning }) };
}

/** The catalog, as the owner of its name in clash messages. */
const CATALOG_OWNER = '';

function clashResult(file: string, clash: string, name: string): { result: BriefingResult } {
  const message =
    clash === CATALOG_OWNER
      ? `${file} would be written to ${name}, the catalog page; rename the briefing (or build with --no-index)`
      : `both ${clash} and ${file} would be written to ${name}; rename one of them`;
  return { result: { file, slug: slugOf(file), diagnostics: [{ file, severity: 'error', rule: 'output-clash', message }] } };
}

/**
 * Whether the recorded outputs for a briefing are still what a build would write. Returns the
 * entry to keep (with the outputs' current stamps), or undefined when the briefing must be built.
 */
async function unchanged(entry: CacheEntry | undefined, inputs: string | undefined, paths: OutputPaths, ctx: Context): Promise<CacheEntry | undefined> {
  if (entry === undefined || inputs === undefined || entry.inputs !== inputs) return undefined;
  const html = await stillWritten(paths.html, entry.html, entry.htmlStamp);
  if (!html.same) return undefined;
  // A deck that no browser could measure is measured as soon as one can.
  if (entry.measured !== entry.html && ctx.findsNoBrowser() === undefined) return undefined;
  const kept: CacheEntry = { ...entry, htmlStamp: html.stamp };
  for (const kind of EXTRA_KINDS) {
    if (!ctx.wanted[kind]) continue;
    const printed = await printedUnchanged(kept[kind], kept.html, paths[kind], variantOf(kind, ctx));
    if (printed === undefined) return undefined;
    // An output made at scale 1 without a browser is made again at the measured fit.
    if (target(kind).usesFit && !printed.fitted && kept.measured === kept.html) return undefined;
    kept[kind] = printed;
  }
  return kept;
}

/** What an output of this kind is drawn with this build (images: their format and scale), if anything. */
function variantOf(kind: ExtraKind, ctx: Context): string | undefined {
  return kind === 'images' || kind === 'thumbnail' ? imageVariant(ctx.images) : undefined;
}

/** Whether a recorded output was made from this deck, with these settings, and is still on disk as written. */
async function printedUnchanged(printed: PrintedEntry | undefined, html: string, path: string, variant: string | undefined): Promise<PrintedEntry | undefined> {
  if (printed === undefined || printed.html !== html || printed.variant !== variant) return undefined;
  const file = await stillWritten(path, printed.hash, printed.stamp);
  return file.same ? { ...printed, stamp: file.stamp } : undefined;
}

/**
 * The inputs hash to record for a deck just compiled. A file saved while the briefing compiled
 * (its digest now differs from the one read before) may or may not be in the deck: record a hash
 * that matches nothing, so that the next build (watch mode's next rebuild) compiles it again.
 */
async function settledInputs(source: string, images: readonly string[], before: Digests): Promise<string> {
  const after = await readDigests([source, ...images]);
  const moved = [...after].some(([path, digest]) => before.has(path) && before.get(path) !== digest);
  return moved ? '' : (inputsHash(source, images, after) ?? '');
}

/** Compiles one briefing (again, with `plans`: its long slides continued as the browser measured). */
async function buildOne(file: string, slug: string, ctx: Context, plans?: ContinuationPlans): Promise<{ result: BriefingResult } | PendingDeck> {
  const { cwd, toolkit, cache, wanted } = ctx;
  const source = resolve(cwd, file);
  const paths = outputPaths(ctx.outDir, slug, ctx.images);
  const previous = cache.get(slug);
  const before = await readDigests([source, ...(previous?.inputFiles ?? [])]);
  const kept = plans === undefined ? await unchanged(previous, inputsHash(source, previous?.inputFiles ?? [], before), paths, ctx) : undefined;
  if (kept !== undefined) {
    if (JSON.stringify(kept) !== JSON.stringify(previous)) cache.set(slug, kept);
    const { slideCount, title, date, inputFiles: inputs } = kept;
    const unmeasured = kept.measured !== kept.html ? { unmeasured: true } : {};
    return { result: { file, slug, ...outputsOf(kept, paths, ctx), slideCount, inputs, title, date, skipped: true, ...unmeasured, diagnostics: [] } };
  }

  // The browser starts now (if it has not yet), so that its launch overlaps the compiling.
  const stage = ctx.stage().then((s) => s.start());
  const shared = await timed('toolkit', toolkit);
  const thumbnail = wanted.thumbnail ? { thumbnail: { file: basename(paths.thumbnail), scale: ctx.images.scale, type: `image/${ctx.images.format}` as const } } : {};
  const compiled = await timed('compile', async () => (await import('./compile.js')).compileBriefing(file, shared, cwd, { ...ctx.compile, ...thumbnail, ...(plans === undefined ? {} : { plans }) }));
  await stage;
  const result: BriefingResult = { file, slug, diagnostics: compiled.diagnostics };
  if (compiled.html === undefined || compiled.deck === undefined || hasErrors(compiled.diagnostics)) return { result };
  // Encoded once, for both the hash and the file (a deck is half a megabyte).
  const html = Buffer.from(compiled.html);
  const htmlHash = sha256(html);
  // The same deck already on disk is left as it is (and so keeps its stamp), unless forced.
  const onDisk = ctx.force ? { same: false } : await stillWritten(paths.html, htmlHash, previous?.html === htmlHash ? previous.htmlStamp : undefined);
  // What was measured and printed from this very deck stays valid.
  const same = <T extends { html: string } | string>(value: T | undefined) => (value !== undefined && (typeof value === 'string' ? value : value.html) === htmlHash ? value : undefined);
  const entry: CacheEntry = {
    inputs: await settledInputs(source, compiled.inputs, before),
    inputFiles: compiled.inputs,
    html: htmlHash,
    ...(onDisk.same ? { htmlStamp: onDisk.stamp } : {}),
    slideCount: compiled.deck.slides.length,
    title: compiled.deck.meta.title,
    date: compiled.deck.meta.date,
    ...catalogFields(compiled.deck.meta),
    ...(same(previous?.measured) ? { measured: htmlHash } : {}),
  };
  if (entry.measured !== undefined && previous?.scales !== undefined) entry.scales = previous.scales;
  const toPrint: Partial<Record<`${BrowserKind}Path`, string>> = {};
  const toWrite: ExtraKind[] = [];
  for (const kind of EXTRA_KINDS) {
    const printed = await printedUnchanged(same(previous?.[kind]), htmlHash, paths[kind], variantOf(kind, ctx));
    const stale = printed === undefined || (target(kind).usesFit && !printed.fitted && ctx.findsNoBrowser() === undefined);
    if (!stale) entry[kind] = printed;
    else if (!wanted[kind]) continue;
    else if (target(kind).by === 'node') toWrite.push(kind);
    else toPrint[`${kind as BrowserKind}Path`] = paths[kind];
  }
  const locateSlide = (index: number) => compiled.valid?.locate(['slides', index]);
  const built: BriefingResult = { ...result, slideCount: entry.slideCount, inputs: compiled.inputs, title: entry.title, date: entry.date };
  const { assets } = await toolkit();
  const css = [assets.baseCss, assets.themes[compiled.deck.meta.theme] ?? '', ...compiled.deck.meta.css];
  const continueWith = plans === undefined ? { continueWith: (measured: ContinuationPlans) => buildOne(file, slug, ctx, measured) } : {};
  return { result: built, entry, html, paths, onDisk: onDisk.same, job: { file, deck: compiled.deck, locateSlide, ...toPrint, images: ctx.images }, model: { deck: compiled.deck, css }, toWrite, ...continueWith };
}
