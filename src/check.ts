// Check: everything `build` would find, and more, without writing outputs. Each briefing is
// validated, linted for content, rendered into a temporary folder, and examined in headless
// Chromium at its real size: slides that overflow even when fitted, and accessibility problems
// found by axe-core (contrast, image text, heading order, document language).

import { rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { audit, axeSource, colourDiagnostics, type Audit, type ColourCause } from './accessibility.js';
import { findBrowser } from './browser.js';
import { compileBriefing, loadToolkit, type CompiledBriefing } from './compile.js';
import { configuredBrowser, requireConfig } from './config.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import { overflowDiagnostics } from './fit.js';
import { lintBriefing } from './lint.js';
import { defaultJobs } from './pdf/batch.js';
import { unhideSlides, type PrintTab } from './pdf/print.js';
import { BrowserSession, isLostPage } from './pdf/session.js';

export interface CheckOptions {
  paths?: readonly string[];
  cwd?: string;
  executablePath?: string;
  timeoutMs?: number;
  /** A theme over the briefing's and the config's, as for build. */
  theme?: string;
}

export async function check(options: CheckOptions = {}): Promise<Diagnostic[]> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const files = await discoverBriefings(options.paths?.length ? options.paths : ['briefings'], cwd);
  const config = await requireConfig(cwd);
  const toolkit = await loadToolkit(config);
  const temp = await mkdtemp(join(tmpdir(), 'briefdeck-check-'));
  const diagnostics: Diagnostic[] = [];
  try {
    const rendered: { compiled: CompiledBriefing; htmlPath: string }[] = [];
    for (const [i, file] of files.entries()) {
      const compiled = await compileBriefing(file, toolkit, cwd, { config, ...(options.theme ? { theme: options.theme } : {}) });
      diagnostics.push(...compiled.diagnostics);
      if (compiled.valid) diagnostics.push(...lintBriefing(file, compiled.valid.briefing, compiled.valid.locate), ...(compiled.lints ?? []));
      if (compiled.html === undefined) continue;
      const htmlPath = join(temp, `${i}-${slugOf(file)}.html`);
      await writeFile(htmlPath, compiled.html);
      rendered.push({ compiled, htmlPath });
    }
    if (rendered.length === 0) return sortDiagnostics(diagnostics);
    const axe = await axeSource();
    const causes: ColourCause[] = [];
    const session = new BrowserSession(findBrowser(options.executablePath, process.env, configuredBrowser(config)));
    try {
      let next = 0;
      const worker = async () => {
        while (next < rendered.length) {
          const { compiled, htmlPath } = rendered[next++]!;
          const look = () => session.withTab((tab) => examine(tab, compiled, htmlPath, axe, options.timeoutMs ?? 60_000));
          // A page that lost its work under load gets one more try in a fresh tab.
          const found = await look().catch((error: unknown) => (isLostPage(error) ? look() : Promise.reject(error)));
          diagnostics.push(...found.diagnostics);
          causes.push(...found.causes);
        }
      };
      await Promise.all(Array.from({ length: Math.min(defaultJobs(), rendered.length) }, worker));
      // A colour shared through the config is one finding, however many briefings show it.
      diagnostics.push(...colourDiagnostics(causes));
    } finally {
      await session.close();
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return sortDiagnostics(diagnostics);
}

async function examine(tab: PrintTab, compiled: CompiledBriefing, htmlPath: string, axe: string, timeoutMs: number): Promise<Audit> {
  const deck = compiled.deck!;
  const locate = (index: number) => compiled.valid?.locate(['slides', index]);
  const { page, fits } = await tab.show(htmlPath, { timeoutMs });
  const viewport = page.viewport();
  try {
    // What the deck chose when it fitted itself, as it does in every view.
    // A long table or list that can continue is no problem: the build continues it on further slides.
    const overflow = overflowDiagnostics(compiled.file, deck, fits ?? [], locate, true);
    // All slides on screen at once, so that contrast is measured on every one of them.
    await page.setViewport({ width: deck.meta.width, height: deck.meta.height * deck.slides.length });
    await page.evaluate(unhideSlides);
    const found = await audit(page, compiled, axe);
    return { diagnostics: [...overflow, ...found.diagnostics], causes: found.causes };
  } finally {
    // The tab prints other decks next.
    await page.setViewport(viewport);
  }
}
