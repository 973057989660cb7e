// Chart data: the rows a chart slide draws, from inline rows in the briefing or from a CSV or
// JSON file beside it (read with the same confinement as images), each value with the place it
// was written, so that a bad value is reported at its line and column in whichever file holds it.

import { relative } from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { Reporter, type Position } from '../diagnostics.js';
import { readContained } from '../images.js';
import { parseBriefing } from '../parse.js';
import type { DataRow, DataValue } from '../schema/chart.js';

export const MAX_DATA_BYTES = 5 * 1024 * 1024;
/** More rows than any slide can show legibly; a file past this is a mistake, not a chart. */
export const MAX_DATA_ROWS = 5000;

/** A place in a file: the briefing, or the data file. */
export interface Place extends Partial<Position> {
  file: string;
}

export interface DataTable {
  /** The data as named in messages: `slides[2].data` or `data/lake.csv`. */
  name: string;
  columns: string[];
  /** One value per column; a missing value is null. */
  rows: DataValue[][];
  /** Where a row (or one of its values) was written. */
  place(row: number, column?: string): Place;
  /** A row, or a value in it, as named in messages: `slides[2].data[3].level`, `row 4`. */
  rowName(row: number, column?: string): string;
  /** Whether the data is in a file of its own (messages then name the slide too). */
  inFile: boolean;
}

/** The briefing a chart comes from, as its messages place and name things in it. */
export interface ChartBriefing {
  /** The briefing as given (relative to the working folder), for diagnostics. */
  file: string;
  cwd: string;
  /** Where a value of the briefing is written. */
  locate(path: (string | number)[]): Position | undefined;
  /** A path of the briefing as messages name it (`slide 4 (slides[2]) "Title": data`). */
  name(path: (string | number)[]): string;
}

/** Where the chart stage reads from and reports to. */
export interface DataSource extends ChartBriefing {
  /** The briefing's folder (absolute): data files must be inside it. */
  folder: string;
}

/** Inline rows: each value's place is its YAML node in the briefing. */
export function inlineTable(rows: readonly DataRow[], at: (string | number)[], source: DataSource): DataTable {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return {
    name: 'the slide\'s data',
    columns,
    rows: rows.map((row) => columns.map((c) => (Object.hasOwn(row, c) ? row[c]! : null))),
    place: (row, column) => ({ file: source.file, ...(source.locate(column === undefined ? [...at, 'data', row] : [...at, 'data', row, column]) ?? source.locate([...at, 'data'])) }),
    rowName: (row, column) => source.name(column === undefined ? [...at, 'data', row] : [...at, 'data', row, column]),
    inFile: false,
  };
}

/**
 * Reads a data file named by a chart slide. Problems in the file itself are reported at their
 * line and column in it; a file that cannot be read is reported at the slide's `data` key.
 */
export async function fileTable(src: string, at: (string | number)[], source: DataSource, reporter: Reporter, files: string[]): Promise<DataTable | undefined> {
  let bytes: Buffer;
  try {
    ({ bytes } = await readContained(src, source.folder, files, MAX_DATA_BYTES));
  } catch (error) {
    reporter.error('chart-data', `${source.name([...at, 'data'])} "${src}" ${(error as Error).message}`, source.locate([...at, 'data']));
    return undefined;
  }
  const shown = relative(source.cwd, `${source.folder}/${src}`);
  const fileReporter = new Reporter(shown);
  let text: string | undefined;
  try {
    text = bytes.includes(0) ? undefined : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  let table: DataTable | undefined;
  if (text === undefined) fileReporter.error('chart-data', 'is not UTF-8 text (a CSV or JSON file)');
  else table = /\.json$/i.test(src) ? jsonTable(text, shown, fileReporter) : csvTable(text, shown, fileReporter);
  // A file with errors still gives its rows, so that bad values are reported with bad rows.
  reporter.diagnostics.push(...fileReporter.diagnostics);
  return table;
}

/** Columns of each field in a raw CSV record, and the line it starts on (after blank lines). */
function fieldStarts(raw: string, endLine: number): { line: number; columns: { line: number; column: number }[] } {
  const body = raw.replace(/\r?\n$/, '');
  let line = endLine - (body.match(/\n/g)?.length ?? 0);
  let i = 0;
  while (body[i] === '\n' || body[i] === '\r') {
    if (body[i] === '\n') line++;
    i++;
  }
  const start = line;
  let column = 1;
  const columns = [{ line, column }];
  let quoted = false;
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n') {
      line++;
      column = 0;
    } else if (c === ',' && !quoted) columns.push({ line, column: column + 1 });
    column++;
  }
  return { line: start, columns };
}

