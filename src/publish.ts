// Publish: a compiled deck's way to the disk. A browser measures how the deck fitted its slides
// (see fit.ts) and prints the PDFs asked for, from a copy of the deck staged beside its place;
// the copy is moved into place only if every slide fits, together with the outputs written from
// the model at that fit (targets/), so a deck with a slide that cannot fit writes nothing and the
// last good outputs stay. Without a browser the deck is written unmeasured: it still fits itself
// wherever it is opened.

import { relative } from 'node:path';
import type { BriefingResult } from './build.js';
import { fileStamp, sha256, type BuildCache, type CacheEntry } from './cache.js';
import type { SlideFit } from './fit.js';
import { describeFsError, stageFile, type StagedFile } from './output.js';
import type { ContinuationPlans } from './continue.js';
import type { PdfJob } from './pdf/batch.js';
import type { PrintView } from './pdf/print.js';
import { drawPictures, type Pictures } from './pptx/pictures.js';
import type { BrowserStage } from './pdf/stage.js';
import { BROWSER_KINDS, EXTRA_KINDS, target, type ExtraKind, type ImageSettings, type OutputPaths, type TargetInput } from './targets/index.js';
import { imageVariant } from './targets/images.js';

export { outputPaths, type OutputPaths } from './targets/index.js';

/** The outputs a build is asked for besides the decks. */
export type Wanted = Record<ExtraKind, boolean>;

/** What publishing needs of the build. */
export interface PublishContext {
  cwd: string;
  cache: BuildCache;
  wanted: Wanted;
  /** How slide images and thumbnails are drawn. */
  images: ImageSettings;
  /** The browser stage, created on first use. */
  stage: () => Promise<BrowserStage>;
  /** Why no browser could measure (or print) a deck this build, once one could not. */
  noBrowser?: string;
  /** Set when a PDF was to be printed and no browser could print it. */
  unprinted?: boolean;
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
  /** What the model's outputs are made from. */
  model: Omit<TargetInput, 'scales'>;
  /** The outputs made from the model (the PPTX) that must be written. */
  toWrite: ExtraKind[];
  /** Compiles the briefing again with its long slides continued as the browser planned. */
  continueWith?: (plans: ContinuationPlans) => Promise<{ result: BriefingResult } | PendingDeck>;
}

/** The paths of a briefing's outputs that are up to date, relative to cwd. */
export function outputsOf(entry: CacheEntry, paths: OutputPaths, ctx: PublishContext): Pick<BriefingResult, 'html' | ExtraKind> {
  const shown = EXTRA_KINDS.filter((kind) => ctx.wanted[kind] && entry[kind]?.html === entry.html).map((kind) => [kind, relative(ctx.cwd, paths[kind])]);
  return { html: relative(ctx.cwd, paths.html), ...Object.fromEntries(shown) };
}

/** An output made from the model, staged beside its place until the deck is accepted. */
interface Made {
  kind: ExtraKind;
  file: StagedFile;
  hash: string;
}

/** Makes the model's outputs at the measured fit (scale 1 when unmeasured) and stages them. */
async function makeOutputs(pending: PendingDeck, scales: readonly number[] | undefined, pictures?: Pictures): Promise<Made[]> {
  const made: Made[] = [];
  try {
    for (const kind of pending.toWrite) {
      const bytes = await target(kind).write!({ ...pending.model, ...(scales ? { scales } : {}), ...(pictures ? { pictures } : {}) });
      made.push({ kind, file: await stageFile(pending.paths[kind], bytes), hash: sha256(bytes) });
    }
  } catch (error) {
    await Promise.all(made.map((m) => m.file.discard()));
    throw error;
  }
  return made;
}

async function commitOutputs(made: readonly Made[], pending: PendingDeck, fitted: boolean): Promise<void> {
  const { entry, paths, result } = pending;
  for (const m of made) {
    await m.file.commit();
    entry[m.kind] = { html: entry.html, hash: m.hash, ...(await stampOf(paths[m.kind])), ...(fitted ? { fitted: true } : {}) };
    result.written = { ...result.written, [m.kind]: true };
  }
}

/**
 * Takes a compiled deck to the disk. A browser measures how it fitted its slides (and prints its
 * PDFs) from a copy staged beside its place, which is moved into place only if every slide fits.
 * Without a browser the deck is written unmeasured: it still fits itself wherever it is opened.
 */
