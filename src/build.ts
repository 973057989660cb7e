// Build: the command behind `briefdeck build` and the `build()` API. Finds the briefings,
// compiles each, and writes `<out>/<slug>.html` (and `.pdf`) for every one that has no errors;
// a briefing with errors writes nothing and leaves its previous outputs alone. Briefings whose
// inputs did not change since the last build are skipped (see cache.ts) unless `force` is set.
// A build with nothing to do loads none of the compiler (YAML, Markdown, Handlebars) and reads
// none of the toolkit: those are loaded when the first briefing needs compiling.

import { join, relative, resolve } from 'node:path';
import { BuildCache, fileStamp, hashInputs, sha256, stillWritten, type CacheEntry } from './cache.js';
import type { CompileOptions } from './compile.js';
import { requireConfig, type Config } from './config.js';
import { BriefdeckError, hasErrors, type Diagnostic } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import { applyFits } from './fit.js';
import { describeFsError, writeFileAtomic } from './output.js';
import type { PdfJob, PdfOptions, PdfResult } from './pdf/batch.js';
import { findBrowser } from './browser.js';
import { timed } from './timings.js';
import { loadToolkit, toolkitStamp, type Toolkit } from './toolkit.js';

export interface BuildOptions {
  /** Briefing files or folders; default `briefings`. */
  paths?: readonly string[];
  /** Output folder; default `dist`. */
  outDir?: string;
  /** Folder that relative paths start from; default the process's working folder. */
  cwd?: string;
  /** Also print each deck to `<out>/<slug>.pdf` (true, or options for the PDF stage). */
  pdf?: boolean | PdfOptions;
  /** Rebuild everything, ignoring what the last build recorded. */
  force?: boolean;
  /** The project config; default: briefdeck.config.yaml in cwd, if there is one. */
  config?: Config;
  /** A theme that wins over the briefing's and the config's. */
  theme?: string;
  /** Called as each deck is written (or skipped), for progress output. */
  onBriefing?: (result: BriefingResult) => void;
  /** Called as each PDF is written or fails. */
  onPdf?: (result: PdfResult) => void;
  toolkit?: Toolkit;
}

export interface BriefingResult {
  file: string;
  slug: string;
  /** The deck, relative to cwd; absent when the briefing had errors. */
  html?: string;
  /** The PDF, relative to cwd, when PDFs were asked for and this one succeeded. */
  pdf?: string;
  slideCount?: number;
  title?: string;
  date?: string;
  /** True when nothing had changed and the outputs were left as they were. */
  skipped?: boolean;
  diagnostics: Diagnostic[];
}

export interface BuildResult {
  briefings: BriefingResult[];
  /** A failure of the whole command that is not one briefing's (no browser found, say). */
  error?: string;
  /** True when every briefing was built without errors. */
  ok: boolean;
}

interface Context {
  cwd: string;
  outDir: string;
  /** The toolkit, loaded on first use. */
  toolkit: () => Promise<Toolkit>;
  cache: BuildCache;
  notes: boolean | undefined;
  compile: CompileOptions;
  /** Called when a briefing is about to be compiled (the PDF stage starts its browser then). */
  beforeCompile?: () => void;
}

type PendingPdf = PdfJob & { result: BriefingResult; entry: CacheEntry };

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = options.config ?? (await requireConfig(cwd));
  const outDir = options.outDir !== undefined ? resolve(cwd, options.outDir) : resolve(config.dir, config.values.out ?? 'dist');
  const files = await discoverBriefings(options.paths?.length ? options.paths : ['briefings'], cwd);
  const configPdf = { ...(config.values.pdf?.notes !== undefined ? { notes: config.values.pdf.notes } : {}), ...(config.values.pdf?.jobs !== undefined ? { jobs: config.values.pdf.jobs } : {}) };
  const pdfOptions = options.pdf ? { ...configPdf, ...(options.pdf === true ? {} : options.pdf) } : undefined;
  // What a deck depends on besides its files: the settings it was compiled with.
  const settings = sha256(JSON.stringify([config.values, options.theme ?? null]));
  const cache = await BuildCache.load(outDir, options.force);
  // The cache's entries hold for the toolkit they were made with. Its fingerprint is a hash of all
  // its files; the cache keeps it under a stamp of their sizes and times, so that when none of
  // them changed the toolkit is not even read.
  let loaded: Promise<Toolkit> | undefined = options.toolkit && Promise.resolve(options.toolkit);
  const toolkit = () => (loaded ??= loadToolkit(config));
  const ctx: Context = { cwd, outDir, toolkit, cache, notes: pdfOptions && (pdfOptions.notes ?? false), compile: { config, ...(options.theme ? { theme: options.theme } : {}) } };
  // With PDFs asked for, the browser starts as soon as a briefing needs building, so that its
  // launch overlaps the compiling, and each deck is printed as soon as it is written while the
  // next ones compile. A build with nothing to do starts no browser. A browser that cannot be
  // found is reported after the HTML decks are written.
  let pdfStage: Promise<PdfStage> | undefined;
  const startPdfStage = () => (pdfStage ??= openPdfStage(pdfOptions!, ctx, options.onPdf));
  // (Its failure is awaited with the stage below; this handler only keeps it from going unhandled.)
  if (pdfOptions) ctx.beforeCompile = () => void startPdfStage().catch(() => undefined);
  // A briefing the cache has never seen is built for certain: the browser starts now, before the
  // toolkit is read, rather than when that briefing's turn comes.
  if (files.some((file) => cache.get(slugOf(file)) === undefined)) ctx.beforeCompile?.();
  const toolkitFiles = await toolkitStamp(config);
  const stamp = toolkitFiles && `${toolkitFiles}:${settings}`;
  const recorded = options.toolkit === undefined ? cache.toolkitFor(stamp) : undefined;
  cache.useToolkit(recorded ?? `${(await timed('toolkit', toolkit)).fingerprint}:${settings}`, stamp);
  const slugs = new Map<string, string>();
  const briefings: BriefingResult[] = [];
  for (const file of files) {
    const slug = slugOf(file);
    const clash = slugs.get(slug);
    slugs.set(slug, clash ?? file);
    const { result, pdfJob } = clash === undefined ? await buildOne(file, slug, ctx) : { result: clashResult(file, slug, clash), pdfJob: undefined };
    briefings.push(result);
    if (pdfJob) (await startPdfStage()).add(pdfJob);
    options.onBriefing?.(result);
  }
  const stage = await pdfStage;
  stage?.close();
  const error = await stage?.done;
  await ctx.cache.save().catch(() => undefined);
  const ok = error === undefined && briefings.every((b) => !hasErrors(b.diagnostics));
  return { briefings, ok, ...(error === undefined ? {} : { error }) };
}

