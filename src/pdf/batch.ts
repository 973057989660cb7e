// PDF batches: one browser for a whole command, several decks printed at once, each with a
// timeout. A crash or hang fails only the briefing that caused it: the browser is relaunched and
// the rest of the batch goes on. The browser is closed whatever happens.

import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { findBrowser } from '../browser.js';
import { sha256 } from '../cache.js';
import type { Diagnostic, Position } from '../diagnostics.js';
import { overflowDiagnostics, type SlideFit } from '../fit.js';
import type { Deck } from '../model.js';
import { describeFsError, writeFileAtomic } from '../output.js';
import { timed } from '../timings.js';
import { version } from '../version.js';
import type { OutlineEntry, PdfInfo } from './document.js';
import { printDeck } from './print.js';
import { BrowserSession } from './session.js';

export interface PdfOptions {
  /** Decks printed at the same time; default: the machine's cores, at most 4. */
  jobs?: number;
  /** Per-briefing limit; default 60 s. */
  timeoutMs?: number;
  /** Write a notes handout instead of the slides alone. */
  notes?: boolean;
  executablePath?: string;
  /** A browser kept warm across batches (watch mode); the batch then does not close it. */
  session?: BrowserSession;
  /** Scale overflowing slides down to fit; default true. */
  fit?: boolean;
  /**
   * Close the browser as soon as the last deck is printed, while it is post-processed (set by
   * the session's owner; a batch that launches its own browser does it anyway).
   */
  closeWhenPrinted?: boolean;
}

export interface PdfJob {
  /** The briefing, as diagnostics name it. */
  file: string;
  htmlPath: string;
  pdfPath: string;
  deck: Deck;
  /** Where slide `index` of the briefing is in its file, for overflow diagnostics. */
  locateSlide?: (index: number) => Position | undefined;
}

export interface PdfResult {
  file: string;
  /** The written PDF relative to cwd; absent when it failed. */
  pdf?: string;
  /** SHA-256 of the written PDF. */
  hash?: string;
  pages?: number;
  /** The scales chosen for slides that had to be fitted, for the deck to be written with. */
  fits: SlideFit[];
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

/** Page index of every slide, and the pages expected in all (notes pages follow their slide). */
function pageLayout(deck: Deck, notes: boolean): { slidePages: number[]; total: number } {
  const slidePages: number[] = [];
  let page = 0;
  for (const slide of deck.slides) {
    slidePages.push(page);
    page += notes && slide.notes !== undefined ? 2 : 1;
  }
  return { slidePages, total: page };
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

async function renderOne(
  job: PdfJob,
  holder: BrowserSession,
  options: { jobs: number; timeoutMs: number; notes: boolean; fit: boolean },
  cwd: string,
  onPrinted: () => void,
): Promise<PdfResult> {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string): PdfResult => ({ file: job.file, fits: [], diagnostics: [...diagnostics, { file: job.file, severity: 'error', rule: 'pdf', message }] });
  for (let attempt = 1; ; attempt++) {
    const browser = await holder.get();
    let timer: NodeJS.Timeout | undefined;
    // Once printed, the browser may close (it is not needed any more): a failure after that is
    // not the browser's.
    let printedNow = false;
    try {
      const hardLimit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError()), options.timeoutMs + 5_000);
      });
      // pdf-lib loads while Chromium prints, when this process has nothing else to do.
      const postProcessing = import('./document.js');
      const printed = await Promise.race([holder.withTab((tab) => printDeck(tab, job.htmlPath, job.deck, options)), hardLimit]);
      printedNow = true;
      onPrinted();
      const reported = new Set<string>();
      for (const { url, slide } of printed.blocked) {
        if (reported.has(url)) continue;
        reported.add(url);
        const where = slide === undefined ? '' : `slide ${slide}: `;
        diagnostics.push({ file: job.file, severity: 'warning', rule: 'blocked-request', message: `${where}blocked a request to ${url} (a deck may load nothing from outside its own file)` });
      }
      diagnostics.push(...overflowDiagnostics(job.file, job.deck, printed.fits, job.locateSlide ?? (() => undefined)));
      const layout = pageLayout(job.deck, options.notes);
      const finished = await timed('post-process', async () => {
        const done = await (await postProcessing).finishPdf(printed.pdf, pdfInfo(job.deck), outlineOf(job.deck, layout.slidePages), layout.total);
        await writeFileAtomic(job.pdfPath, done.pdf);
        return done;
      });
      const fits = printed.fits.filter((f) => f.scale !== 1);
      return { file: job.file, pdf: relative(cwd, job.pdfPath), hash: sha256(finished.pdf), pages: finished.pages, diagnostics, fits };
    } catch (error) {
      if (error instanceof TimeoutError || (error as Error).name === 'TimeoutError') {
        await holder.kill();
        return fail(`PDF rendering timed out after ${options.timeoutMs / 1000} s; the browser was restarted`);
      }
      if (!printedNow && !browser.connected) {
        // The browser died under this job (or a neighbour): try once more in a fresh one.
        if (attempt < 2) continue;
        return fail('the browser crashed while rendering this briefing');
      }
      if ((error as NodeJS.ErrnoException).code !== undefined) {
        return fail(`cannot write ${relative(cwd, job.pdfPath)}: ${describeFsError(error)}`);
      }
      return fail(`PDF rendering failed: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      clearTimeout(timer);
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

  /** Whether no more jobs will come and none is waiting. */
  get drained(): boolean {
    return this.closed && this.items.length === 0;
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
 * Prints every job's deck to PDF with one browser, `jobs` at a time, in the order the jobs come.
 * Throws a BriefdeckError (before starting anything) when no browser can be found.
 */
export async function renderPdfs(
  jobs: readonly PdfJob[] | JobQueue<PdfJob>,
  options: PdfOptions = {},
  cwd = process.cwd(),
  onResult?: (result: PdfResult) => void,
): Promise<PdfResult[]> {
  if (Array.isArray(jobs) && jobs.length === 0) return [];
  const queue = jobs instanceof JobQueue ? jobs : JobQueue.of(jobs as readonly PdfJob[]);
  const holder = options.session ?? new BrowserSession(findBrowser(options.executablePath));
  const settings = { jobs: options.jobs ?? defaultJobs(), timeoutMs: options.timeoutMs ?? 60_000, notes: options.notes ?? false, fit: options.fit ?? true };
  const results: PdfResult[] = [];
  let taken = 0;
  // Printing is done when no deck is being printed and none will come: the browser can close
  // while the last PDFs are post-processed.
  let printing = 0;
  const closeWhenPrinted = options.closeWhenPrinted ?? options.session === undefined;
  const printedOne = () => {
    printing--;
    if (closeWhenPrinted && printing === 0 && queue.drained) void holder.close();
  };
  const worker = async () => {
    for (let job = await queue.next(); job !== undefined; job = await queue.next()) {
      const index = taken++;
      printing++;
      let printed = false;
      results[index] = await renderOne(job, holder, settings, cwd, () => {
        printed = true;
        printedOne();
      });
      if (!printed) printedOne();
      onResult?.(results[index]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.jobs }, worker));
  } finally {
    if (options.session === undefined) await holder.close();
  }
  return results;
}