export async function publish(pending: PendingDeck, ctx: PublishContext): Promise<BriefingResult> {
  const { result, entry, paths, job } = pending;
  const printing = BROWSER_KINDS.some((kind) => job[`${kind}Path`] !== undefined);
  // Pictures PowerPoint cannot show are drawn by the browser each time the PPTX is written.
  const draws = pending.toWrite.some((kind) => target(kind).drawsPictures?.(pending.model));
  const needsFit = pending.toWrite.some((kind) => target(kind).usesFit) && (entry.scales === undefined || draws);
  if (entry.measured === entry.html && !printing && !needsFit) return writeDeck(pending, ctx);
  const stage = await ctx.stage();
  const unbrowsed = () => {
    ctx.noBrowser = stage.unavailable();
    if (printing) ctx.unprinted = true;
    return writeDeck(pending, ctx);
  };
  if (stage.start() !== undefined) return unbrowsed();
  let staged: StagedFile | undefined;
  // The model's outputs, made in Node once the deck is accepted, while the browser goes on to
  // print this deck's PDFs and the next decks: the tab is not held while a PPTX is written.
  let making: Promise<Made[] | { error: unknown }> | undefined;
  try {
    staged = pending.onDisk ? undefined : await stageFile(paths.html, pending.html, true);
  } catch (error) {
    return cannotWrite(pending, ctx, error);
  }
  try {
    // Every slide fits: the model's outputs are made at that fit; all move into place together
    // once they are made (the PDFs are printed from the staged deck meanwhile).
    const accept = async (fits: readonly SlideFit[] | undefined, view: PrintView) => {
      const scales = fits?.map((fit) => fit.scale);
      if (scales !== undefined) entry.scales = scales;
      const pictures = draws ? await drawPictures(view.page, pending.model.deck) : undefined;
      making = makeOutputs(pending, scales, pictures).catch((error: unknown) => ({ error }));
      return staged?.path ?? paths.html;
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
    const made = (await making) ?? [];
    if (!Array.isArray(made)) return cannotWrite(pending, ctx, made.error);
    try {
      await staged?.commit();
      await commitOutputs(made, pending, entry.scales !== undefined);
    } catch (error) {
      return cannotWrite(pending, ctx, error);
    }
    entry.measured = entry.html;
    const written: BriefingResult['written'] = { ...result.written };
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
    const variant = imageVariant(ctx.images);
    if (done.images !== undefined) {
      entry.images = { html: entry.html, hash: done.images.hash, ...(await stampOf(paths.images)), variant };
      written.images = done.images.count;
    }
    if (done.thumbnail !== undefined) {
      entry.thumbnail = { html: entry.html, hash: done.thumbnail.hash, ...(await stampOf(paths.thumbnail)), variant };
      written.thumbnail = true;
    }
    result.written = written;
    ctx.cache.set(result.slug, entry);
    return { ...result, ...outputsOf(entry, paths, ctx) };
  } finally {
    await staged?.discard();
    const made = await making;
    if (Array.isArray(made)) await Promise.all(made.map((m) => m.file.discard()));
  }
}

async function stampOf(path: string): Promise<{ stamp?: string }> {
  const stamp = await fileStamp(path);
  return stamp === undefined ? {} : { stamp };
}

/** Writes a deck that needs no browser (measured before) or can have none (unmeasured). */
async function writeDeck(pending: PendingDeck, ctx: PublishContext): Promise<BriefingResult> {
  const { result, entry, paths } = pending;
  const measured = entry.measured === entry.html ? entry.scales : undefined;
  let made: Made[] = [];
  let staged: StagedFile | undefined;
  try {
    made = await makeOutputs(pending, measured);
    staged = pending.onDisk ? undefined : await stageFile(paths.html, pending.html);
    await staged?.commit();
    if (staged !== undefined) {
      entry.htmlStamp = await fileStamp(paths.html);
      result.written = { html: true };
    }
    await commitOutputs(made, pending, measured !== undefined);
  } catch (error) {
    return cannotWrite(pending, ctx, error);
  } finally {
    await staged?.discard();
    await Promise.all(made.map((m) => m.file.discard()));
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