function csvTable(text: string, file: string, reporter: Reporter): DataTable | undefined {
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, raw: true, info: true, max_record_size: 1 << 16 }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    reporter.error('csv', error.message.replace(/ at line \d+/, '').replace(/^(\w+ )+?(\w+): /, (m) => m.toLowerCase()), line ? { line, column: 1 } : undefined);
    return undefined;
  }
  if (records.length === 0) {
    reporter.error('chart-data', 'is empty: a CSV file needs a header row and at least one row of values');
    return undefined;
  }
  const places = records.map((r) => fieldStarts(r.raw, r.info.lines));
  const [header, ...body] = records;
  const columns = header!.record.map((c) => c.trim());
  columns.forEach((name, i) => {
    const at = places[0]!.columns[i];
    if (name === '') reporter.error('chart-data', `column ${i + 1} of the header has no name`, at);
    else if (columns.indexOf(name) !== i) reporter.error('chart-data', `column name "${name}" is used twice in the header`, at);
  });
  if (body.length === 0) reporter.error('chart-data', 'has a header row but no rows of values', { line: places[0]!.line, column: 1 });
  if (body.length > MAX_DATA_ROWS) reporter.error('chart-data', `has ${body.length} rows; a chart reads at most ${MAX_DATA_ROWS}`);
  body.forEach(({ record }, i) => {
    if (record.length === columns.length) return;
    const place = places[i + 1]!;
    const at = record.length > columns.length ? place.columns[columns.length] : { line: place.line, column: 1 };
    reporter.error('csv-row-length', `row ${i + 1} has ${record.length} value${record.length === 1 ? '' : 's'}; the header has ${columns.length} columns`, at);
  });
  if (body.length === 0 || columns.some((c, i) => c === '' || columns.indexOf(c) !== i)) return undefined;
  return {
    name: file,
    columns,
    rows: body.map(({ record }) => columns.map((_, i) => (record[i] === undefined || record[i]!.trim() === '' ? null : record[i]!))),
    place: (row, column) => {
      const place = places[row + 1]!;
      const index = column === undefined ? -1 : columns.indexOf(column);
      return { file, ...(index < 0 || place.columns[index] === undefined ? { line: place.line, column: 1 } : place.columns[index]) };
    },
    rowName: (row, column) => `row ${row + 1}${column === undefined ? '' : `, column "${column}"`}`,
    inFile: true,
  };
}

function jsonTable(text: string, file: string, reporter: Reporter): DataTable | undefined {
  const parsed = parseBriefing(text, reporter, 'JSON');
  if (parsed === undefined) return undefined;
  const at = (node: unknown) => (node && (node as Node).range ? parsed.position((node as Node).range![0]) : undefined);
  const list = parsed.doc.contents;
  if (!isSeq(list) || list.items.length === 0) {
    reporter.error('chart-data', 'must be a JSON array of rows, such as [{"month": "2024-01", "level": 87.2}]', at(list));
    return undefined;
  }
  const columns: string[] = [];
  const nodes: Map<string, Node>[] = [];
  const rows: Record<string, DataValue>[] = [];
  const rowNodes: Node[] = [];
  list.items.forEach((item, i) => {
    if (!isMap(item)) {
      reporter.error('chart-data', `row ${i + 1} must be an object of column to value`, at(item));
      return;
    }
    const row: Record<string, DataValue> = Object.create(null) as Record<string, DataValue>;
    const where = new Map<string, Node>();
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if (!isScalar(value) || !(value.value === null || typeof value.value === 'string' || typeof value.value === 'number')) {
        reporter.error('chart-data', `row ${i + 1}, "${key}" must be a number, a string or null`, at(value));
        continue;
      }
      if (!columns.includes(key)) columns.push(key);
      row[key] = value.value as DataValue;
      where.set(key, value);
    }
    rows.push(row);
    nodes.push(where);
    rowNodes.push(item);
  });
  if (rows.length > MAX_DATA_ROWS) reporter.error('chart-data', `has ${rows.length} rows; a chart reads at most ${MAX_DATA_ROWS}`);
  return {
    name: file,
    columns,
    rows: rows.map((row) => columns.map((c) => (Object.hasOwn(row, c) ? row[c]! : null))),
    place: (row, column) => ({ file, ...at((column !== undefined && nodes[row]!.get(column)) || rowNodes[row]) }),
    rowName: (row, column) => `row ${row + 1}${column === undefined ? '' : `, "${column}"`}`,
    inFile: true,
  };
}
