// Themes, branding, the project config and template overrides, end to end: built decks opened in
// a real browser (computed styles), PDFs printed, contrast checked by `check`.

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { launchBrowser } from './helpers/browser.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';
import { pdfInfo } from './helpers/pdf.js';

declare const Reveal: import('reveal.js').RevealApi;
const THEMES = ['light', 'dark', 'high-contrast', 'print'];
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function withTheme(dir: string, theme: string, name = theme): Promise<void> {
  const text = await readFile(EXAMPLE, 'utf8');
  await writeFile(join(dir, 'briefings', `${name}.yaml`), text.replace('agenda: true', `agenda: true\ntheme: ${theme}`));
}

/** Computed styles of elements of a built deck, keyed by selector. */
async function styles(html: string, probes: Record<string, [string, string]>): Promise<Record<string, string>> {
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(html).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return await page.evaluate((p) => {
      const out: Record<string, string> = {};
      for (const [name, [selector, property]] of Object.entries(p)) {
        const [sel, pseudo] = selector.split('::');
        const el = document.querySelector(sel!);
        out[name] = el ? getComputedStyle(el, pseudo ? `::${pseudo}` : null).getPropertyValue(property) : 'missing';
      }
      return out;
    }, probes);
  } finally {
    await page.close();
  }
}

describe('built-in themes', () => {
  it('each renders the example to a deck and a PDF and passes the contrast checks', async () => {
    const dir = await tempProject();
    await mkdir(join(dir, 'briefings'));
    for (const theme of THEMES) await withTheme(dir, theme);
    const built = await runCli(['build', '--pdf'], dir);
    expect(built.stderr).toBe('');
    for (const theme of THEMES) expect((await pdfInfo(join(dir, 'dist', `${theme}.pdf`))).Pages).toBe('14');
    const checked = await runCli(['check', '--strict'], dir);
    expect(checked.stderr).toBe('0 errors, 0 warnings\n');
    const backgrounds = await Promise.all(THEMES.map((t) => styles(join(dir, 'dist', `${t}.html`), { bg: ['section#slide-3', 'background-color'] })));
    expect(backgrounds.map((b) => b.bg)).toEqual(['rgb(255, 255, 255)', 'rgb(20, 27, 38)', 'rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
  }, 240_000);
});

describe('a project config with a brand and a local theme', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE, 'brand/logo.svg': join(FILES, 'valid', 'images', 'chart.svg') });
    await copyFile(join(ROOT, 'node_modules/@fontsource/source-code-pro/files/source-code-pro-latin-400-normal.woff2'), join(dir, 'brand', 'font.woff2'));
    await writeFile(join(dir, 'brand', 'theme.css'), ":root { --bd-bg: #fdfbf7; }\n@font-face { font-family: 'Theme Mono'; src: url(font.woff2); }\n.slide-title { font-family: 'Theme Mono'; }\n");
    await writeFile(
      join(dir, 'briefdeck.config.yaml'),
      'theme: brand/theme.css\nbrand:\n  logo: brand/logo.svg\n  primary: "#7a1f5c"\n  accent: darkorange\n  font: brand/font.woff2\nclassification: SECRET // EXERCISE\n',
    );
  });

  it('changes what it should, in the browser', async () => {
    const run = await runCli(['build'], dir);
    expect(run.stderr).toBe('');
    const found = await styles(join(dir, 'dist', 'deck.html'), {
      bg: ['section#slide-3', 'background-color'],
      rule: ['section#slide-3 .slide-header::after', 'background-color'],
      figure: ['.figure-value', 'color'],
      font: ['.reveal', 'font-family'],
      title: ['.slide-title', 'font-family'],
      banner: ['.banner-top', 'background-color'],
      logo: ['section#title .deck-logo', 'display'],
      footerLogo: ['section#slide-3 .footer-logo', 'display'],
    });
    expect(found).toEqual({
      bg: 'rgb(253, 251, 247)',
      rule: 'rgb(122, 31, 92)',
      figure: 'rgb(255, 140, 0)',
      font: expect.stringMatching(/^Brand, /),
      title: '"Theme Mono"',
      // The briefing's own classification wins over the config's.
      banner: 'rgb(0, 122, 51)',
      logo: 'block',
      footerLogo: 'block',
    });
  });

  it('gives way to the briefing, and the briefing to --theme', async () => {
    const text = await readFile(join(dir, 'briefings', 'deck.yaml'), 'utf8');
    await writeFile(join(dir, 'briefings', 'own.yaml'), text.replace('agenda: true', 'agenda: true\ntheme: dark\nbrand:\n  primary: "#2e7d32"'));
    expect((await runCli(['build', 'briefings/own.yaml'], dir)).code).toBe(0);
    const own = await styles(join(dir, 'dist', 'own.html'), { bg: ['section#slide-3', 'background-color'], rule: ['section#slide-3 .slide-header::after', 'background-color'] });
    expect(own).toEqual({ bg: 'rgb(20, 27, 38)', rule: 'rgb(46, 125, 50)' });
    expect((await runCli(['build', 'briefings/own.yaml', '--theme', 'print'], dir)).code).toBe(0);
    expect((await styles(join(dir, 'dist', 'own.html'), { bg: ['section#slide-3', 'background-color'] })).bg).toBe('rgb(255, 255, 255)');
  });
});

