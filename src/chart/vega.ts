// Vega: a Vega-Lite spec to static SVG at build time, in a sandbox. Nothing is loaded (a loader
// refuses every URL and records links), no code is generated (expressions are interpreted from
// their syntax tree, never compiled with eval or new Function), and every warning Vega or
// Vega-Lite gives is returned as a problem, since a refused load is otherwise only a warning.
// This module is imported only when a briefing has a chart.

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { embeddedWeight, textMeasure } from './fonts.js';
import type { Spec } from './spec.js';

export interface Rendered {
  svg: string;
  /** What Vega or Vega-Lite warned about, or refused; any makes the chart an error. */
  problems: string[];
}

interface Recorder {
  problems: string[];
}

/** A logger for Vega and Vega-Lite that records instead of printing. */
function recordingLogger(into: Recorder) {
  const say = (...args: unknown[]) => {
    into.problems.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  const logger = {
    level(level?: number) {
      return level === undefined ? vega.Warn : logger;
    },
    error: (...args: unknown[]) => (say(...args), logger),
    warn: (...args: unknown[]) => (say(...args), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** A loader that loads nothing: every URL is refused, every link sanitized to nothing. */
function refusingLoader(into: Recorder): vega.Loader {
  const refuse = (what: string) => async (uri: string) => {
    into.problems.push(`refused to ${what} "${uri}": a chart draws only the slide's own data`);
    throw new Error(`refused to ${what} "${uri}"`);
  };
  return {
    load: refuse('load'),
    http: refuse('load'),
    file: refuse('read'),
    // Rejecting here would crash the scenegraph: the link is recorded and made empty instead.
    sanitize: async (uri: string) => {
      into.problems.push(`refused the link "${uri}": a chart draws only the slide's own data`);
      return { href: '' };
    },
  } as unknown as vega.Loader;
}

/** Every id, `url(#…)` and `href="#…"` prefixed, so charts on one page never share an id. */
export function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/\b((?:xlink:)?href)="#([^"]+)"/g, `$1="#${prefix}$2"`);
}

let measuring: Promise<void> | undefined;

/** Makes Vega measure text with the deck's fonts (once per process). */
function measureWithDeckFonts(): Promise<void> {
  return (measuring ??= textMeasure().then((measure) => {
    const metrics = (vega as unknown as { textMetrics: { width: (item: Record<string, unknown>, text?: unknown) => number } }).textMetrics;
    metrics.width = (item, text) => {
      const value = text ?? item.text;
      const line = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value);
      const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
      return line === '' || size <= 0 ? 0 : measure.width(line, size, embeddedWeight(item.fontWeight));
    };
  }));
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Draws a Vega-Lite spec as SVG markup, its ids prefixed with `idPrefix`. One chart at a time:
 * Vega's id counters and text metrics are module-wide.
 */
export function renderSvg(spec: Spec, idPrefix: string): Promise<Rendered> {
  const next = queue.then(() => renderOne(spec, idPrefix));
  queue = next.catch(() => undefined);
  return next;
}

async function renderOne(spec: Spec, idPrefix: string): Promise<Rendered> {
  await measureWithDeckFonts();
  const record: Recorder = { problems: [] };
  const logger = recordingLogger(record);
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec as unknown as TopLevelSpec, { logger: logger as never }).spec;
    // The clip and gradient counters are module-wide: restarting them for every chart makes the
    // output independent of what was drawn before.
    vega.resetSVGDefIds();
    const runtime = vega.parse(compiled, undefined, { ast: true } as never);
    view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter, loader: refusingLoader(record), logger: logger as never, logLevel: vega.Warn } as never);
    const svg = await view.toSVG();
    return { svg: prefixIds(svg, idPrefix), problems: record.problems };
  } catch (error) {
    return { svg: '', problems: [...record.problems, (error as Error).message.split('\n')[0]!] };
  } finally {
    view?.finalize();
  }
}
