// Charts as native PowerPoint charts carrying their data (an embedded workbook), so a recipient
// edits the numbers, not a picture. Every series gets a colour from the deck's palette, repeated
// when short: pptxgenjs would otherwise pick random ones and no two builds would be the same.

import type * as P from './types.js';
import type { ChartValues as NativeChart } from '../chart/index.js';
import { pt } from './look.js';
import type { TextContext } from './text.js';

export type { ChartValues as NativeChart } from '../chart/index.js';

interface Where {
  x: number;
  y: number;
  w: number;
  h: number;
}

function palette(colours: readonly string[], count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => colours[i % colours.length]!);
}

export function addChart(slide: P.Slide, ctx: TextContext & { pptx: P.Pptx }, chart: NativeChart, where: Where): void {
  const { pptx, look } = ctx;
  const types = pptx.ChartType;
  const scatter = chart.kind === 'scatter' && chart.numericX;
  const type = { column: types.bar, bar: types.bar, line: types.line, area: types.area, scatter: scatter ? types.scatter : types.line, pie: types.pie }[chart.kind];
  const values = (v: (number | null)[]) => v.map((n) => (n === null ? (undefined as unknown as number) : n));
  const data = scatter
    ? [{ name: chart.xTitle ?? 'x', values: chart.labels.map(Number) }, ...chart.series.map((s) => ({ name: s.name, values: values(s.values) }))]
    : chart.series.map((s) => ({ name: s.name, labels: chart.labels, values: values(s.values) }));
  const size = pt(16 * ctx.scale);
  const options: P.ChartOptions = {
    ...where,
    chartColors: palette(look.palette, chart.kind === 'pie' ? chart.labels.length : chart.series.length),
    fontFace: look.font,
    showLegend: chart.kind === 'pie' || chart.series.length > 1,
    legendPos: chart.kind === 'pie' ? 'r' : 'b',
    legendFontSize: size,
    legendFontFace: look.font,
    legendColor: look.fg,
    catAxisLabelColor: look.muted,
    valAxisLabelColor: look.muted,
    catAxisLabelFontSize: size,
    valAxisLabelFontSize: size,
    catAxisLabelFontFace: look.font,
    valAxisLabelFontFace: look.font,
    valGridLine: { color: look.rule, size: 0.75 },
    catGridLine: { style: 'none' },
    catAxisLineShow: true,
    ...(chart.kind === 'column' ? { barDir: 'col' } : chart.kind === 'bar' ? { barDir: 'bar' } : {}),
    ...(chart.stacked && ['column', 'bar', 'area'].includes(chart.kind) ? { barGrouping: 'stacked' } : {}),
    ...(chart.kind === 'line' || (chart.kind === 'scatter' && !scatter) ? { lineDataSymbol: 'circle', lineDataSymbolSize: 6, lineSize: 2 } : {}),
    ...(scatter ? { lineSize: 0, lineDataSymbol: 'circle', lineDataSymbolSize: 8 } : {}),
    ...(chart.kind === 'pie' ? { showPercent: true, showValue: false, dataLabelColor: 'FFFFFF', dataLabelFontSize: size } : {}),
    ...(chart.xTitle && chart.kind !== 'pie' ? { showCatAxisTitle: true, catAxisTitle: chart.xTitle, catAxisTitleColor: look.muted, catAxisTitleFontSize: size } : {}),
    ...(chart.yTitle && chart.kind !== 'pie' ? { showValAxisTitle: true, valAxisTitle: chart.yTitle, valAxisTitleColor: look.muted, valAxisTitleFontSize: size } : {}),
  };
  slide.addChart(type as P.ChartName, data, options);
}
