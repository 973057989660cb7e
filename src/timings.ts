// Where a command spends its time, for `npm run bench`: with BRIEFDECK_TIMINGS set, each stage of
// a build (start-up, compile, launch, load, print, post-processing, close) is recorded as a span
// of milliseconds since the process started, and the CLI prints them as one line on stderr.
// Without it, nothing is recorded.

export type Stage = 'start-up' | 'toolkit' | 'compile' | 'puppeteer' | 'launch' | 'tab' | 'load' | 'fit' | 'print' | 'capture' | 'post-process' | 'close';

export interface Span {
  stage: Stage;
  /** Milliseconds since the process started. */
  start: number;
  end: number;
}

const spans: Span[] = [];
let enabled: boolean | undefined;

/** Read on first use, not at import. */
export function timingsEnabled(): boolean {
  return (enabled ??= Boolean(process.env.BRIEFDECK_TIMINGS));
}

export function record(stage: Stage, start: number, end = performance.now()): void {
  if (timingsEnabled()) spans.push({ stage, start, end });
}

/** Runs `work`, recording it as a span of `stage`. */
export async function timed<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
  if (!timingsEnabled()) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    record(stage, start);
  }
}

/** The line the CLI prints: `briefdeck-timings {"spans":[...]}`, or undefined when disabled. */
export function timingsLine(): string | undefined {
  if (!timingsEnabled()) return undefined;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return `briefdeck-timings ${JSON.stringify({ spans: spans.map((s) => ({ stage: s.stage, start: round(s.start), end: round(s.end) })) })}`;
}
