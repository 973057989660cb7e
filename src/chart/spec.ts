// Spec: a chart slide's shorthand as a Vega-Lite spec, sized to the slide's content box and
// dressed in the deck's theme. Pure: data in, a plain JSON spec out.

import type { SlideOf } from '../schema/briefing.js';
import type { ChartData } from './fields.js';
import { CHART_FONT } from './fonts.js';
import { contrast, type ChartTheme } from './theme.js';

export type Spec = Record<string, unknown>;

/** Text sizes in px of a 1280×720 slide: axis labels stay readable at the back of a room. */
export const LABEL_SIZE = 18;
export const TITLE_SIZE = 20;

/** The theme as Vega-Lite config: fonts, sizes and colours; no ARIA of Vega's own (the root gets ours). */
export function themeConfig(theme: ChartTheme): Spec {
  const axis = {
    labelFont: CHART_FONT,
    titleFont: CHART_FONT,
    labelFontSize: LABEL_SIZE,
    titleFontSize: TITLE_SIZE,
    titleFontWeight: 600,
    labelColor: theme.foreground,
    titleColor: theme.foreground,
    gridColor: theme.rule,
    // A theme whose rules stand out (high contrast) would make the grid louder than the data.
    gridOpacity: contrast(theme.rule, theme.background) > 3 ? 0.4 : 1,
    domainColor: theme.muted,
    tickColor: theme.muted,
    labelPadding: 6,
    titlePadding: 12,
    labelLimit: 320,
  };
  return {
    aria: false,
    background: null,
    font: CHART_FONT,
    view: { stroke: null },
    axis,
    legend: {
      labelFont: CHART_FONT,
      titleFont: CHART_FONT,
      labelFontSize: LABEL_SIZE,
      titleFontSize: LABEL_SIZE,
      labelColor: theme.foreground,
      titleColor: theme.foreground,
      labelLimit: 360,
      symbolSize: 220,
      symbolStrokeWidth: 3,
      columnPadding: 24,
      orient: 'top',
      direction: 'horizontal',
      title: null,
    },
    title: { font: CHART_FONT, fontSize: TITLE_SIZE, color: theme.foreground },
    text: { font: CHART_FONT, fontSize: LABEL_SIZE, fill: theme.foreground },
    range: { category: theme.palette },
    mark: { color: theme.accent },
    line: { strokeWidth: 3.5 },
    point: { size: 90, filled: true },
    rule: { color: theme.muted },
    arc: { stroke: theme.background, strokeWidth: 2 },
  };
}

const TIME_FORMAT = { year: '%Y', month: '%b %Y', day: '%-d %b %Y' } as const;

type ChartSlide = SlideOf<'chart'>;

/** The shorthand's spec (without data sizes or config: see `finishSpec`). */
/** Ticks along a time axis at whole years, months or days, about one per `spacing` px. */
function timeTicks(data: ChartData, length: number, spacing = 130): { interval: string; step: number } {
  const xs = data.points.map((p) => p.x as number);
  const span = Math.max(...xs) - Math.min(...xs);
  const unit = data.timeUnit ?? 'month';
  const per = { year: 365.25, month: 30.44, day: 1 }[unit] * 86_400_000;
  const wanted = Math.max(1, (span / per) / Math.max(2, Math.floor(length / spacing)));
  const steps = unit === 'month' ? [1, 2, 3, 6, 12, 24, 60, 120] : unit === 'day' ? [1, 2, 7, 14, 28] : [1, 2, 5, 10, 20, 25, 50, 100];
  return { interval: unit, step: steps.find((s) => s >= wanted) ?? steps.at(-1)! };
}

export interface Box {
  width: number;
  height: number;
}

