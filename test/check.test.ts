// `briefdeck check` as a user runs it: validation, content lints, overflow measured in a real
// browser, accessibility by axe-core; text and JSON output; exit codes.

import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

interface Row {
  path: string;
  line: number | null;
  column: number | null;
  severity: string;
  rule: string;
  message: string;
}

describe('briefdeck check', () => {
  it('passes the example briefing with nothing to report, and writes nothing', async () => {
    const run = await runCli(['check', 'briefings', '--strict'], ROOT);
    expect(run.stderr).toBe('0 errors, 0 warnings\n');
    expect(run.code).toBe(0);
  });

  it('reports what does not fit, pointing at the slide, and fits what it can', async () => {
    const run = await runCli(['check', 'test/_files/overflow'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^test\/_files\/overflow\/too-much\.yaml:4:5: error: slide 2 \(slides\[0\]\) "Thirty rows" overflows by 5\d\d px even at 70% text size; shorten or split it$/),
      expect.stringMatching(/^test\/_files\/overflow\/too-much\.yaml:39:5: warning: slide 3 \(slides\[1\]\) "Not allowed to shrink" overflows by 4\d\d px \(fit: false\)$/),
      '1 error, 1 warning',
    ]);
  });

  it('lints content, fails on warnings only with --strict, and prints the same findings as JSON', async () => {
    const text = await runCli(['check', 'test/_files/lint'], ROOT);
    expect(text.code).toBe(0);
    const lines = text.stderr.trim().split('\n');
    expect(lines).toEqual([
      'test/_files/lint/content.yaml:5:11: warning: source "unused" is never cited',
      'test/_files/lint/content.yaml:9:13: warning: slides[0] "Seven points" has 7 points; more than 6 is hard to take in, split the slide',
      expect.stringMatching(/^test\/_files\/lint\/content\.yaml:13:9: warning: a point of \d+ characters on slides\[1\] "A long point"; keep points under 160$/),
      'test/_files/lint/content.yaml:14:5: warning: section slides[2] "Nothing follows" has no slides after it',
      '0 errors, 4 warnings',
    ]);
    expect((await runCli(['check', 'test/_files/lint', '--strict'], ROOT)).code).toBe(1);

    const json = await runCli(['check', 'test/_files/lint', '--format', 'json'], ROOT);
    const rows = JSON.parse(json.stdout) as Row[];
    expect(rows.map((r) => `${r.path}:${r.line}:${r.column}: ${r.severity}: ${r.message}`)).toEqual(lines.slice(0, -1));
    expect(rows.map((r) => r.rule)).toEqual(['uncited-source', 'too-many-points', 'long-point', 'empty-section']);
  });

  it('reports invalid briefings like build does', async () => {
    const run = await runCli(['check', 'test/_files/invalid/wrong-type.yaml'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('test/_files/invalid/wrong-type.yaml:6:13: error: slides[0].points must be a list, got a number');
  });
});
