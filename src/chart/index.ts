// The chart stage: every chart slide of a briefing drawn as static, accessible SVG at build time.
// Reads each slide's data (inline or a file beside the briefing), checks its fields, builds a
// Vega-Lite spec (the shorthand's, or the slide's own, checked) sized to the slide's content
// box, and renders it. Loaded only when a briefing has a chart (compile imports it on demand).

import { dirname } from 'node:path';
import { didYouMean, type Diagnostic, type Reporter } from '../diagnostics.js';
import { plainText } from '../markdown.js';
import type { Briefing, SlideOf } from '../schema/briefing.js';
import { fileTable, inlineTable, type ChartBriefing, type DataSource } from './data.js';
import { dataTable, summarize, type DataTableView } from './describe.js';
import { parseTime, readFields, asNumber, type ChartData } from './fields.js';
import { textMeasure } from './fonts.js';
import { chartLints } from './lint.js';
import { checkSpec } from './sandbox.js';
import { finishSpec, shorthandSpec, type Spec } from './spec.js';
import { chartTheme } from './theme.js';
import { renderSvg } from './vega.js';

export interface DrawnChart {
  /** The SVG markup, safe to inline: Vega escapes text, and the root carries the summary. */
  svg: string;
  summary: string;
  table: DataTableView;
  /** The numbers as read, for outputs that draw the chart themselves (a native PPTX chart). */
  values: ChartValues;
}

export interface ChartValues {
  kind: ChartData['kind'];
  stacked: boolean;
  /** Whether the x values are numbers (a scatter plot needs them). */
  numericX: boolean;
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  xTitle?: string;
  yTitle?: string;
}

export interface Charts {
  /** Drawn charts by the slide's index in the briefing. */
  charts: Map<number, DrawnChart>;
  /** Data files read (real paths): inputs of the deck. */
  files: string[];
  /** Content warnings for `check` (too many slices or series, missing titles...). */
  lints: Diagnostic[];
}

export interface ChartContext extends ChartBriefing {
  /** The briefing's absolute path. */
  path: string;
  /** The deck's stylesheets in order (base, theme, custom theme, brand): the chart's colours. */
  css: readonly string[];
  /** The slide's size and whether classification banners take room. */
  width: number;
  height: number;
  banners: boolean;
}

type ChartSlide = SlideOf<'chart'>;

/** Sizes from templates/styles/base.css, in px of the slide. */
const LAYOUT = { padX: 64, padTop: 36, padBottom: 12, footer: 40, banner: 28, titleSize: 44, titleLine: 1.12, headerRule: 19, headerGap: 28, captionGap: 12, captionSize: 18, captionLine: 1.35 };

/** The chart's drawing size: the slide's content box less the title and caption it sits with. */
async function chartBox(slide: ChartSlide, ctx: ChartContext): Promise<{ width: number; height: number }> {
  const measure = await textMeasure();
  const width = ctx.width - 2 * LAYOUT.padX;
  const lines = (text: string, size: number, weight: 400 | 700, spacing = 0) => Math.max(1, Math.ceil((measure.width(text, size, weight) + spacing * size * text.length) / width));
  const title = plainText(slide.title);
  const header = lines(title, LAYOUT.titleSize, 700, -0.01) * LAYOUT.titleSize * LAYOUT.titleLine + LAYOUT.headerRule + LAYOUT.headerGap;
  const captionText = [slide.caption ? plainText(slide.caption) : '', slide.cite ? '[10]' : ''].join(' ').trim();
  const caption = captionText === '' ? 0 : LAYOUT.captionGap + lines(captionText, LAYOUT.captionSize, 400) * LAYOUT.captionSize * LAYOUT.captionLine;
  const height = ctx.height - (ctx.banners ? 2 * LAYOUT.banner : 0) - LAYOUT.padTop - header - LAYOUT.padBottom - LAYOUT.footer - caption - 4;
  return { width, height: Math.floor(Math.max(160, height)) };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The root of Vega's SVG as an accessible image: a role, a label, a title and a description. */
function accessibleSvg(svg: string, title: string, summary: string): string {
  const open = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (open === undefined) return svg;
  const size = /\bwidth="[^"]*" height="[^"]*" viewBox="[^"]*"/.exec(open)?.[0] ?? '';
  const root = `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" ${size} role="img" aria-label="${escapeXml(`${title}. ${summary}`)}"><title>${escapeXml(title)}</title><desc>${escapeXml(summary)}</desc>`;
  return root + svg.slice(open.length);
}

