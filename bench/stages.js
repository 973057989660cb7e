// Where a cold `briefdeck build --pdf` spends its time: the CLI, run with BRIEFDECK_TIMINGS=1,
// prints its stages as spans since the process started (src/timings.ts); this groups them as the
// bench reports them and finds the longest step that is neither compiling nor Chromium's work.

/** The bench's stages, each made of the CLI's spans, and whose work each one is. */
export const STAGES = [
  { name: 'start-up', spans: ['start-up'], work: 'node', what: 'Node starts, loads the CLI' },
  { name: 'compile', spans: ['toolkit', 'compile'], work: 'compile', what: 'assets, templates, the briefing to HTML (fonts subset)' },
  { name: 'load Puppeteer', spans: ['puppeteer'], work: 'node', what: 'importing Puppeteer' },
  { name: 'launch', spans: ['launch', 'tab'], work: 'chromium', what: 'Chromium starts, a tab opens' },
  { name: 'load', spans: ['load', 'fit'], work: 'chromium', what: 'the deck in print view, laid out' },
  { name: 'print', spans: ['print'], work: 'chromium', what: 'Page.printToPDF' },
  { name: 'post-processing', spans: ['post-process'], work: 'node', what: 'metadata, outline, ids; the file written' },
  { name: 'close', spans: ['close'], work: 'chromium', what: 'Chromium shuts down' },
];

/** The spans in a run's stderr, or undefined when it printed none. */
export function parseTimings(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('briefdeck-timings '));
  return line === undefined ? undefined : JSON.parse(line.slice('briefdeck-timings '.length)).spans;
}

/** Total length of a set of intervals, overlaps counted once. */
function covered(intervals) {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/**
 * One run's stages: for each, its time (overlaps within it counted once) and when it ran; plus
 * the time no stage covers (the command's own glue, and its exit after the browser closed).
 */
export function stagesOf(spans, wallMs) {
  const stages = STAGES.map((stage) => {
    const own = spans.filter((s) => stage.spans.includes(s.stage)).map((s) => [s.start, s.end]);
    return { ...stage, ms: covered(own), start: Math.min(...own.map((i) => i[0])), end: Math.max(...own.map((i) => i[1])) };
  });
  const all = spans.map((s) => [s.start, s.end]);
  const last = Math.max(...all.map((i) => i[1]));
  const gaps = [];
  let end = 0;
  for (const [a, b] of [...all].sort((x, y) => x[0] - y[0])) {
    if (a > end) gaps.push([end, a]);
    end = Math.max(end, b);
  }
  return {
    stages,
    unaccounted: covered(gaps),
    largestGap: Math.max(0, ...gaps.map(([a, b]) => b - a)),
    exit: Math.max(0, wallMs - last),
  };
}

/**
 * The longest step that is neither compiling nor Chromium's work: a Node stage, a gap no stage
 * covers, or the exit after the last stage. (Node's own start, up to the first line of the
 * CLI, counts too: it is the start-up stage.)
 */
export function longestOtherStep(run) {
  const steps = [
    ...run.stages.filter((s) => s.work === 'node').map((s) => [s.name, s.ms]),
    ['glue between stages', run.largestGap],
    ['exit', run.exit],
  ];
  return steps.reduce((a, b) => (b[1] > a[1] ? b : a));
}
