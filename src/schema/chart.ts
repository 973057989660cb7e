// The `chart` slide's own fields: what to draw (kind, fields, titles, annotations) and where the
// numbers come from (inline rows, or a CSV or JSON file beside the briefing).

import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import { didYouMean } from '../diagnostics.js';
import {
  type ReadContext,
  type Path,
  anything,
  boolean,
  either,
  INVALID,
  list,
  number,
  object,
  oneOf,
  optional,
  string,
  type Schema,
} from './dsl.js';

export const CHART_KINDS = ['column', 'bar', 'line', 'area', 'scatter', 'pie'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
/** Kinds whose series may be stacked. */
export const STACKABLE: readonly ChartKind[] = ['column', 'bar', 'area'];

/** A value in a row of chart data: missing values are empty (null). */
export type DataValue = string | number | null;
export type DataRow = Record<string, DataValue>;

/** d3-format's own specifier grammar, so a bad format is found while validating. */
const D3_FORMAT = /^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$/i;
function checkFormat(value: string): string | undefined {
  const type = D3_FORMAT.exec(value)?.[10];
  if (D3_FORMAT.test(value) && (type === undefined || 'eEfgGrsn%pbodxXc'.includes(type))) return undefined;
  return `is not a d3-format specifier such as ",.1f", ".0%" or "~s" (got "${value}")`;
}

function checkDataFile(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return `must be a local file path, not a URL ("${value}")`;
  return /\.(csv|json)$/i.test(value) ? undefined : `must be a .csv or .json file, got "${value}"`;
}

/** Inline rows: a list of mappings from column name to a number, a string or nothing. */
function rows(): Schema<DataRow[]> {
  const schema: Schema<DataRow[]> = {
    expected: 'a list of rows',
    accepts: (node) => isSeq(node),
    read(node, path, ctx) {
      if (!isSeq(node)) return INVALID;
      let valid = true;
      const out: DataRow[] = [];
      node.items.forEach((raw, index) => {
        const item = ctx.resolve(raw);
        if (!isMap(item)) {
          ctx.error('type', `${ctx.path([...path, index])} must be a mapping of column to value, such as { month: 2024-01, level: 87.2 }`, item ?? raw);
          valid = false;
          return;
        }
        const row: DataRow = Object.create(null) as DataRow;
        for (const pair of item.items) {
          const key = ctx.resolve(pair.key);
          const value = ctx.resolve(pair.value);
          if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
            ctx.error('key', `${ctx.path([...path, index])} has a column name that is not a plain name`, pair.key ?? item);
            valid = false;
            continue;
          }
          const name = String(key.value);
          const scalar = value as Scalar | null;
          const v = scalar === null || scalar === undefined ? null : isScalar(scalar) ? scalar.value : undefined;
          if (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) row[name] = v as DataValue;
          else {
            ctx.error('type', `${ctx.path([...path, index, name])} must be a number, a text or nothing`, value ?? item);
            valid = false;
          }
        }
        out.push(row);
      });
      return valid ? out : INVALID;
    },
    toJson: () => ({
      type: 'array',
      items: { type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } },
      description: 'Rows of data, each a mapping from column to value',
    }),
  };
  return schema;
}

const field = (description: string) => string({ description });
/** Text drawn inside the chart: plain, since the chart is an image with its own text. */
const label = (description?: string) => string(description === undefined ? {} : { description });

export function chartFields(text: (description?: string) => Schema<string>, citeId: Schema<string>) {
  return {
    chart: oneOf(CHART_KINDS, 'What to draw: column | bar | line | area | scatter | pie'),
    data: either(
      string({ check: checkDataFile, description: 'A .csv or .json file beside the briefing' }),
      rows(),
    ),
    x: field('The field along the x axis (the categories of a column, bar or pie chart)'),
    y: either(field('A numeric field'), list(field('A numeric field'), { min: 1, description: 'Numeric fields, one series each' })),
    series: optional(object({}, { rest: label(), description: 'Display names of the y fields' })),
    stacked: optional(boolean('Stack the series (column, bar and area charts)')),
    'x-title': optional(label('Title of the x axis')),
    'y-title': optional(label('Title of the y axis')),
    'y-format': optional(string({ check: checkFormat, description: 'd3-format specifier for y values, such as ",.1f"' })),
    annotations: optional(
      list(
        object(
          {
            x: optional(either(string(), number())),
            y: optional(number()),
            label: label('Text beside the reference line'),
          },
          { exactlyOne: ['x', 'y'], description: 'A reference line across the chart at one x or y value' },
        ),
        { max: 6 },
      ),
    ),
    caption: optional(text()),
    cite: optional(citeId),
    'vega-lite': optional(
      object({}, { rest: anything(), description: 'A Vega-Lite spec for what the shorthand lacks; its data still comes only from `data`' }),
    ),
  };
}

interface ChartShape {
  chart: ChartKind;
  y: string | string[];
  series?: Record<string, string>;
  stacked?: boolean;
  annotations?: unknown[];
}

/** Checks across the chart's fields that need no data: what the kind allows, series names. */
export function refineChart(chart: ChartShape, node: YAMLMap, path: Path, ctx: ReadContext): boolean {
  const at = (key: string) => ctx.resolve(node.get(key, true)) ?? node;
  const ys = typeof chart.y === 'string' ? [chart.y] : chart.y;
  let valid = true;
  const fail = (key: string, message: string) => {
    ctx.error('chart', `${ctx.path([...path, key])} ${message}`, at(key));
    valid = false;
  };
  if (chart.chart === 'pie' && ys.length !== 1) fail('y', `must name one field for a pie chart, got ${ys.length}`);
  if (chart.stacked !== undefined && !STACKABLE.includes(chart.chart)) fail('stacked', `applies to ${STACKABLE.join(', ')} charts, not ${chart.chart}`);
  if (chart.chart === 'pie' && chart.annotations !== undefined) fail('annotations', 'cannot be drawn on a pie chart');
  const seen = new Set<string>();
  for (const y of ys) {
    if (seen.has(y)) fail('y', `names "${y}" twice`);
    seen.add(y);
  }
  const seriesNode = at('series');
  for (const name of Object.keys(chart.series ?? {})) {
    if (seen.has(name)) continue;
    const key = isMap(seriesNode) ? seriesNode.items.find((p) => isScalar(p.key) && String(p.key.value) === name)?.key : undefined;
    ctx.error('chart', `${ctx.path([...path, 'series'])} names "${name}", which is not one of the y fields (${ys.join(', ')})${didYouMean(name, ys)}`, key ?? seriesNode);
    valid = false;
  }
  return valid;
}
