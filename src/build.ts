// Build: the command behind `briefdeck build` and the `build()` API. Finds the briefings,
// compiles each, and writes `<out>/<slug>.html` for every one that has no errors; a briefing
// with errors writes nothing and leaves its previous output alone.

import { join, relative, resolve } from 'node:path';
import { compileBriefing, loadToolkit, type Toolkit } from './compile.js';
import { BriefdeckError, hasErrors, type Diagnostic } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import type { Deck } from './model.js';
import { writeFileAtomic } from './output.js';
import { renderPdfs, type PdfJob, type PdfOptions, type PdfResult } from './pdf/batch.js';

export interface BuildOptions {
  /** Briefing files or folders; default `briefings`. */
  paths?: readonly string[];
  /** Output folder; default `dist`. */
  outDir?: string;
  /** Folder that relative paths start from; default the process's working folder. */
  cwd?: string;
  /** Also print each deck to `<out>/<slug>.pdf` (true, or options for the PDF stage). */
  pdf?: boolean | PdfOptions;
  /** Called as each deck is written, for progress output. */
  onBriefing?: (result: BriefingResult) => void;
  /** Called as each PDF is written or fails. */
  onPdf?: (result: PdfResult) => void;
  toolkit?: Toolkit;
}

export interface BriefingResult {
  file: string;
  slug: string;
  /** The written deck, relative to cwd; absent when the briefing had errors. */
  html?: string;
  /** The written PDF, relative to cwd, when PDFs were asked for and this one succeeded. */
  pdf?: string;
  slideCount?: number;
  diagnostics: Diagnostic[];
}

export interface BuildResult {
  briefings: BriefingResult[];
  /** A failure of the whole command that is not one briefing's (no browser found, say). */
  error?: string;
  /** True when every briefing was built without errors. */
  ok: boolean;
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const outDir = resolve(cwd, options.outDir ?? 'dist');
  const files = await discoverBriefings(options.paths?.length ? options.paths : ['briefings'], cwd);
  const toolkit = options.toolkit ?? (await loadToolkit());
  const slugs = new Map<string, string>();
  const briefings: BriefingResult[] = [];
  const pdfJobs: (PdfJob & { result: BriefingResult })[] = [];
  for (const file of files) {
    const slug = slugOf(file);
    const { result, deck } = await buildOne(file, slug, slugs.get(slug), { cwd, outDir, toolkit });
    slugs.set(slug, slugs.get(slug) ?? file);
    briefings.push(result);
    options.onBriefing?.(result);
    if (result.html !== undefined && deck !== undefined) {
      pdfJobs.push({ file, deck, htmlPath: join(cwd, result.html), pdfPath: join(outDir, `${slug}.pdf`), result });
    }
  }
  let error: string | undefined;
  if (options.pdf) {
    try {
      await renderPdfs(pdfJobs, options.pdf === true ? {} : options.pdf, cwd, (pdf) => {
        const job = pdfJobs.find((j) => j.file === pdf.file)!;
        job.result.diagnostics.push(...pdf.diagnostics);
        if (pdf.pdf !== undefined) job.result.pdf = pdf.pdf;
        options.onPdf?.(pdf);
      });
    } catch (caught) {
      if (!(caught instanceof BriefdeckError)) throw caught;
      error = caught.message;
    }
  }
  const ok = error === undefined && briefings.every((b) => !hasErrors(b.diagnostics));
  return { briefings, ok, ...(error === undefined ? {} : { error }) };
}

async function buildOne(
  file: string,
  slug: string,
  clash: string | undefined,
  { cwd, outDir, toolkit }: { cwd: string; outDir: string; toolkit: Toolkit },
): Promise<{ result: BriefingResult; deck?: Deck }> {
  if (clash !== undefined) {
    const message = `both ${clash} and ${file} would be written to ${slug}.html; rename one of them`;
    return { result: { file, slug, diagnostics: [{ file, severity: 'error', rule: 'output-clash', message }] } };
  }
  const compiled = await compileBriefing(file, toolkit, cwd);
  const result: BriefingResult = { file, slug, diagnostics: compiled.diagnostics };
  if (compiled.html === undefined || hasErrors(compiled.diagnostics)) return { result };
  const target = join(outDir, `${slug}.html`);
  try {
    await writeFileAtomic(target, compiled.html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    result.diagnostics.push({ file: relative(cwd, target), severity: 'error', rule: 'write', message: `cannot write the deck: ${code}` });
    return { result };
  }
  return { result: { ...result, html: relative(cwd, target), slideCount: compiled.deck?.slides.length }, deck: compiled.deck };
}
