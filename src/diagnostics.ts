// Problems found in a briefing are data: a place (file, line, column), a severity, a rule id and
// a message. Stages collect them; only the CLI decides how to print them.

export type Severity = 'error' | 'warning';

export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  file: string;
  line?: number;
  column?: number;
  severity: Severity;
  rule: string;
  message: string;
}

/** Formats a diagnostic the compiler way (`path:line:col: error: message`) so terminals link it. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  return `${place}: ${d.severity}: ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by position so a file's problems read top to bottom. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** A collector bound to one file, so stages can report without repeating the path. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(rule: string, message: string, at?: Position): void {
    this.report('error', rule, message, at);
  }

  warning(rule: string, message: string, at?: Position): void {
    this.report('warning', rule, message, at);
  }

  get failed(): boolean {
    return hasErrors(this.diagnostics);
  }

  private report(severity: Severity, rule: string, message: string, at?: Position): void {
    // The same problem found twice at the same place (a repeated citation, a parser that reports
    // one mistake twice) is said once.
    const repeat = this.diagnostics.some(
      (d) => d.message === message && d.severity === severity && d.line === at?.line && d.column === at?.column,
    );
    if (!repeat) this.diagnostics.push({ file: this.file, ...at, severity, rule, message });
  }
}

/**
 * A failure that stops a whole command (bad usage, an unreadable folder, no browser), as opposed
 * to a problem in one briefing. It carries the exit code; the original error stays on `cause`.
 */
export class BriefdeckError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BriefdeckError';
  }
}

/** Edit distance counting a swap of neighbours as one edit ("titel" is one from "title"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known word, if it is close enough to be a plausible typo. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const hint = suggest(word, known);
  return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}
