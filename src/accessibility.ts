// Accessibility: axe-core run in a deck, its findings turned into diagnostics, one per cause at
// the line that causes it. A brand colour or a theme that fails contrast is one finding at its
// `accent:`, `primary:` or `theme:` line, however many slides and briefings show it; any other
// finding is one per slide and rule, at the slide.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import type { Look, Origin } from './branding.js';
import { contrast, luminance, reachContrast, rgbToHex } from './colour.js';
import type { CompiledBriefing } from './compile.js';
import type { Diagnostic, Position, Severity } from './diagnostics.js';
import type { DeckSlide } from './model.js';
import { THEMES } from './schema/briefing.js';
import { deckSlideName } from './slide-name.js';

/** axe-core rules that speak to a briefing deck, and how much each failure matters. */
export const AXE_RULES: Readonly<Record<string, Severity>> = {
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

/** What a brand colour should reach to be safe everywhere it is used (body text and links). */
const TEXT_CONTRAST = 4.5;

interface AxeFinding {
  rule: string;
  help: string;
  detail: string;
  slide?: number;
  /** For contrast: the colours measured, as #rrggbb, the ratio found and the one needed. */
  fg?: string;
  bg?: string;
  ratio?: number;
  needed?: number;
}

declare global {
  interface Window {
    axe: {
      run(context: unknown, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[]; any: AxeCheck[]; all: AxeCheck[]; none: AxeCheck[] }[] }[] }>;
    };
  }
}

interface AxeCheck {
  message: string;
  data?: { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | null;
}

export async function axeSource(): Promise<string> {
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
      const data = check?.data ?? {};
      return {
        rule: violation.id,
        help: violation.help,
        detail: check?.message ?? '',
        slide: section ? Number(section.dataset.slideNumber) : undefined,
        fg: data.fgColor?.toLowerCase(),
        bg: data.bgColor?.toLowerCase(),
        ratio: data.contrastRatio,
        needed: data.expectedContrastRatio === undefined ? undefined : parseFloat(data.expectedContrastRatio),
      };
    }),
  );
}

type Origins = NonNullable<Look['origins']>;

/** A colour the briefing or the config chose that fails contrast somewhere. */
export interface ColourCause {
  field: 'accent' | 'primary' | 'theme';
  origin: Origin;
  /** The brand colour as measured (#rrggbb); for a theme, its failing text colour. */
  colour: string;
  /** The pair with the lowest contrast found, and what the text there needed. */
  fg: string;
  bg: string;
  ratio: number;
  needed: number;
  /** The colours it was measured against (backgrounds, or text on it), for the suggestion. */
  against: string[];
  /** Where it shows: briefing and slide, one entry per element. */
  seen: { file: string; slide: string }[];
}

function causeKey(cause: ColourCause): string {
  const { field, origin } = cause;
  return [field, origin.file, origin.where?.line, origin.where?.column, field === 'theme' ? cause.colour : ''].join('|');
}

/** Adds `more` to the causes by key: the worst pair wins, places and colours add up. */
function addCause(causes: Map<string, ColourCause>, more: ColourCause): void {
  const key = causeKey(more);
  const known = causes.get(key);
  if (known === undefined) {
    causes.set(key, { ...more, against: [...more.against], seen: [...more.seen] });
    return;
  }
  if (more.ratio < known.ratio) Object.assign(known, { fg: more.fg, bg: more.bg, ratio: more.ratio });
  known.needed = Math.max(known.needed, more.needed);
  for (const colour of more.against) if (!known.against.includes(colour)) known.against.push(colour);
  known.seen.push(...more.seen);
}

export interface Audit {
  diagnostics: Diagnostic[];
  causes: ColourCause[];
}

/** The brand colours as the browser computes them (names such as darkorange become #ff8c00). */
async function measuredColours(page: Page, origins: Origins): Promise<Partial<Record<'accent' | 'primary', string>>> {
  const fields = (['accent', 'primary'] as const).filter((f) => origins[f] !== undefined);
  const values = await page.evaluate(
    (colours: string[]) =>
      colours.map((colour) => {
        const probe = document.createElement('span');
        probe.style.color = colour;
        document.body.append(probe);
        const computed = getComputedStyle(probe).color;
        probe.remove();
        return computed;
      }),
    fields.map((f) => origins[f]!.value),
  );
  return Object.fromEntries(fields.map((f, i) => [f, rgbToHex(values[i]!)]));
}

