// The catalog, `<out>/index.html`: valid HTML, passing axe, self-contained from file://, a plain
// list with scripts off, filtered by text, keyword and classification with them on, and readable
// at a phone's width. `--no-index` writes none.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource } from '../src/accessibility.js';
import { build, type BuildResult } from '../src/build.js';
import { launchBrowser, watchedPage } from './helpers/browser.js';
import { runCli, tempProject } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

let browser: Browser;
let project: string;
let url: string;

beforeAll(async () => {
  project = await tempProject({ briefings: join(ROOT, 'briefings') });
  // Built in two builds: the catalog lists what earlier builds wrote too.
  const problems = (result: BuildResult) => [result.error ?? '', ...result.briefings.flatMap((b) => b.diagnostics.map((d) => d.message))].filter(Boolean);
  expect(problems(await build({ cwd: project, paths: ['briefings/assad-china-visit.yaml'], pptx: true }))).toEqual([]);
  expect(problems(await build({ cwd: project, paths: ['briefings/panama-canal-drought.yaml'] }))).toEqual([]);
  url = pathToFileURL(join(project, 'dist', 'index.html')).href;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the catalog', () => {
  it('lists every briefing newest first, with its outputs, and is valid HTML', async () => {
    const html = await readFile(join(project, 'dist', 'index.html'), 'utf8');
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html, 'index.html');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(html.indexOf('Panama Canal drought')).toBeLessThan(html.indexOf('Assad in China'));
    expect(html).toContain('href="assad-china-visit.pptx"');
    expect(html).toContain('class="mark level-unclassified"');
  });

  it('works from file:// without a request, passes axe, and filters', async () => {
    const { page, requests, errors } = await watchedPage(browser, url);
    try {
      await page.goto(url);
      await page.evaluate(await axeSource());
      const violations = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations.map((v) => v.id));
      expect(violations).toEqual([]);
      const visible = () => page.$$eval('li.briefing', (items) => items.filter((i) => !i.hidden).map((i) => i.querySelector('h2')!.textContent));
      expect(await visible()).toHaveLength(2);
      await page.type('input[name=q]', 'assad china');
      expect(await visible()).toEqual(['Assad in China']);
      expect(await page.$eval('#count', (c) => c.textContent)).toBe('1 of 2 briefings');
      await page.$eval('input[name=q]', (i) => ((i as HTMLInputElement).value = ''));
      await page.select('select[name=keyword]', 'charts');
      expect(await visible()).toEqual(['Panama Canal drought and transits, 2023']);
      await page.select('select[name=keyword]', '');
      await page.select('select[name=marking]', 'UNCLASSIFIED // PUBLIC SOURCES');
      expect(await visible()).toEqual(['Assad in China']);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is a plain list with scripts off, and fits a phone', async () => {
    const page = await browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      await page.setViewport({ width: 375, height: 740 });
      await page.goto(url);
      expect(await page.$eval('#filters', (f) => (f as HTMLElement).hidden)).toBe(true);
      expect(await page.$$eval('li.briefing', (items) => items.filter((i) => i.getBoundingClientRect().height > 0).length)).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    } finally {
      await page.close();
    }
  });

  it('is not written with --no-index', async () => {
    const other = await tempProject({ briefings: join(ROOT, 'briefings') });
    const run = await runCli(['build', 'briefings/assad-china-visit.yaml', '--no-index'], other);
    expect(run.stderr).toBe('');
    expect(await stat(join(other, 'dist', 'index.html')).catch(() => undefined)).toBeUndefined();
    expect((await stat(join(other, 'dist', 'manifest.json'))).isFile()).toBe(true);
  }, 60_000);
});
