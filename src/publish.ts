// Publish: a compiled deck's way to the disk. A browser measures how the deck fitted its slides
// (see fit.ts) and prints the PDFs asked for, from a copy of the deck staged beside its place;
// the copy is moved into place only if every slide fits, so a deck with a slide that cannot fit
// writes nothing and the last good outputs stay. Without a browser the deck is written unmeasured:
// it still fits itself wherever it is opened.

import { join, relative } from 'node:path';
import type { BriefingResult } from './build.js';
import { fileStamp, type BuildCache, type CacheEntry } from './cache.js';
import { describeFsError, stageFile, writeFileAtomic, type StagedFile } from './output.js';
import type { ContinuationPlans } from './continue.js';
import type { PdfJob } from './pdf/batch.js';
import type { BrowserStage } from './pdf/stage.js';

/** The outputs a build is asked for besides the decks. */
export interface Wanted {
  pdf: boolean;
  notes: boolean;
}

/** What publishing needs of the build. */
export interface PublishContext {
  cwd: string;
  cache: BuildCache;
  wanted: Wanted;
  /** The browser stage, created on first use. */
  stage: () => Promise<BrowserStage>;
  /** Why no browser could measure (or print) a deck this build, once one could not. */
  noBrowser?: string;
  /** Set when a PDF was to be printed and no browser could print it. */
  unprinted?: boolean;
}

/** Where a briefing's outputs go. */
export interface OutputPaths {
  html: string;
  pdf: string;
  notes: string;
}

export function outputPaths(outDir: string, slug: string): OutputPaths {
  return { html: join(outDir, `${slug}.html`), pdf: join(outDir, `${slug}.pdf`), notes: join(outDir, `${slug}.notes.pdf`) };
}

/** A compiled deck on its way to the disk, with what must still be measured or printed first. */
export interface PendingDeck {
  result: BriefingResult;
  entry: CacheEntry;
  html: Buffer;
  paths: OutputPaths;
  /** The same deck is on disk already. */
  onDisk: boolean;
  /** The browser's job, naming only the PDFs that must be printed. */
  job: Omit<PdfJob, 'htmlPath' | 'accept'>;
  /** Compiles the briefing again with its long slides continued as the browser planned. */
  continueWith?: (plans: ContinuationPlans) => Promise<{ result: BriefingResult } | PendingDeck>;
}

/** The paths of a briefing's outputs that are up to date, relative to cwd. */
export function outputsOf(entry: CacheEntry, paths: OutputPaths, ctx: PublishContext): Pick<BriefingResult, 'html' | 'pdf' | 'notes'> {
  const shown = (kind: 'pdf' | 'notes') => (ctx.wanted[kind] && entry[kind]?.html === entry.html ? { [kind]: relative(ctx.cwd, paths[kind]) } : {});
  return { html: relative(ctx.cwd, paths.html), ...shown('pdf'), ...shown('notes') };
}

/**
 * Takes a compiled deck to the disk. A browser measures how it fitted its slides (and prints its
 * PDFs) from a copy staged beside its place, which is moved into place only if every slide fits.
 * Without a browser the deck is written unmeasured: it still fits itself wherever it is opened.
 */
export async function publish(pending: PendingDeck, ctx: PublishContext): Promise<BriefingResult> {
  const { result, entry, paths, job } = pending;
  const printing = job.pdfPath !== undefined || job.notesPath !== undefined;
  if (entry.measured === entry.html && !printing) return writeDeck(pending, ctx);
  const stage = await ctx.stage();
  const unbrowsed = () => {
    ctx.noBrowser = stage.unavailable();
    if (printing) ctx.unprinted = true;
    return writeDeck(pending, ctx);
  };
  if (stage.start() !== undefined) return unbrowsed();
  let staged: StagedFile | undefined;
  try {
    staged = pending.onDisk ? undefined : await stageFile(paths.html, pending.html, true);
  } catch (error) {
    return cannotWrite(pending, ctx, error);
  }
  try {
    const accept = async () => {
      await staged?.commit();
      return paths.html;
    };
    const done = await stage.run({ ...job, htmlPath: staged?.path ?? paths.html, accept, mayContinue: pending.continueWith !== undefined });
    // Long slides that must continue: the deck is compiled again so, and that deck is published.
    if (done.plans !== undefined && pending.continueWith !== undefined) {
      await staged?.discard();
      staged = undefined;
      const continued = await pending.continueWith(done.plans);
      return 'entry' in continued ? publish(continued, ctx) : continued.result;
    }
    // A browser that would not start is no browser: the deck is written unmeasured.
    if (!done.accepted && stage.unavailable() !== undefined) return unbrowsed();
    result.diagnostics.push(...done.diagnostics);
    // A slide that cannot fit: nothing was written, and the last good outputs stay.
    if (!done.accepted) return result;
    entry.measured = entry.html;
    const written: BriefingResult['written'] = {};
    if (!pending.onDisk) {
      entry.htmlStamp = await fileStamp(paths.html);
      written.html = true;
    }
    if (done.pdf !== undefined && done.hash !== undefined) {
      entry.pdf = { html: entry.html, hash: done.hash, ...(await stampOf(paths.pdf)) };
      written.pdf = done.pages;
    }
    if (done.notes !== undefined) {
      entry.notes = { html: entry.html, hash: done.notes.hash, ...(await stampOf(paths.notes)) };
      written.notes = done.notes.pages;
    }
    result.written = written;
    ctx.cache.set(result.slug, entry);
    return { ...result, ...outputsOf(entry, paths, ctx) };
  } finally {
    await staged?.discard();
  }
}

async function stampOf(path: string): Promise<{ stamp?: string }> {
  const stamp = await fileStamp(path);
  return stamp === undefined ? {} : { stamp };
}

/** Writes a deck that needs no browser (measured before) or can have none (unmeasured). */
async function writeDeck(pending: PendingDeck, ctx: PublishContext): Promise<BriefingResult> {
  const { result, entry, paths } = pending;
  if (!pending.onDisk) {
    try {
      await writeFileAtomic(paths.html, pending.html);
    } catch (error) {
      return cannotWrite(pending, ctx, error);
    }
    entry.htmlStamp = await fileStamp(paths.html);
    result.written = { html: true };
  }
  ctx.cache.set(result.slug, entry);
  const unmeasured = entry.measured !== entry.html ? { unmeasured: true } : {};
  return { ...result, ...outputsOf(entry, paths, ctx), ...unmeasured };
}

function cannotWrite(pending: PendingDeck, ctx: PublishContext, error: unknown): BriefingResult {
  const { result, paths } = pending;
  result.diagnostics.push({ file: relative(ctx.cwd, paths.html), severity: 'error', rule: 'write', message: `cannot write the deck: ${describeFsError(error)}` });
  return result;
}