/** Where a slide (or, without one, the document) sits in the briefing. */
function slidePath(slide: DeckSlide | undefined, rule: string): (string | number)[] | undefined {
  if (slide?.sourceIndex !== undefined) return ['slides', slide.sourceIndex];
  if (slide !== undefined) return slide.kind === 'title' ? ['title'] : [slide.kind];
  if (rule === 'document-title') return ['title'];
  if (rule === 'html-has-lang' || rule === 'html-lang-valid') return ['lang'];
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Runs axe-core in the deck on `page` (every slide laid out) and groups what it finds by cause. */
export async function audit(page: Page, compiled: CompiledBriefing, axe: string): Promise<Audit> {
  const deck = compiled.deck!;
  const origins = compiled.origins ?? {};
  await page.evaluate(axe);
  const findings = await page.evaluate(runAxe, Object.keys(AXE_RULES));
  const brand = await measuredColours(page, origins);
  const customTheme = origins.theme !== undefined && !(THEMES as readonly string[]).includes(origins.theme.value) ? origins.theme : undefined;
  const causes = new Map<string, ColourCause>();
  const groups = new Map<string, { finding: AxeFinding; slide?: DeckSlide; count: number }>();
  for (const finding of findings) {
    const slide = finding.slide === undefined ? undefined : deck.slides[finding.slide - 1];
    const { fg, bg, ratio, needed } = finding;
    if (finding.rule === 'color-contrast' && fg && bg && ratio !== undefined && needed !== undefined) {
      const field = (['accent', 'primary'] as const).find((f) => brand[f] !== undefined && (brand[f] === fg || brand[f] === bg)) ?? (customTheme ? 'theme' : undefined);
      if (field !== undefined) {
        const colour = field === 'theme' ? fg : brand[field]!;
        const origin = field === 'theme' ? customTheme! : origins[field]!;
        const seen = { file: compiled.file, slide: slide ? deckSlideName(slide) : 'the deck' };
        addCause(causes, { field, origin, colour, fg, bg, ratio, needed, against: [colour === fg ? bg : fg], seen: [seen] });
        continue;
      }
    }
    const key = [finding.rule, finding.slide, fg && bg ? `${fg} ${bg}` : `${finding.help} ${finding.detail}`].join('|');
    const group = groups.get(key) ?? { finding, ...(slide ? { slide } : {}), count: 0 };
    group.count++;
    groups.set(key, group);
  }
  const diagnostics = [...groups.values()].map(({ finding, slide, count }): Diagnostic => {
    const path = slidePath(slide, finding.rule);
    const where: Position = (path && compiled.valid?.locate(path)) ?? { line: 1, column: 1 };
    const what =
      finding.fg && finding.bg && finding.ratio !== undefined
        ? `text in ${finding.fg} on ${finding.bg} has a contrast of ${finding.ratio}:1; it needs ${finding.needed}:1`
        : `${finding.help}${finding.detail ? `: ${finding.detail}` : ''}`;
    return {
      file: compiled.file,
      ...where,
      severity: AXE_RULES[finding.rule] ?? 'warning',
      rule: finding.rule,
      message: `${slide ? `${deckSlideName(slide)}: ` : ''}${what}${count > 1 ? ` (${count} elements)` : ''}`,
    };
  });
  return { diagnostics, causes: [...causes.values()] };
}

/** The colour nearest to `colour` that reaches `ratio` against every colour in `against`. */
function suggestColour(colour: string, against: readonly string[], ratio: number): string | undefined {
  let out: string | undefined = colour;
  for (const other of against) if (out !== undefined && (contrast(out, other) ?? 0) < ratio) out = reachContrast(out, other, ratio);
  return out;
}

/**
 * One diagnostic per colour cause, at the line that set the colour, however many briefings share
 * it (a brand in the config shows in all of them).
 */
export function colourDiagnostics(causes: readonly ColourCause[]): Diagnostic[] {
  const merged = new Map<string, ColourCause>();
  for (const cause of causes) addCause(merged, cause);
  return [...merged.values()].map((cause) => {
    const { field, origin, colour, fg, bg, ratio, needed, seen } = cause;
    const first = [...seen].sort((a, b) => a.file.localeCompare(b.file))[0]!;
    // A theme given on the command line has no line to point at: the first briefing that shows it stands in.
    const flag = origin.file === '--theme';
    const file = flag ? first.file : origin.file;
    const slides = new Set(seen.map((s) => `${s.file} ${s.slide}`)).size;
    const files = new Set(seen.map((s) => s.file));
    const where = `${plural(seen.length, 'element')} on ${plural(slides, 'slide')}${files.size > 1 ? ` of ${files.size} briefings` : ''}, first on ${first.slide}${files.size > 1 || file !== first.file ? ` of ${first.file}` : ''}`;
    const shown = field === 'theme' ? `${flag ? '--theme' : 'theme'} "${origin.value}": text in ${colour}` : `brand.${field} "${origin.value}"${origin.value.toLowerCase() === colour ? '' : ` (${colour})`}`;
    let fix = 'choose a colour with more contrast';
    if (field !== 'theme') {
      const suggestion = suggestColour(colour, cause.against, Math.max(needed, TEXT_CONTRAST) + 0.1);
      const direction = (luminance(cause.against[0]!) ?? 1) > 0.18 ? 'darker' : 'lighter';
      if (suggestion !== undefined) fix = `a ${direction} colour such as "${suggestion}" passes everywhere`;
    }
    return {
      file,
      ...(flag ? {} : origin.where),
      severity: 'error',
      rule: 'color-contrast',
      message: `${shown} has a contrast of ${ratio}:1 ${colour === bg && field !== 'theme' ? `with text in ${fg}` : `on ${bg}`}; text needs ${needed}:1 (${where}); ${fix}`,
    };
  });
}
