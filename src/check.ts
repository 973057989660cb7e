// Check: everything `build` would find, and more, without writing outputs. Each briefing is
// validated, linted for content, rendered into a temporary folder, and examined in headless
// Chromium at its real size: slides that overflow even when fitted, and accessibility problems
// found by axe-core (contrast, image text, heading order, document language).

import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBrowser } from './browser.js';
import { compileBriefing, loadToolkit, type CompiledBriefing } from './compile.js';
import { requireConfig } from './config.js';
import { sortDiagnostics, type Diagnostic, type Severity } from './diagnostics.js';
import { discoverBriefings, slugOf } from './discover.js';
import { overflowDiagnostics } from './fit.js';
import { lintBriefing } from './lint.js';
import { defaultJobs } from './pdf/batch.js';
import { unhideSlides, type PrintTab } from './pdf/print.js';
import { BrowserSession } from './pdf/session.js';

export interface CheckOptions {
  paths?: readonly string[];
  cwd?: string;
  executablePath?: string;
  timeoutMs?: number;
}

/** axe-core rules that speak to a briefing deck, and how much each failure matters. */
const AXE_RULES: Readonly<Record<string, Severity>> = {
  'color-contrast': 'error',
  'image-alt': 'error',
  'html-has-lang': 'error',
  'html-lang-valid': 'error',
  'document-title': 'error',
  'link-name': 'error',
  'heading-order': 'warning',
  'empty-heading': 'warning',
  'image-redundant-alt': 'warning',
  'duplicate-id': 'warning',
  list: 'warning',
  listitem: 'warning',
};

interface AxeFinding {
  rule: string;
  help: string;
  detail: string;
  slide?: number;
}

declare global {
  interface Window {
    axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[]; any: { message: string }[]; all: { message: string }[]; none: { message: string }[] }[] }[] }> };
  }
}

async function axeSource(): Promise<string> {
  return readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
}

/** Runs in the page after axe-core was evaluated there. */
async function runAxe(rules: string[]): Promise<AxeFinding[]> {
  const result = await window.axe.run(
    { exclude: [['.reveal .controls'], ['.reveal .progress'], ['.reveal .slide-number'], ['.reveal .speaker-notes']] },
    { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] },
  );
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const element = document.querySelector(node.target[0] ?? '');
      const section = element?.closest<HTMLElement>('section[data-slide-number]');
      const check = [...node.any, ...node.all, ...node.none][0];
      return {
        rule: violation.id,
        help: violation.help,
        detail: check?.message ?? '',
        slide: section ? Number(section.dataset.slideNumber) : undefined,
      };
    }),
  );
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
      const compiled = await compileBriefing(file, toolkit, cwd, { config });
      diagnostics.push(...compiled.diagnostics);
      if (compiled.valid) diagnostics.push(...lintBriefing(file, compiled.valid.briefing, compiled.valid.locate), ...(compiled.lints ?? []));
      if (compiled.html === undefined) continue;
      const htmlPath = join(temp, `${i}-${slugOf(file)}.html`);
      await writeFile(htmlPath, compiled.html);
      rendered.push({ compiled, htmlPath });
    }
    if (rendered.length === 0) return sortDiagnostics(diagnostics);
    const axe = await axeSource();
    const session = new BrowserSession(findBrowser(options.executablePath));
    try {
      let next = 0;
      const worker = async () => {
        while (next < rendered.length) {
          const { compiled, htmlPath } = rendered[next++]!;
          diagnostics.push(...(await session.withTab((tab) => examine(tab, compiled, htmlPath, axe, options.timeoutMs ?? 60_000))));
        }
      };
      await Promise.all(Array.from({ length: Math.min(defaultJobs(), rendered.length) }, worker));
    } finally {
      await session.close();
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return sortDiagnostics(diagnostics);
}

async function examine(
  tab: PrintTab,
  compiled: CompiledBriefing,
  htmlPath: string,
  axe: string,
  timeoutMs: number,
): Promise<Diagnostic[]> {
  const deck = compiled.deck!;
  const locate = (index: number) => compiled.valid?.locate(['slides', index]);
  const { page, fits } = await tab.show(htmlPath, { notes: false, timeoutMs });
  const viewport = page.viewport();
  try {
    // What the deck chose when it fitted itself, as it does in every view.
    // A long table or list that can continue is no problem: the build continues it on further slides.
    const out = overflowDiagnostics(compiled.file, deck, fits ?? [], locate, true);
    // All slides on screen at once, so that contrast is measured on every one of them.
    await page.setViewport({ width: deck.meta.width, height: deck.meta.height * deck.slides.length });
    await page.evaluate(unhideSlides);
    await page.evaluate(axe);
    const findings = await page.evaluate(runAxe, Object.keys(AXE_RULES));
    for (const finding of findings) {
      const slide = finding.slide === undefined ? undefined : deck.slides[finding.slide - 1];
      const where = slide?.sourceIndex === undefined ? undefined : locate(slide.sourceIndex);
      const name = slide ? `slide ${finding.slide} "${slide.outlineTitle}": ` : '';
      out.push({
        file: compiled.file,
        ...where,
        severity: AXE_RULES[finding.rule] ?? 'warning',
        rule: finding.rule,
        message: `${name}${finding.help}${finding.detail ? `: ${finding.detail}` : ''}`,
      });
    }
    return out;
  } finally {
    // The tab prints other decks next.
    await page.setViewport(viewport);
  }
}
