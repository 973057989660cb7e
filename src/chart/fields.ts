// Fields: a chart slide's x and y read against its data. The kind of x is inferred (a time when
// every value is YYYY, YYYY-MM or YYYY-MM-DD, a number when every value is numeric, otherwise
// categories in data order); every y value must be a number. Every problem is reported at once,
// at the value's place, with the data's columns suggested for a misspelt field.

import { didYouMean, type Reporter } from '../diagnostics.js';
import type { SlideOf } from '../schema/briefing.js';
import type { ChartKind, DataValue } from '../schema/chart.js';
import type { DataSource, DataTable, Place } from './data.js';

export type XKind = 'time' | 'number' | 'category';

export interface Series {
  /** The column in the data. */
  field: string;
  /** The name shown in the legend and the summary. */
  name: string;
}

export interface ChartPoint {
  /** The x value as drawn: a UTC timestamp for times, a number, or the category. */
  x: number | string;
  /** The x value as written in the data. */
  label: string;
  /** One value per series (null where missing). */
  values: (number | null)[];
}

export interface ChartData {
  kind: ChartKind;
  xField: string;
  xKind: XKind;
  /** How precise the times are, for axis labels: year, month or day. */
  timeUnit?: 'year' | 'month' | 'day';
  series: Series[];
  points: ChartPoint[];
  /** The data as read, for a spec written in Vega-Lite: one record per row. */
  records: Record<string, string | number | null>[];
}

const TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A time written YYYY, YYYY-MM or YYYY-MM-DD as a UTC timestamp, if it is a real one. */
export function parseTime(text: string): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), m[2] === undefined ? 1 : Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const date = new Date(t);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? t : undefined;
}

export function asNumber(value: DataValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

const textOf = (value: DataValue) => (value === null ? '' : String(value));

type ChartSlide = SlideOf<'chart'>;

export function yFields(slide: ChartSlide): string[] {
  return typeof slide.y === 'string' ? [slide.y] : slide.y;
}

/** Reads the slide's fields from its data; undefined (with errors reported) when it cannot. */
export function readFields(slide: ChartSlide, index: number, table: DataTable, source: DataSource, reporter: Reporter): ChartData | undefined {
  const at = ['slides', index];
  const report = (place: Place, message: string) => {
    if (place.file === reporter.file) reporter.error('chart-data', message, place.line === undefined ? undefined : { line: place.line, column: place.column ?? 1 });
    else reporter.diagnostics.push({ severity: 'error', rule: 'chart-data', message, ...place });
  };
  const slideName = source.name(at);
  const before = reporter.diagnostics.length;
  const also = table.inFile ? ` (${slideName})` : '';
  if (table.rows.length === 0) {
    reporter.error('chart-data', `${source.name([...at, 'data'])} has no rows`, source.locate([...at, 'data']));
    return undefined;
  }
  const columns = table.columns.join(', ');
  const unknown = (path: (string | number)[], name: string) => {
    const shown = source.name(path);
    reporter.error('chart-field', `${shown} "${name}" is not a column of ${table.name}${didYouMean(name, table.columns)}; the columns are ${columns}`, source.locate(path));
  };
  let ok = true;
  if (!table.columns.includes(slide.x)) {
    unknown([...at, 'x'], slide.x);
    ok = false;
  }
  const ys = yFields(slide);
  ys.forEach((y, i) => {
    if (table.columns.includes(y)) return;
    unknown(typeof slide.y === 'string' ? [...at, 'y'] : [...at, 'y', i], y);
    ok = false;
  });
  if (!ok) return undefined;

  const xi = table.columns.indexOf(slide.x);
  const xs = table.rows.map((row) => row[xi]!);
  xs.forEach((value, row) => {
    if (value === null) report(table.place(row, slide.x), `${table.rowName(row)} has no value for x ("${slide.x}")${also}`);
  });
  const values = ys.map((y) => {
    const yi = table.columns.indexOf(y);
    return table.rows.map((row, r) => {
      const value = row[yi]!;
      if (value === null) return null;
      const n = asNumber(value);
      if (n === undefined) report(table.place(r, y), `${table.rowName(r, y)}${table.inFile ? ':' : ''} "${textOf(value)}" is not a number${also}`);
      else if (slide.chart === 'pie' && n < 0) report(table.place(r, y), `${table.rowName(r, y)}${table.inFile ? ':' : ''} ${n} is negative; a pie chart shows parts of a whole, which cannot be less than nothing${also}`);
      return n ?? null;
    });
  });
  if (reporter.diagnostics.slice(before).some((d) => d.severity === 'error')) return undefined;

  const texts = xs.map(textOf);
  const categorical = slide.chart === 'column' || slide.chart === 'bar' || slide.chart === 'pie';
  const times = texts.map(parseTime);
  const xKind: XKind = !categorical && times.every((t) => t !== undefined) ? 'time' : !categorical && texts.every((t) => asNumber(t) !== undefined) ? 'number' : 'category';
  const precision = Math.max(...texts.map((t) => t.split('-').length));
  return {
    kind: slide.chart,
    xField: slide.x,
    xKind,
    ...(xKind === 'time' ? { timeUnit: (['year', 'month', 'day'] as const)[precision - 1]! } : {}),
    series: ys.map((field) => ({ field, name: (slide.series as Record<string, string> | undefined)?.[field] ?? field })),
    points: texts.map((label, r) => ({
      x: xKind === 'time' ? times[r]! : xKind === 'number' ? asNumber(label)! : label,
      label,
      values: values.map((v) => v[r]!),
    })),
    records: table.rows.map((row) => {
      const record: Record<string, string | number | null> = {};
      table.columns.forEach((c, i) => {
        const v = row[i]!;
        Object.defineProperty(record, c, { value: asNumber(v) ?? v, enumerable: true, writable: true, configurable: true });
      });
      return record;
    }),
  };
}
