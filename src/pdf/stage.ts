// The browser stage of a build: the browser that measures each deck written (and prints the PDFs
// asked for), started in the background when the first briefing needs compiling, so that its
// launch overlaps the compiling; decks are examined as they come, `jobs` at a time, while the next
// ones compile. A build with nothing to do never creates one.

import { BriefdeckError } from '../diagnostics.js';
import { findBrowser } from '../browser.js';
import { JobQueue, renderPdfs, type PdfJob, type PdfOptions, type PdfResult } from './batch.js';
import { BrowserSession } from './session.js';

export type BrowserOptions = Omit<PdfOptions, 'notes'>;

export class BrowserStage {
  private readonly queue = new JobQueue<PdfJob>();
  private readonly waiting = new Map<PdfJob, (result: PdfResult) => void>();
  private session: BrowserSession | undefined;
  /** Why there is no browser, once that is known. */
  private missing: string | undefined;
  /** Why the browser stage as a whole failed (the browser would not start, say), if it did. */
  private failed: string | undefined;
  private workers: Promise<void> | undefined;

  constructor(
    private readonly options: BrowserOptions,
    private readonly cwd: string,
    private readonly onPdf?: (result: PdfResult) => void,
  ) {}

  /** Finds the browser and starts launching it; returns why there is none, if there is none. */
  start(): string | undefined {
    if (this.session !== undefined || this.missing !== undefined) return this.missing;
    try {
      this.session = this.options.session ?? new BrowserSession(findBrowser(this.options.executablePath));
    } catch (caught) {
      if (!(caught instanceof BriefdeckError)) throw caught;
      this.missing = caught.message;
      return this.missing;
    }
    this.session.get().catch(() => undefined);
    const printing = renderPdfs(this.queue, { ...this.options, session: this.session }, this.cwd, (result, job) => {
      this.waiting.get(job)?.(result);
      this.waiting.delete(job);
    });
    // A failure of the whole batch (not of one deck) fails the decks waiting and those to come.
    this.workers = printing.then(
      () => undefined,
      (error: unknown) => {
        const message = String((error as Error).message).split('\n')[0]!;
        // launchBrowser's own error already says the browser did not start, and why.
        this.failed = /did not start/.test(message) ? message : `the browser would not start: ${message}`;
        for (const [job, resolve] of this.waiting) resolve(this.failure(job));
        this.waiting.clear();
      },
    );
    return undefined;
  }

  /** Why there is no browser to measure and print with: none found, or it would not start. */
  unavailable(): string | undefined {
    return this.missing ?? this.failed;
  }

  private failure(job: PdfJob): PdfResult {
    return { file: job.file, accepted: false, diagnostics: [{ file: job.file, severity: 'error', rule: 'pdf', message: this.failed ?? 'the browser failed' }] };
  }

  /** Measures (and prints) one deck; settles when its job is done. */
  run(job: PdfJob): Promise<PdfResult> {
    if (this.start() !== undefined) throw new Error('BrowserStage.run without a browser');
    if (this.failed !== undefined) return Promise.resolve(this.failure(job));
    return new Promise<PdfResult>((resolve) => {
      this.waiting.set(job, (result) => {
        if (result.pdf !== undefined || result.notes !== undefined) this.onPdf?.(result);
        resolve(result);
      });
      this.queue.push(job);
    });
  }

  /** No more decks: waits for those added, then closes the browser unless it was lent. */
  async close(): Promise<void> {
    this.queue.close();
    try {
      await this.workers;
    } finally {
      if (this.options.session === undefined) await this.session?.close();
    }
  }
}
