// Deck batches: one browser for a whole command, several decks measured (and printed) at once,
// each with a timeout. A crash or hang fails only the briefing that caused it: the browser is
// relaunched and the rest of the batch goes on. The browser is closed whatever happens.

import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { findBrowser } from '../browser.js';
import { folderHash, sha256 } from '../cache.js';
import { hasErrors, type Diagnostic, type Position } from '../diagnostics.js';
import type { ContinuationPlans } from '../continue.js';
import { continuationPlans, overflowDiagnostics, type SlideFit } from '../fit.js';
import type { Deck } from '../model.js';
import { describeFsError, replaceFolder, writeFileAtomic } from '../output.js';
import { BROWSER_KINDS, DEFAULT_IMAGES, type ImageSettings } from '../targets/index.js';
import { isSlideImageName, slideImageName } from '../targets/images.js';
import { deckSlideName } from '../slide-name.js';
import { timed } from '../timings.js';
import { version } from '../version.js';
import type { OutlineEntry, PdfInfo } from './document.js';
import { printPages, type PrintTab, type PrintView } from './print.js';
import { BrowserSession, isLostPage } from './session.js';

export interface PdfOptions {
  /** Decks examined and printed at the same time; default: the machine's cores, at most 4. */
  jobs?: number;
  /** Per-briefing limit; default 60 s. */
  timeoutMs?: number;
  /** Also print a notes handout (`<name>.notes.pdf` beside the slides). */
  notes?: boolean;
  executablePath?: string;
  /** A browser kept warm across batches (watch mode); the batch then does not close it. */
  session?: BrowserSession;
}

export interface PdfJob {
  /** The briefing, as diagnostics name it. */
  file: string;
  /** The deck to open: the written deck, or a copy staged beside it until `accept`. */
  htmlPath: string;
  deck: Deck;
  /** Where slide `index` of the briefing is in its file, for overflow diagnostics. */
  locateSlide?: (index: number) => Position | undefined;
  /** Where to print the slides, one page each; without it (and `notesPath`) the deck is only measured. */
  pdfPath?: string;
  /** Where to print the notes handout: each slide followed by a page of its notes. */
  notesPath?: string;
  /** The folder to capture every slide into as an image (`slide-01.png`...), replaced whole. */
  imagesPath?: string;
  /** Where to capture the title slide alone. */
  thumbnailPath?: string;
  /** How images are captured (default PNG at the slide size). */
  images?: ImageSettings;
  /**
   * Called once the deck has fitted itself and no slide overflows, before anything is printed;
   * returns where the deck is now (a staged deck is moved into place). A deck with a slide that
   * cannot fit is not accepted and nothing is printed. It may read the page (`view`) while the
   * tab is its own, briefly: the PPTX's pictures are drawn there.
   */
  accept?: (fits: SlideFit[] | undefined, view: PrintView) => Promise<string>;
  /**
   * The deck may still be written again with its long slides continued: a slide that cannot fit
   * but can continue is then not an error, and the result carries the plans instead.
   */
  mayContinue?: boolean;
}

/** A PDF written by a job. */
export interface PrintedPdf {
  /** The written PDF relative to cwd. */
  pdf: string;
  /** SHA-256 of the written PDF. */
  hash: string;
  pages: number;
}

/** Images captured by a job: a folder of slide images, or the thumbnail. */
export interface CapturedImages {
  /** The folder (or the thumbnail file) relative to cwd. */
  path: string;
  /** SHA-256 of the file, or the folder's hash (see folderHash). */
  hash: string;
  /** How many images. */
  count: number;
}