interface PdfStage {
  add(job: PendingPdf): void;
  /** No more decks: `done` settles once the ones added are printed. */
  close(): void;
  /** The error of the whole stage (no browser, say), if there was one. */
  done: Promise<string | undefined>;
}

/**
 * Starts the PDF stage: the browser (the caller's warm session, or a new one launched now), and
 * workers that print each deck added, as it is added, rewriting a deck whose slides had to be
 * fitted. The PDF stage (Puppeteer, pdf-lib) is loaded only when PDFs are asked for.
 */
async function openPdfStage(pdfOptions: PdfOptions, ctx: Context, onPdf: ((result: PdfResult) => void) | undefined): Promise<PdfStage> {
  let session = pdfOptions.session;
  if (session === undefined) {
    const { BrowserSession } = await import('./pdf/session.js');
    try {
      session = new BrowserSession(findBrowser(pdfOptions.executablePath));
    } catch (caught) {
      if (!(caught instanceof BriefdeckError)) throw caught;
      return { add: () => undefined, close: () => undefined, done: Promise.resolve(caught.message) };
    }
    session.get().catch(() => undefined);
  }
  const browser = session;
  const { JobQueue, renderPdfs } = await import('./pdf/batch.js');
  const queue = new JobQueue<PdfJob>();
  const jobs = new Map<string, PendingPdf>();
  const finished: Promise<void>[] = [];
  const print = async (): Promise<string | undefined> => {
    try {
      await renderPdfs(queue, { ...pdfOptions, session: browser, closeWhenPrinted: pdfOptions.session === undefined }, ctx.cwd, (pdf) => {
        const job = jobs.get(pdf.file)!;
        job.result.diagnostics.push(...pdf.diagnostics);
        if (pdf.pdf !== undefined && pdf.hash !== undefined) {
          job.result.pdf = pdf.pdf;
          job.entry.pdf = { html: job.entry.html, notes: ctx.notes ?? false, hash: pdf.hash };
          finished.push(recordPdfStamp(job));
          // Slides scaled to fit in the PDF are written the same way into the deck.
          if (applyFits(job.deck, pdf.fits)) finished.push(ctx.toolkit().then((t) => rewriteDeck(job, t, ctx.cwd)));
        }
        onPdf?.(pdf);
      });
      await Promise.all(finished);
      return undefined;
    } catch (caught) {
      if (!(caught instanceof BriefdeckError)) throw caught;
      return caught.message;
    } finally {
      if (pdfOptions.session === undefined) await browser.close();
    }
  };
  return {
    add: (job) => {
      jobs.set(job.file, job);
      queue.push(job);
    },
    close: () => queue.close(),
    done: print(),
  };
}

async function recordPdfStamp(job: PendingPdf): Promise<void> {
  const stamp = await fileStamp(job.pdfPath);
  if (job.entry.pdf && stamp) job.entry.pdf.stamp = stamp;
}

/** Writes a deck again after the fit stage chose scales for some of its slides. */
async function rewriteDeck(job: PendingPdf, toolkit: Toolkit, cwd: string): Promise<void> {
  const { renderDeck } = await import('./render.js');
  const html = Buffer.from(await renderDeck(job.deck, toolkit.templates, toolkit.assets));
  try {
    await writeFileAtomic(job.htmlPath, html);
    job.entry.html = sha256(html);
    job.entry.htmlStamp = await fileStamp(job.htmlPath);
    if (job.entry.pdf) job.entry.pdf.html = job.entry.html;
  } catch (error) {
    job.result.diagnostics.push({ file: relative(cwd, job.htmlPath), severity: 'error', rule: 'write', message: `cannot write the deck: ${describeFsError(error)}` });
  }
}