describe('mistakes in the look', () => {
  it('bad colours, a missing logo and a theme that loads from the web are positioned errors', async () => {
    const dir = await tempProject({ 'b/deck.yaml': EXAMPLE });
    const text = await readFile(EXAMPLE, 'utf8');
    await writeFile(join(dir, 'b', 'web.css'), '@import url(https://fonts.example.com/x.css);\nbody { background: url(https://example.com/x.png); }\n');
    await writeFile(join(dir, 'b', 'deck.yaml'), text.replace('agenda: true', 'agenda: true\ntheme: web.css\nbrand:\n  primary: "red; } body { display: none"\n  logo: missing.svg'));
    const run = await runCli(['build', 'b'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('b/deck.yaml:17:12: error: brand.primary must be a hex colour (#1f4e8c) or a CSS colour name, got "red; } body { display: none"');
    await writeFile(join(dir, 'b', 'deck.yaml'), text.replace('agenda: true', 'agenda: true\ntheme: web.css\nbrand:\n  logo: missing.svg'));
    const again = await runCli(['build', 'b'], dir);
    expect(again.stderr).toContain('b/deck.yaml:15:8: error: theme "web.css" loads https://fonts.example.com/x.css; a theme may only use files beside it');
    expect(again.stderr).toContain('b/deck.yaml:17:9: error: brand.logo "missing.svg" does not exist');
  });

  it('a config with errors stops the build with positions', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'theme: light\nbrand:\n  accent: notacolour\naspekt: "4:3"\n');
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').sort()).toEqual([
      'briefdeck.config.yaml:3:11: error: brand.accent must be a hex colour (#1f4e8c) or a CSS colour name, got "notacolour"',
      'briefdeck.config.yaml:4:1: error: the config has unknown key "aspekt" (did you mean "aspect"?)',
    ]);
  });

  it('a low-contrast custom colour is reported by check', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await writeFile(join(dir, 'pale.css'), ':root { --bd-muted: #d0d0d0; }\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'theme: pale.css\n');
    const run = await runCli(['check'], dir);
    expect(run.code).toBe(1);
    // One finding for the cause, at the line that chose the theme, not one per element.
    expect(run.stderr).toMatch(/^briefdeck\.config\.yaml:1:8: error: theme "pale\.css": text in #d0d0d0 has a contrast of [\d.]+:1 on #[0-9a-f]{6}; text needs [\d.]+:1 \(\d+ elements on \d+ slides, first on slide \d+ .+ of briefings\/deck\.yaml\); choose a colour with more contrast$/m);
    expect(run.stderr.match(/contrast/g)).toHaveLength(2);
  });
});

describe('template overrides', () => {
  it('a partial in the templates folder replaces the built-in one of the same name', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await mkdir(join(dir, 'my-templates', 'slides'), { recursive: true });
    await writeFile(join(dir, 'my-templates', 'slides', 'quote.hbs'), '{{#> frame heading=true}}<p class="house-quote">{{fields.quote}}</p>{{/frame}}\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: my-templates\n');
    const built = await runCli(['build'], dir);
    expect(built.code, built.stderr).toBe(0);
    const html = await readFile(join(dir, 'dist', 'deck.html'), 'utf8');
    expect(html).toContain('<p class="house-quote">The visit holds immense symbolic power');
    expect(html).toContain('class="summary-points"');
  });

  it('a template that does not compile is reported at its file and line', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await mkdir(join(dir, 'tpl', 'partials'), { recursive: true });
    await writeFile(join(dir, 'tpl', 'partials', 'frame.hbs'), '<section>\n{{#if title}}\n<h2>{{title}</h2>\n</section>\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: tpl\n');
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^briefdeck: error: .*tpl\/partials\/frame\.hbs:3:\d+: error: template does not compile: /m);
  });
});

