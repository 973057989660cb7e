// The stages a build reports under BRIEFDECK_TIMINGS (npm run bench reads them), and the order
// the cold path runs them in: the browser launches while the briefing compiles, and closes while
// the last PDF is post-processed. Order, not duration: nothing here depends on the machine's speed.

import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { EXAMPLE } from './helpers/paths.js';

interface Span {
  stage: string;
  start: number;
  end: number;
}

function spansOf(stderr: string): Span[] | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('briefdeck-timings '));
  return line === undefined ? undefined : (JSON.parse(line.slice('briefdeck-timings '.length)) as { spans: Span[] }).spans;
}

describe('a cold build --pdf', () => {
  it('reports every stage once, in the order of the cold path', async () => {
    const dir = await tempProject({ 'briefing.yaml': EXAMPLE });
    const run = await runCli(['build', 'briefing.yaml', '--pdf'], dir, { ...process.env, BRIEFDECK_TIMINGS: '1' });
    expect(run.code).toBe(0);
    const spans = spansOf(run.stderr)!;
    expect(spans).toBeDefined();
    const one = (stage: string) => {
      const found = spans.filter((s) => s.stage === stage);
      expect(found, stage).toHaveLength(1);
      expect(found[0]!.end, stage).toBeGreaterThanOrEqual(found[0]!.start);
      return found[0]!;
    };
    const [startUp, compile, launch, tab, load, print, post, close] = ['start-up', 'compile', 'launch', 'tab', 'load', 'print', 'post-process', 'close'].map(one);
    one('puppeteer');
    expect(spans.filter((s) => s.stage === 'toolkit').length).toBeGreaterThan(0);
    expect(startUp!.start).toBe(0);
    // The browser's launch starts before the briefing has compiled (it is asked for first; when
    // the launch itself begins depends on the machine, so only the asking is checked), and its
    // first tab is opened once it is up.
    expect(launch!.start).toBeGreaterThanOrEqual(startUp!.start);
    expect(tab!.start).toBeGreaterThanOrEqual(launch!.end);
    expect(load!.start).toBeGreaterThanOrEqual(Math.max(compile!.end, tab!.end));
    expect(print!.start).toBeGreaterThanOrEqual(load!.end);
    // The PDF is post-processed once printed, and the browser closes after the last deck.
    expect(post!.start).toBeGreaterThanOrEqual(print!.end);
    expect(close!.start).toBeGreaterThanOrEqual(print!.end);
  });

  it('reports nothing unless asked', async () => {
    const dir = await tempProject({ 'briefing.yaml': EXAMPLE });
    const env = { ...process.env };
    delete env.BRIEFDECK_TIMINGS;
    const run = await runCli(['build', 'briefing.yaml'], dir, env);
    expect(run.code).toBe(0);
    expect(spansOf(run.stderr)).toBeUndefined();
  });
});
