// What a deck says about itself to link previews: its Open Graph and X card tags, read back by
// Chromium's own HTML parser, with and without a thumbnail and the config's `url:`.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBriefing, loadToolkit, type CompileOptions, type Toolkit } from '../src/compile.js';
import { loadConfig, type Config } from '../src/config.js';
import { formatDiagnostic } from '../src/diagnostics.js';
import { launchBrowser } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';

const TITLE = 'Tolls "up" <50% & rising';
const SUMMARY = "Draft 'B': fewer transits < 24 a day & waits > 10 days";
// A name that must be escaped in a URL: a space and a "#".
const NAME = 'canal brief #3';
const BRIEFING = `title: '${TITLE}'
subtitle: Second look
date: 2024-03-05
author: Desk
organization: Maritime & Ports desk
lang: en-GB
summary: "${SUMMARY.replace(/"/g, '\\"')}"
slides:
  - {type: text, title: One, body: Text}
`;
const THUMBNAIL = { file: `${NAME}.png`, scale: 2, type: 'image/png' } as const;

let browser: Browser;
let toolkit: Toolkit;
let project: string;

/** A folder with the briefing and, when given, a config. */
async function folder(config?: string): Promise<string> {
  const dir = await mkdtemp(join(project, 'p-'));
  await writeFile(join(dir, `${NAME}.yaml`), BRIEFING);
  if (config !== undefined) await writeFile(join(dir, 'briefdeck.config.yaml'), config);
  return dir;
}

async function compile(config: string | undefined, options: CompileOptions = {}): Promise<string> {
  const dir = await folder(config);
  const loaded = await loadConfig(dir);
  expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
  const compiled = await compileBriefing(`${NAME}.yaml`, toolkit, dir, { config: loaded.config as Config, ...options });
  expect(compiled.diagnostics.map(formatDiagnostic)).toEqual([]);
  return compiled.html!;
}

/** The head's social tags as Chromium reads them (entities decoded), in document order. */
async function socialTags(html: string): Promise<[string, string][]> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    return await page.evaluate(() =>
      [...document.head.querySelectorAll('meta[property], meta[name^="twitter:"], link[rel="canonical"]')].map((e): [string, string] =>
        e.localName === 'link' ? ['canonical', e.getAttribute('href')!] : [e.getAttribute('property') ?? e.getAttribute('name')!, e.getAttribute('content')!],
      ),
    );
  } finally {
    await page.close();
  }
}

