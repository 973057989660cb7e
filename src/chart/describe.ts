// Words for a chart, for those who cannot see it: a one-sentence summary (the kind, the series,
// the range of x and of each series) for the SVG's label, and the data as a table.

import type { ChartData } from './fields.js';

const KIND_NAMES = { column: 'Column chart', bar: 'Bar chart', line: 'Line chart', area: 'Area chart', scatter: 'Scatter plot', pie: 'Pie chart' } as const;

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function summarize(data: ChartData, xTitle: string | undefined): string {
  const names = data.series.map((s) => s.name);
  const kind = KIND_NAMES[data.kind];
  const first = data.points[0]!.label;
  const last = data.points.at(-1)!.label;
  if (data.kind === 'pie') {
    const total = data.points.reduce((sum, p) => sum + (p.values[0] ?? 0), 0);
    const parts = data.points.map((p) => `${p.label} ${number.format(p.values[0] ?? 0)}${total > 0 ? ` (${Math.round(((p.values[0] ?? 0) / total) * 100)}%)` : ''}`);
    return `${kind} of ${names[0]} by ${xTitle ?? data.xField}: ${list(parts)}.`;
  }
  const along = data.kind === 'column' || data.kind === 'bar' ? `${data.points.length} ${xTitle ?? data.xField} values, ${first} to ${last}` : `${xTitle ?? data.xField} from ${first} to ${last}`;
  const ranges = data.series.map((s, i) => {
    const values = data.points.map((p) => p.values[i]).filter((v): v is number => v !== null);
    if (values.length === 0) return `${s.name} has no values`;
    const min = Math.min(...values);
    const max = Math.max(...values);
    const at = (v: number) => data.points.find((p) => p.values[i] === v)!.label;
    return min === max ? `${s.name} is ${number.format(min)} throughout` : `${s.name} ranges from ${number.format(min)} (${at(min)}) to ${number.format(max)} (${at(max)})`;
  });
  return `${kind} of ${list(names)} over ${along}; ${ranges.join('; ')}.`;
}

export interface DataTableView {
  columns: string[];
  rows: string[][];
}

export function dataTable(data: ChartData, xTitle: string | undefined): DataTableView {
  return {
    columns: [xTitle ?? data.xField, ...data.series.map((s) => s.name)],
    rows: data.points.map((p) => [p.label, ...p.values.map((v) => (v === null ? '' : String(v)))]),
  };
}