describe('a template that names a missing partial', () => {
  it('is reported at the line that names it', async () => {
    const dir = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await mkdir(join(dir, 'tpl', 'slides'), { recursive: true });
    await writeFile(join(dir, 'tpl', 'slides', 'quote.hbs'), '{{#> frame heading=true}}\n<p>{{fields.quote}}</p>\n  {{> attribution-box}}\n{{/frame}}\n');
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: tpl\n');
    const run = await runCli(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(dir, 'tpl', 'slides', 'quote.hbs')}:3:3: error: template error while rendering "Assad in China": The partial attribution-box could not be found`);
  });
});

describe('briefdeck init', () => {
  it('starts a project that builds', async () => {
    const dir = await tempProject();
    const run = await runCli(['init'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote briefdeck.config.yaml');
    const built = await runCli(['build'], dir);
    expect(built.stderr).toBe('');
    expect(built.stdout).toContain('built dist/first-briefing.html');
    expect((await runCli(['init'], dir)).code).toBe(1);
  });
});

describe('custom slide types', () => {
  it('a slides/<type>.hbs template makes the type valid, its fields escaped and checked by its JSON Schema', async () => {
    const dir = await tempProject();
    await mkdir(join(dir, 'tpl', 'slides'), { recursive: true });
    await mkdir(join(dir, 'briefings'));
    await writeFile(join(dir, 'tpl', 'slides', 'risk.hbs'), '{{#> frame heading=true}}<p class="risk risk-{{fields.level}}">{{fields.text}}</p><ul>{{#each fields.owners}}<li>{{this}}</li>{{/each}}</ul>{{/frame}}\n');
    await writeFile(
      join(dir, 'tpl', 'slides', 'risk.schema.json'),
      JSON.stringify({ type: 'object', required: ['level', 'text'], additionalProperties: false, properties: { level: { enum: ['low', 'high'] }, text: { type: 'string' }, owners: { type: 'array', items: { type: 'string' } } } }),
    );
    await writeFile(join(dir, 'briefdeck.config.yaml'), 'templates: tpl\n');
    const briefing = (level: string) => `title: Risks\ndate: 2024-01-01\nslides:\n  - type: risk\n    title: Main risk\n    level: ${level}\n    text: "<script>window.x = 1</script>"\n    owners: [ops, "<b>legal</b>"]\n`;
    await writeFile(join(dir, 'briefings', 'risks.yaml'), briefing('high'));
    const run = await runCli(['build'], dir);
    expect(run.stderr).toBe('');
    const html = await readFile(join(dir, 'dist', 'risks.html'), 'utf8');
    expect(html).toContain('<p class="risk risk-high">&lt;script&gt;window.x &#x3D; 1&lt;/script&gt;</p><ul><li>ops</li><li>&lt;b&gt;legal&lt;/b&gt;</li></ul>');

    await writeFile(join(dir, 'briefings', 'risks.yaml'), briefing('extreme').replace('    owners:', '    colour: red\n    owners:'));
    const bad = await runCli(['build'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`briefings/risks.yaml:6:12: error: slide 2 (slides[0]) "Main risk": level must be equal to one of the allowed values (slide type "risk", ${join(dir, 'tpl', 'slides', 'risk.schema.json')})`);
    expect(bad.stderr).toContain('briefings/risks.yaml:4:5: error: slide 2 (slides[0]) "Main risk" must NOT have additional properties "colour"');

    await writeFile(join(dir, 'briefings', 'risks.yaml'), briefing('low').replace('type: risk', 'type: rsik'));
    expect((await runCli(['build'], dir)).stderr).toContain('slide 2 (slides[0]) "Main risk": type "rsik" is not a slide type (did you mean "risk"?)');
  });
});