/** The deck with its social tags taken out, to show that nothing else changes. */
const withoutSocial = (html: string) => html.replace(/^<(meta (property|name)="(og|article|twitter):|link rel="canonical").*\n/gm, '');

const TEXT_TAGS: [string, string][] = [
  ['og:type', 'article'],
  ['og:title', TITLE],
  ['og:description', SUMMARY],
  ['og:site_name', 'Maritime & Ports desk'],
  ['og:locale', 'en_GB'],
  ['article:published_time', '2024-03-05'],
];
const IMAGE_TAGS = (url: string): [string, string][] => [
  ['og:image', url],
  ['og:image:type', 'image/png'],
  ['og:image:width', '2560'],
  ['og:image:height', '1440'],
  ['og:image:alt', `Title slide: ${TITLE}`],
  ['twitter:image:alt', `Title slide: ${TITLE}`],
];

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'briefdeck-social-'));
  [toolkit, browser] = await Promise.all([loadToolkit(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
});

describe("a deck's link preview tags", () => {
  it('without a thumbnail or url: title, summary, date and a small card', async () => {
    expect(await socialTags(await compile(undefined))).toEqual([...TEXT_TAGS, ['twitter:card', 'summary']]);
  });

  it('with a thumbnail and no url: the image by its relative name, a large card', async () => {
    const html = await compile(undefined, { thumbnail: THUMBNAIL });
    expect(await socialTags(html)).toEqual([...TEXT_TAGS, ...IMAGE_TAGS('canal%20brief%20%233.png'), ['twitter:card', 'summary_large_image']]);
  });

  it("with the config's url (no trailing slash): absolute addresses under the folder, and a canonical link", async () => {
    const html = await compile('url: https://briefs.example.org/weekly\n', { thumbnail: THUMBNAIL });
    const page = 'https://briefs.example.org/weekly/canal%20brief%20%233.html';
    expect(await socialTags(html)).toEqual([
      ...TEXT_TAGS,
      ['og:url', page],
      ['canonical', page],
      ...IMAGE_TAGS('https://briefs.example.org/weekly/canal%20brief%20%233.png'),
      ['twitter:card', 'summary_large_image'],
    ]);
  });

  it('with a url and no thumbnail: the address, no image', async () => {
    const html = await compile('url: https://briefs.example.org/\n');
    expect(await socialTags(html)).toEqual([
      ...TEXT_TAGS,
      ['og:url', 'https://briefs.example.org/canal%20brief%20%233.html'],
      ['canonical', 'https://briefs.example.org/canal%20brief%20%233.html'],
      ['twitter:card', 'summary'],
    ]);
  });

  it('changes nothing else in the deck (same policy, same bytes), and stays valid HTML', async () => {
    const plain = await compile(undefined);
    const full = await compile('url: https://briefs.example.org/weekly/\n', { thumbnail: THUMBNAIL });
    expect(withoutSocial(full)).toBe(withoutSocial(plain));
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(full, 'deck.html');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([]);
  });
});

describe('a custom deck template', () => {
  it('gets the same data as `social`, and the tags as the `social-meta` partial', async () => {
    const dir = await folder('url: https://briefs.example.org/weekly/\ntemplates: look\n');
    await mkdir(join(dir, 'look'));
    const deck = '<!DOCTYPE html><html lang="en"><head><title>{{meta.title}}</title>{{> social-meta}}<meta name="x-preview" content="{{social.image.url}} {{social.image.width}}x{{social.image.height}}"></head><body>{{#each scripts}}<script>{{this}}</script>{{/each}}</body></html>\n';
    await writeFile(join(dir, 'look', 'deck.hbs'), deck);
    const { config } = await loadConfig(dir);
    const custom = await loadToolkit(config);
    const compiled = await compileBriefing(`${NAME}.yaml`, custom, dir, { config: config!, thumbnail: THUMBNAIL });
    const tags = await socialTags(compiled.html!);
    expect(tags.find(([key]) => key === 'og:image')).toEqual(['og:image', 'https://briefs.example.org/weekly/canal%20brief%20%233.png']);
    expect(tags.at(-1)).toEqual(['twitter:card', 'summary_large_image']);
    expect(compiled.html).toContain('<meta name="x-preview" content="https://briefs.example.org/weekly/canal%20brief%20%233.png 2560x1440">');
  });
});

describe("the config's url:", () => {
  it.each([
    ['briefs.example.org/weekly/', 'url must be an absolute http or https URL (https://briefs.example.org/weekly/), got "briefs.example.org/weekly/"'],
    ['ftp://briefs.example.org/weekly/', 'url must be an absolute http or https URL (https://briefs.example.org/weekly/), got "ftp://briefs.example.org/weekly/"'],
    ['https://me:secret@briefs.example.org/', 'url must not carry a user name or password (decks show it to everyone), got "https://me:secret@briefs.example.org/"'],
    ['https://briefs.example.org/weekly/?v=2', 'url must be a folder\'s address, without ?query or #fragment, got "https://briefs.example.org/weekly/?v=2"'],
  ])('%s is an error at its place', async (url, message) => {
    const dir = await folder(`out: public\nurl: ${url}\n`);
    const { config, diagnostics } = await loadConfig(dir);
    expect(config).toBeUndefined();
    expect(diagnostics.map(formatDiagnostic)).toEqual([`briefdeck.config.yaml:2:6: error: ${message}`]);
  });

  it('stops a build, at file:line:col', async () => {
    const dir = await folder('theme: light\nurl: "/weekly/"\n');
    const run = await runCli(['build', `${NAME}.yaml`], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('briefdeck.config.yaml:2:6: error: url must be an absolute http or https URL (https://briefs.example.org/weekly/), got "/weekly/"');
  });
});