export interface PdfResult {
  file: string;
  /** Whether the deck was measured and accepted: every slide fits, or may overflow (`fit: false`). */
  accepted: boolean;
  /** What the deck chose for each slide, when it was measured. */
  fits?: SlideFit[];
  /** The slides PDF relative to cwd, when printed. */
  pdf?: string;
  hash?: string;
  pages?: number;
  /** The notes handout, when printed. */
  notes?: PrintedPdf;
  /** The slide images, when captured. */
  images?: CapturedImages;
  /** The thumbnail, when captured. */
  thumbnail?: CapturedImages;
  /** How the deck's long slides must continue: the deck was not accepted and must be written again so. */
  plans?: ContinuationPlans;
  diagnostics: Diagnostic[];
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function pdfInfo(deck: Deck): PdfInfo {
  const { meta } = deck;
  return {
    title: meta.title,
    author: [meta.author, meta.organization].filter(Boolean).join(', ') || undefined,
    subject: meta.description,
    keywords: meta.keywords,
    creator: `briefdeck ${version()}`,
    date: meta.date,
    lang: meta.lang,
  };
}

function outlineOf(deck: Deck, slidePages: number[]): OutlineEntry[] {
  const top: OutlineEntry[] = [];
  deck.slides.forEach((slide, i) => {
    const entry: OutlineEntry = { title: slide.outlineTitle, page: slidePages[i]!, children: [] };
    const parent = top.at(-1);
    if (slide.level === 1 && parent !== undefined) parent.children.push(entry);
    else top.push(entry);
  });
  return top;
}

class TimeoutError extends Error {}

/** A file that could not be written, named for the message. */
class WriteError extends Error {
  constructor(
    readonly what: string,
    cause: unknown,
  ) {
    super(describeFsError(cause), { cause });
  }
}

interface Settings {
  jobs: number;
  timeoutMs: number;
}

/** Runs `use` on a tab of the session, failing with a TimeoutError past the job's limit. */
async function withTabInTime<T>(holder: BrowserSession, settings: Settings, use: (tab: PrintTab) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hardLimit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), settings.timeoutMs + 5_000);
  });
  try {
    return await Promise.race([holder.withTab(use), hardLimit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Finishes a printed PDF (metadata, outline, page count checked) and writes it to `path`. */
async function finishTo(printed: Uint8Array, job: PdfJob, path: string, slidePages: readonly number[], pages: number, cwd: string): Promise<PrintedPdf> {
  // pdf-lib is loaded only by builds that print.
  const { finishPdf } = await import('./document.js');
  const finished = await timed('post-process', () => finishPdf(printed, pdfInfo(job.deck), outlineOf(job.deck, [...slidePages]), pages));
  await writeFileAtomic(path, finished.pdf).catch((error: unknown) => {
    throw new WriteError(relative(cwd, path), error);
  });
  return { pdf: relative(cwd, path), hash: sha256(finished.pdf), pages: finished.pages };
}

/**
 * Prints an opened deck's slides, one page each, then the PDFs the job asks for: the slides PDF,
 * and the notes handout, laid out in the same page after the slides are printed (handout.ts).
 */
async function printDeck(view: PrintView, job: PdfJob, result: PdfResult, settings: Settings, cwd: string): Promise<void> {
  const slides = job.pdfPath !== undefined || job.notesPath !== undefined ? await printPages(view, job.deck, settings.timeoutMs) : undefined;
  const slidePages = job.deck.slides.map((_, i) => i);
  if (slides !== undefined && job.pdfPath !== undefined && result.pdf === undefined) Object.assign(result, await finishTo(slides, job, job.pdfPath, slidePages, slidePages.length, cwd));
  // The images are captured before the handout, which lays the page out anew.
  await captureDeck(view, job, result, cwd);
  if (slides === undefined || job.notesPath === undefined || result.notes !== undefined) return;
  const { HANDOUT_PAGE, drawSlides, layoutHandout } = await import('./handout.js');
  const layout = await view.page.evaluate(layoutHandout, { ...HANDOUT_PAGE, title: job.deck.meta.title, pictureWidth: HANDOUT_PAGE.width - 192 });
  const printed = await view.page.pdf({
    width: `${HANDOUT_PAGE.width}px`,
    height: `${HANDOUT_PAGE.height}px`,
    margin: { top: 0, right: 0, bottom: 0, left: 0 },
    printBackground: true,
    preferCSSPageSize: false,
    tagged: true,
    outline: false,
    timeout: settings.timeoutMs,
  });
  const handout = await drawSlides(printed, slides, layout);
  const pictured = layout.places.map((place) => place.page);
  result.notes = await finishTo(handout, job, job.notesPath, pictured, layout.pages, cwd);
}

/** Captures the slide images and the thumbnail the job asks for (capture.ts), and writes them. */
async function captureDeck(view: PrintView, job: PdfJob, result: PdfResult, cwd: string): Promise<void> {
  const wantsImages = job.imagesPath !== undefined && result.images === undefined;
  const wantsThumbnail = job.thumbnailPath !== undefined && result.thumbnail === undefined;
  if (!wantsImages && !wantsThumbnail) return;
  const { captureSlides } = await import('./capture.js');
  const settings = job.images ?? DEFAULT_IMAGES;
  const count = job.deck.slides.length;
  const shots = await captureSlides(view.page, job.deck, settings, wantsImages ? undefined : [0]);
  if (wantsImages) {
    const path = job.imagesPath!;
    const files = shots.map((bytes, i) => ({ name: slideImageName(i, count, settings.format), hash: sha256(bytes), bytes }));
    await replaceFolder(path, isSlideImageName, (dir) => Promise.all(files.map((f) => writeFile(join(dir, f.name), f.bytes))).then(() => undefined)).catch((error: unknown) => {
      throw new WriteError(relative(cwd, path), error);
    });
    result.images = { path: relative(cwd, path), hash: folderHash(files), count };
  }
  if (wantsThumbnail) {
    const path = job.thumbnailPath!;
    const title = shots[0]!;
    await writeFileAtomic(path, title).catch((error: unknown) => {
      throw new WriteError(relative(cwd, path), error);
    });
    result.thumbnail = { path: relative(cwd, path), hash: sha256(title), count: 1 };
  }
}

/** Whether a job still has outputs to print or capture. */
function printsMore(job: PdfJob, result: PdfResult): boolean {
  return BROWSER_KINDS.some((kind) => job[`${kind}Path`] !== undefined && result[kind] === undefined);
}

/** What a deck's measurement says: blocked requests, and what did not fit. */
async function measured(view: PrintView, job: PdfJob): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const { url, slide } of await view.blocked()) {
    if (reported.has(url)) continue;
    reported.add(url);
    const shown = slide === undefined ? undefined : job.deck.slides[slide - 1];
    const name = shown === undefined ? '' : `${deckSlideName(shown)}: `;
    const where = shown?.sourceIndex === undefined ? undefined : job.locateSlide?.(shown.sourceIndex);
    diagnostics.push({ file: job.file, ...where, severity: 'warning', rule: 'blocked-request', message: `${name}blocked a request to ${url} (a deck may load nothing from outside its own file)` });
  }
  if (view.fits === undefined) {
    const message = 'the deck did not fit its slides (its deck template leaves out the deck\'s scripts), so overflow was not checked';
    diagnostics.push({ file: job.file, severity: 'warning', rule: 'overflow', message });
  } else diagnostics.push(...overflowDiagnostics(job.file, job.deck, view.fits, job.locateSlide ?? (() => undefined), job.mayContinue));
  return diagnostics;
}

/**
 * One deck: opened once in print view, where it fits itself; what it chose is read, and, if every
 * slide fits, the deck is accepted and its slides (and handout) printed from that same page.
 */
async function renderOne(job: PdfJob, holder: BrowserSession, settings: Settings, cwd: string): Promise<PdfResult> {
  const result: PdfResult = { file: job.file, accepted: false, diagnostics: [] };
  const fail = (message: string): PdfResult => {
    result.diagnostics.push({ file: job.file, severity: 'error', rule: 'pdf', message });
    return result;
  };
  const printing = printsMore(job, result);
  const doing = job.pdfPath !== undefined || job.notesPath !== undefined ? 'PDF rendering' : printing ? 'capturing slide images' : undefined;
  let deckPath = job.htmlPath;
  const viewport = { width: job.deck.meta.width, height: job.deck.meta.height };
  for (let attempt = 1; ; attempt++) {
    const browser = await holder.get();
    try {
      // A retry (after a crash) starts from the first step not yet done.
      if (!result.accepted || printsMore(job, result)) {
        await withTabInTime(holder, settings, async (tab) => {
          const view = await timed('load', () => tab.show(deckPath, { timeoutMs: settings.timeoutMs, viewport }));
          if (!result.accepted) {
            const diagnostics = await measured(view, job);
            result.fits = view.fits;
            result.diagnostics.push(...diagnostics);
            if (hasErrors(diagnostics)) return;
            const plans = job.mayContinue && view.fits !== undefined ? continuationPlans(job.deck, view.fits) : undefined;
            if (plans !== undefined) return void (result.plans = plans);
            deckPath = job.accept === undefined ? deckPath : await job.accept(view.fits, view).catch((error: unknown) => {
              throw new WriteError('the deck', error);
            });
            result.accepted = true;
          }
          if (printing) await printDeck(view, job, result, settings, cwd);
        });
      }
      return result;
    } catch (error) {
      if (error instanceof TimeoutError || (error as Error).name === 'TimeoutError') {
        await holder.kill();
        const what = doing ?? 'loading the deck to measure its slides';
        return fail(`${what} timed out after ${settings.timeoutMs / 1000} s; the browser was restarted`);
      }
      if (error instanceof WriteError) return fail(`cannot write ${error.what}: ${error.message}`);
      // The page lost what it was asked for (Chromium collected the promise under load, or the
      // tab's document went away): its tab is closed; try once more in a fresh one.
      if (attempt < 2 && isLostPage(error)) continue;
      if (!browser.connected) {
        // The browser died under this job (or a neighbour): try once more in a fresh one.
        if (attempt < 2) continue;
        return fail('the browser crashed while rendering this briefing');
      }
      return fail(`${doing ?? 'measuring the deck'} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}

/**
 * Jobs that arrive while earlier ones print: `build` adds each deck as soon as it is written, so
 * printing starts while the next decks compile.
 */
export class JobQueue<T> {
  private readonly items: T[] = [];
  private waiting: ((item: T | undefined) => void)[] = [];
  private closed = false;

  push(item: T): void {
    const take = this.waiting.shift();
    if (take) take(item);
    else this.items.push(item);
  }

  /** No more jobs will come: workers waiting for one are told so. */
  close(): void {
    this.closed = true;
    for (const take of this.waiting.splice(0)) take(undefined);
  }

  /** The next job, or undefined once the queue is closed and empty. */
  next(): Promise<T | undefined> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  static of<T>(items: readonly T[]): JobQueue<T> {
    const queue = new JobQueue<T>();
    for (const item of items) queue.push(item);
    queue.close();
    return queue;
  }
}

/**
 * Measures every job's deck, and prints it to PDF as the job asks, with one browser, `jobs` at a
 * time, in the order the jobs come. Throws a BriefdeckError (before starting anything) when no
 * browser can be found.
 */
export async function renderPdfs(
  jobs: readonly PdfJob[] | JobQueue<PdfJob>,
  options: PdfOptions = {},
  cwd = process.cwd(),
  onResult?: (result: PdfResult, job: PdfJob) => void,
): Promise<PdfResult[]> {
  if (Array.isArray(jobs) && jobs.length === 0) return [];
  const queue = jobs instanceof JobQueue ? jobs : JobQueue.of(jobs as readonly PdfJob[]);
  const holder = options.session ?? new BrowserSession(findBrowser(options.executablePath));
  const settings: Settings = { jobs: options.jobs ?? defaultJobs(), timeoutMs: options.timeoutMs ?? 60_000 };
  const results: PdfResult[] = [];
  let taken = 0;
  const worker = async () => {
    for (let job = await queue.next(); job !== undefined; job = await queue.next()) {
      const index = taken++;
      results[index] = await renderOne(job, holder, settings, cwd);
      onResult?.(results[index]!, job);
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.jobs }, worker));
  } finally {
    if (options.session === undefined) await holder.close();
  }
  return results;
}