/** An `x` annotation must name a place on the x axis the data has. */
function checkAnnotations(slide: ChartSlide, index: number, data: ChartData, ctx: ChartContext, reporter: Reporter): void {
  (slide.annotations ?? []).forEach((a, i) => {
    if (a.x === undefined) return;
    const text = String(a.x);
    const labels = data.points.map((p) => p.label);
    const where = ctx.locate(['slides', index, 'annotations', i, 'x']);
    const name = `${ctx.name(['slides', index, 'annotations', i, 'x'])} "${text}"`;
    if (data.xKind === 'time' && parseTime(text) === undefined) reporter.error('chart-annotation', `${name} must be a time written like the data's (YYYY, YYYY-MM or YYYY-MM-DD)`, where);
    else if (data.xKind === 'number' && asNumber(text) === undefined) reporter.error('chart-annotation', `${name} must be a number, as the x values are`, where);
    else if (data.xKind === 'category' && !labels.includes(text)) {
      reporter.error('chart-annotation', `${name} is not one of the x values${didYouMean(text, labels)}; they are ${quoted(labels)}`, where);
    }
  });
}

function quoted(labels: readonly string[]): string {
  return `${labels.slice(0, 8).map((l) => `"${l}"`).join(', ')}${labels.length > 8 ? ', …' : ''}`;
}

async function drawOne(slide: ChartSlide, index: number, ctx: ChartContext, reporter: Reporter, files: string[], lints: Diagnostic[]): Promise<DrawnChart | undefined> {
  const at = ['slides', index];
  const source: DataSource = { file: ctx.file, folder: dirname(ctx.path), cwd: ctx.cwd, locate: ctx.locate, name: ctx.name };
  const before = reporter.diagnostics.length;
  const table = typeof slide.data === 'string' ? await fileTable(slide.data, at, source, reporter, files) : inlineTable(slide.data, at, source);
  if (table === undefined) return undefined;
  const data = readFields(slide, index, table, source, reporter);
  if (data === undefined || reporter.diagnostics.slice(before).some((d) => d.severity === 'error')) return undefined;
  checkAnnotations(slide, index, data, ctx, reporter);
  const own = slide['vega-lite'];
  for (const problem of own === undefined ? [] : checkSpec(own)) {
    const path = [...at, 'vega-lite', ...problem.path];
    reporter.error('chart-spec', `${ctx.name(path)}: ${problem.message}`, ctx.locate(path));
  }
  if (reporter.diagnostics.slice(before).some((d) => d.severity === 'error')) return undefined;
  const theme = chartTheme(ctx.css);
  const box = await chartBox(slide, ctx);
  const spec: Spec = own === undefined ? shorthandSpec(slide, data, theme, box) : { ...(own as Spec), data: { values: data.records } };
  // A pie is round: the legend goes beside it, and the drawing no wider than both.
  const width = data.kind === 'pie' && own === undefined ? Math.min(box.width, box.height + 240) : box.width;
  const rendered = await renderSvg(finishSpec(spec, theme, width, box.height), `chart${index}-`);
  const place = ctx.locate(own === undefined ? at : [...at, 'vega-lite']);
  for (const problem of new Set(rendered.problems)) reporter.error('chart-render', `${ctx.name(own === undefined ? at : [...at, 'vega-lite'])}: ${problem}`, place);
  if (rendered.problems.length > 0) return undefined;
  lints.push(...chartLints(slide, index, data, ctx));
  const summary = summarize(data, slide['x-title']);
  const values: ChartValues = {
    kind: data.kind,
    stacked: slide.stacked === true,
    numericX: data.xKind === 'number',
    labels: data.points.map((p) => p.label),
    series: data.series.map((s, i) => ({ name: s.name, values: data.points.map((p) => p.values[i] ?? null) })),
    ...(slide['x-title'] ? { xTitle: slide['x-title'] } : {}),
    ...(slide['y-title'] ? { yTitle: slide['y-title'] } : {}),
  };
  return { svg: accessibleSvg(rendered.svg, plainText(slide.title), summary), summary, table: dataTable(data, slide['x-title']), values };
}

export async function drawCharts(briefing: Briefing, ctx: ChartContext, reporter: Reporter): Promise<Charts> {
  const charts = new Map<number, DrawnChart>();
  const files: string[] = [];
  const lints: Diagnostic[] = [];
  for (const [index, slide] of briefing.slides.entries()) {
    if (slide.type !== 'chart') continue;
    const drawn = await drawOne(slide, index, ctx, reporter, files, lints);
    if (drawn) charts.set(index, drawn);
  }
  return { charts, files, lints };
}