export function shorthandSpec(slide: ChartSlide, data: ChartData, theme: ChartTheme, box: Box): Spec {
  const multi = data.series.length > 1;
  const names = data.series.map((s) => s.name);
  const values = data.points.flatMap((p, order) =>
    p.values.map((v, i) => ({ x: p.x, label: p.label, series: names[i], value: v, order, rank: i })),
  );
  const format = slide['y-format'];
  if (data.kind === 'pie') {
    return {
      data: { values },
      mark: { type: 'arc', outerRadius: { expr: 'min(width, height) / 2' } },
      encoding: {
        theta: { field: 'value', type: 'quantitative', stack: true },
        color: { field: 'label', type: 'nominal', sort: data.points.map((p) => p.label), scale: { range: theme.palette }, legend: { orient: 'right', direction: 'vertical', title: slide['x-title'] ?? null } },
        order: { field: 'order', type: 'quantitative' },
      },
    };
  }
  const horizontal = data.kind === 'bar';
  const category = data.kind === 'column' || data.kind === 'bar';
  const stacked = slide.stacked === true;
  const xType = data.xKind === 'time' ? 'temporal' : data.xKind === 'number' ? 'quantitative' : category ? 'nominal' : 'ordinal';
  const xEncoding = {
    field: 'x',
    type: xType,
    ...(xType === 'temporal' ? { scale: { type: 'utc' }, axis: { format: TIME_FORMAT[data.timeUnit ?? 'month'], tickCount: timeTicks(data, box.width), labelOverlap: true, grid: false } } : {}),
    ...(xType === 'nominal' || xType === 'ordinal' ? { sort: null, axis: { labelAngle: 0, labelOverlap: 'greedy', grid: false } } : {}),
    ...(xType === 'quantitative' ? { scale: { zero: false }, axis: { grid: false, tickCount: Math.round(box.width / 160) } } : {}),
    title: slide['x-title'] ?? (category ? null : data.xField),
  };
  const yEncoding = {
    field: 'value',
    type: 'quantitative',
    title: slide['y-title'] ?? (multi ? null : names[0]),
    axis: { tickCount: Math.round((horizontal ? box.width : box.height) / (horizontal ? 160 : 70)), ...(format ? { format } : {}) },
    ...(category || data.kind === 'area' ? { stack: stacked ? 'zero' : null } : {}),
    ...(data.kind === 'scatter' || data.kind === 'line' ? { scale: { zero: false } } : {}),
  };
  const colour = multi
    ? { color: { field: 'series', type: 'nominal', sort: names, scale: { domain: names, range: theme.palette.slice(0, Math.max(names.length, 1)) } } }
    : {};
  const offset = multi && category && !stacked ? { [horizontal ? 'yOffset' : 'xOffset']: { field: 'series', sort: names } } : {};
  const mark =
    data.kind === 'line'
      ? { type: 'line', point: data.points.length <= 24 }
      : data.kind === 'area'
        ? { type: 'area', line: true, opacity: stacked ? 0.85 : 0.35 }
        : data.kind === 'scatter'
          ? { type: 'point' }
          : { type: 'bar', ...(horizontal ? { cornerRadiusEnd: 2 } : { cornerRadiusEnd: 2 }) };
  const encoding = {
    [horizontal ? 'y' : 'x']: xEncoding,
    [horizontal ? 'x' : 'y']: yEncoding,
    ...colour,
    ...offset,
    order: { field: 'rank', type: 'quantitative' },
  };
  const main = { mark, encoding };
  const annotations = (slide.annotations ?? []).flatMap((a) => annotationLayers(a, data, horizontal, theme));
  return annotations.length === 0 ? { data: { values }, ...main } : { data: { values }, layer: [main, ...annotations] };
}

/** A reference line and its label: `y` on the value axis, `x` on the category or x axis. */
function annotationLayers(a: NonNullable<ChartSlide['annotations']>[number], data: ChartData, horizontal: boolean, theme: ChartTheme): Spec[] {
  const onValue = a.y !== undefined;
  // Along which screen axis the line is fixed: a value on a column chart is a horizontal line.
  const fixedY = onValue !== horizontal;
  const datum = onValue ? a.y! : data.xKind === 'time' ? annotationTime(a.x!) : data.xKind === 'number' ? Number(a.x) : String(a.x);
  const type = onValue || data.xKind === 'number' ? 'quantitative' : data.xKind === 'time' ? 'temporal' : horizontal || data.kind === 'column' ? 'nominal' : 'ordinal';
  // A one-row data set of its own: Vega-Lite mishandles a temporal `datum`.
  const position = { field: 'at', type };
  const values = { values: [{ at: datum, label: a.label }] };
  const rule = { data: values, mark: { type: 'rule', strokeDash: [8, 6], strokeWidth: 2, color: theme.muted }, encoding: { [fixedY ? 'y' : 'x']: position } };
  const label = {
    data: values,
    mark: fixedY
      ? { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -6, fontSize: LABEL_SIZE, fontWeight: 600, fill: theme.foreground }
      : { type: 'text', align: 'left', baseline: 'top', dx: 8, dy: 4, fontSize: LABEL_SIZE, fontWeight: 600, fill: theme.foreground },
    encoding: { [fixedY ? 'y' : 'x']: position, [fixedY ? 'x' : 'y']: { value: 0 }, text: { field: 'label' } },
  };
  return [rule, label];
}

function annotationTime(x: string | number): number | string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(x));
  return m ? Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1) : String(x);
}

/** The size of the drawing and the theme, over what the spec says. */
export function finishSpec(spec: Spec, theme: ChartTheme, width: number, height: number): Spec {
  const config = spec.config && typeof spec.config === 'object' ? spec.config : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 4,
    ...spec,
    config: { ...themeConfig(theme), ...config },
  };
}
