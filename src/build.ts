// Build: the command behind `briefdeck build` and the `build()` API. Finds the briefings,
// compiles each, and writes `<out>/<slug>.html` for every one that has no errors; a briefing
// with errors writes nothing and leaves its previous output alone.

import { join, relative, resolve } from 'node:path';
import { compileBriefing, loadToolkit, type Toolkit } from './compile.js';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import { writeFileAtomic } from './output.js';

export interface BuildOptions {
  /** Briefing files or folders; default `briefings`. */
  paths?: readonly string[];
  /** Output folder; default `dist`. */
  outDir?: string;
  /** Folder that relative paths start from; default the process's working folder. */
  cwd?: string;
  /** Called as each briefing finishes, for progress output. */
  onBriefing?: (result: BriefingResult) => void;
  toolkit?: Toolkit;
}

export interface BriefingResult {
  file: string;
  slug: string;
  /** The written deck, relative to cwd; absent when the briefing had errors. */
  html?: string;
  slideCount?: number;
  diagnostics: Diagnostic[];
}

export interface BuildResult {
  briefings: BriefingResult[];
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
  for (const file of files) {
    const slug = slugOf(file);
    const result = await buildOne(file, slug, slugs.get(slug), { cwd, outDir, toolkit });
    slugs.set(slug, slugs.get(slug) ?? file);
    briefings.push(result);
    options.onBriefing?.(result);
  }
  return { briefings, ok: briefings.every((b) => !hasErrors(b.diagnostics)) };
}

async function buildOne(
  file: string,
  slug: string,
  clash: string | undefined,
  { cwd, outDir, toolkit }: { cwd: string; outDir: string; toolkit: Toolkit },
): Promise<BriefingResult> {
  if (clash !== undefined) {
    const message = `both ${clash} and ${file} would be written to ${slug}.html; rename one of them`;
    return { file, slug, diagnostics: [{ file, severity: 'error', rule: 'output-clash', message }] };
  }
  const compiled = await compileBriefing(file, toolkit, cwd);
  const result: BriefingResult = { file, slug, diagnostics: compiled.diagnostics };
  if (compiled.html === undefined || hasErrors(compiled.diagnostics)) return result;
  const target = join(outDir, `${slug}.html`);
  try {
    await writeFileAtomic(target, compiled.html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    result.diagnostics.push({ file: relative(cwd, target), severity: 'error', rule: 'write', message: `cannot write the deck: ${code}` });
    return result;
  }
  return { ...result, html: relative(cwd, target), slideCount: compiled.deck?.slides.length };
}
