// Chart lints for `check`: charts that draw but mislead or overload: a pie of many slices, more
// series than eyes can follow, bars that do not start at zero, numbers with no unit.

import type { Diagnostic } from '../diagnostics.js';
import type { SlideOf } from '../schema/briefing.js';
import type { ChartData } from './fields.js';
import type { ChartContext } from './index.js';

export const MAX_PIE_SLICES = 7;
export const MAX_SERIES = 6;

/** Whether a spec sets a scale that leaves out zero (`zero: false`, or a domain above zero). */
function leavesOutZero(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(leavesOutZero);
  if (value === null || typeof value !== 'object') return false;
  const scale = (value as { scale?: { zero?: unknown; domain?: unknown; domainMin?: unknown } }).scale;
  if (scale && typeof scale === 'object') {
    if (scale.zero === false) return true;
    const low = Array.isArray(scale.domain) ? scale.domain[0] : scale.domainMin;
    if (typeof low === 'number' && low > 0) return true;
  }
  return Object.values(value).some(leavesOutZero);
}

export function chartLints(slide: SlideOf<'chart'>, index: number, data: ChartData, ctx: ChartContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = ctx.name(['slides', index]);
  const warn = (rule: string, message: string, path: (string | number)[]) =>
    out.push({ file: ctx.file, ...ctx.locate(['slides', index, ...path]), severity: 'warning', rule, message: `${name} ${message}` });
  if (data.kind === 'pie' && data.points.length > MAX_PIE_SLICES) {
    warn('chart-pie-slices', `has ${data.points.length} slices; more than ${MAX_PIE_SLICES} cannot be told apart, use a bar chart`, ['x']);
  }
  if (data.series.length > MAX_SERIES) warn('chart-series', `has ${data.series.length} series; more than ${MAX_SERIES} cannot be told apart, split the chart`, ['y']);
  if ((data.kind === 'column' || data.kind === 'bar') && leavesOutZero(slide['vega-lite'])) {
    warn('chart-zero', 'has a value axis that does not start at zero; bar lengths then mislead', ['vega-lite']);
  }
  if (data.kind !== 'pie' && slide['y-title'] === undefined) warn('chart-axis-title', 'has no y-title; say what the numbers count and in what unit', ['y']);
  if (data.kind !== 'pie' && data.xKind === 'number' && slide['x-title'] === undefined) warn('chart-axis-title', 'has numbers along x but no x-title; say what they count and in what unit', ['x']);
  return out;
}