function clashResult(file: string, slug: string, clash: string): BriefingResult {
  const message = `both ${clash} and ${file} would be written to ${slug}.html; rename one of them`;
  return { file, slug, diagnostics: [{ file, severity: 'error', rule: 'output-clash', message }] };
}

/**
 * Whether the recorded outputs for a briefing are still what a build would write. Returns the
 * entry to keep (with the outputs' current stamps), or undefined when the briefing must be built.
 */
async function unchanged(entry: CacheEntry | undefined, inputs: string | undefined, htmlPath: string, pdfPath: string, notes: boolean | undefined): Promise<CacheEntry | undefined> {
  if (entry === undefined || inputs === undefined || entry.inputs !== inputs) return undefined;
  const html = await stillWritten(htmlPath, entry.html, entry.htmlStamp);
  if (!html.same) return undefined;
  const kept = { ...entry, htmlStamp: html.stamp };
  if (notes === undefined) return kept;
  const pdf = await pdfUnchanged(kept, pdfPath, notes);
  return pdf === undefined ? undefined : { ...kept, pdf };
}

/** Whether the recorded PDF was printed from the recorded deck with these options and is still on disk as written. */
async function pdfUnchanged(entry: CacheEntry, pdfPath: string, notes: boolean): Promise<CacheEntry['pdf']> {
  const { pdf } = entry;
  if (pdf === undefined || pdf.html !== entry.html || pdf.notes !== notes) return undefined;
  const file = await stillWritten(pdfPath, pdf.hash, pdf.stamp);
  return file.same ? { ...pdf, stamp: file.stamp } : undefined;
}

async function buildOne(file: string, slug: string, ctx: Context): Promise<{ result: BriefingResult; pdfJob?: PendingPdf }> {
  const { cwd, outDir, toolkit, cache, notes } = ctx;
  const source = resolve(cwd, file);
  const htmlPath = join(outDir, `${slug}.html`);
  const pdfPath = join(outDir, `${slug}.pdf`);
  const previous = cache.get(slug);
  const kept = await unchanged(previous, await hashInputs(source, previous?.images ?? []), htmlPath, pdfPath, notes);
  if (kept !== undefined) {
    if (JSON.stringify(kept) !== JSON.stringify(previous)) cache.set(slug, kept);
    const { slideCount, title, date } = kept;
    const result: BriefingResult = { file, slug, html: relative(cwd, htmlPath), slideCount, title, date, skipped: true, diagnostics: [] };
    return { result: notes === undefined ? result : { ...result, pdf: relative(cwd, pdfPath) } };
  }

  ctx.beforeCompile?.();
  const shared = await timed('toolkit', toolkit);
  const compiled = await timed('compile', async () => (await import('./compile.js')).compileBriefing(file, shared, cwd, ctx.compile));
  const result: BriefingResult = { file, slug, diagnostics: compiled.diagnostics };
  if (compiled.html === undefined || compiled.deck === undefined || hasErrors(compiled.diagnostics)) return { result };
  // Encoded once, for both the hash and the file (a deck is half a megabyte).
  const html = Buffer.from(compiled.html);
  const htmlHash = sha256(html);
  // The same deck already on disk is left as it is (and so keeps its stamp).
  let onDisk: { same: boolean; stamp?: string };
  try {
    onDisk = await stillWritten(htmlPath, htmlHash, previous?.html === htmlHash ? previous.htmlStamp : undefined);
    if (!onDisk.same) await writeFileAtomic(htmlPath, html);
  } catch (error) {
    result.diagnostics.push({ file: relative(cwd, htmlPath), severity: 'error', rule: 'write', message: `cannot write the deck: ${describeFsError(error)}` });
    return { result };
  }
  const entry: CacheEntry = {
    inputs: (await hashInputs(source, compiled.inputs)) ?? '',
    images: compiled.inputs,
    html: htmlHash,
    htmlStamp: onDisk.same ? onDisk.stamp : await fileStamp(htmlPath),
    slideCount: compiled.deck.slides.length,
    title: compiled.deck.meta.title,
    date: compiled.deck.meta.date,
    // A PDF printed from this very deck with the same options stays valid.
    ...(previous?.pdf?.html === htmlHash ? { pdf: previous.pdf } : {}),
  };
  cache.set(slug, entry);
  const built: BriefingResult = { ...result, html: relative(cwd, htmlPath), slideCount: entry.slideCount, title: entry.title, date: entry.date };
  if (notes === undefined) return { result: built };
  const pdf = await pdfUnchanged(entry, pdfPath, notes);
  if (pdf !== undefined) {
    entry.pdf = pdf;
    return { result: { ...built, pdf: relative(cwd, pdfPath) } };
  }
  const locateSlide = (index: number) => compiled.valid?.locate(['slides', index]);
  return { result: built, pdfJob: { file, deck: compiled.deck, htmlPath, pdfPath, result: built, entry, locateSlide } };
}
