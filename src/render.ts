// Render: the deck model to one self-contained HTML document. Handlebars templates (a layout, a
// frame shared by all slides, one partial per slide kind) are the only place markup is written;
// they receive data that is either plain (escaped by Handlebars) or HTML made safe by the model.

import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ValidateFunction } from 'ajv';
import Handlebars from 'handlebars';
import { SLIDE_TYPES } from './schema/briefing.js';
import type { Assets } from './assets.js';
import { BUILTIN_TEMPLATES } from './builtins.js';
import { BriefdeckError } from './diagnostics.js';
import { deckFontCss } from './fonts.js';
import type { Deck } from './model.js';
import { socialMeta, type Social } from './social.js';
import { version } from './version.js';

export interface Templates {
  deck: Handlebars.TemplateDelegate;
  /** Template files by name, to point errors at the right file. */
  files: readonly string[];
  /** Each template file's source, to place errors found while rendering. */
  sources: ReadonlyMap<string, string>;
  /** A hash of every template's source. */
  fingerprint: string;
  /** Slide types that a templates folder adds (`slides/<type>.hbs`), with their JSON Schema if any. */
  customTypes: ReadonlyMap<string, CustomType>;
}

export interface CustomType {
  template: string;
  /** Checks the type's own fields; from `slides/<type>.schema.json` beside the template. */
  validate?: ValidateFunction;
  schemaFile?: string;
}

async function listTemplates(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A Handlebars error as `file:line:col: error: ...` (Handlebars says "Parse error on line N"). */
function templateError(file: string, error: Error): BriefdeckError {
  const message = error.message.split('\n');
  const line = /on line (\d+)/.exec(message[0]!)?.[1] ?? (error as Error & { lineNumber?: number }).lineNumber;
  const column = (error as Error & { column?: number }).column;
  const place = line === undefined ? file : `${file}:${line}:${column === undefined ? 1 : column + 1}`;
  const detail = message.find((l, i) => i > 0 && /^Expecting|^Unexpected/.test(l)) ?? message[0]!;
  return new BriefdeckError(`${place}: error: template does not compile: ${detail.replace(/^Parse error on line \d+:?\s*/, '')}`, 1, { cause: error });
}

/**
 * Reads and compiles the templates: `deck.hbs`, `partials/*.hbs` and `slides/*.hbs` from the
 * built-in folder, each replaced by a file of the same name in `overrides` when there is one.
 */
export async function loadTemplates(dir = BUILTIN_TEMPLATES, overrides?: string): Promise<Templates> {
  const hbs = Handlebars.create();
  const byName = new Map<string, string>();
  for (const folder of overrides === undefined ? [dir] : [dir, overrides]) {
    const files = await listTemplates(folder).catch((error: NodeJS.ErrnoException) => {
      throw new BriefdeckError(`templates folder ${folder}: ${error.code ?? error.message}`, 1, { cause: error });
    });
    for (const file of files) byName.set(relative(folder, file).split(sep).join('/').replace(/\.hbs$/, ''), file);
  }
  let deck: Handlebars.TemplateDelegate | undefined;
  const hash = createHash('sha256');
  const sources = new Map<string, string>();
  for (const [name, file] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const source = await readFile(file, 'utf8');
    sources.set(file, source);
    hash.update(name).update('\0').update(source).update('\0');
    let compiled: Handlebars.TemplateDelegate;
    try {
      // Parsing now means a syntax error names its file rather than surfacing in a later render
      // (compile itself is lazy).
      hbs.parse(source);
      compiled = hbs.compile(source, { strict: false, preventIndent: true });
    } catch (error) {
      throw templateError(file, error as Error);
    }
    if (name === 'deck') deck = compiled;
    else hbs.registerPartial(name.replace(/^(partials|slides)\//, ''), compiled);
  }
  if (deck === undefined) throw new BriefdeckError(`${dir}: error: no deck.hbs template`);
  const customTypes = new Map<string, CustomType>();
  const builtIn = new Set<string>([...SLIDE_TYPES, 'title', 'agenda', 'sources']);
  for (const [name, file] of byName) {
    const type = /^slides\/([a-z][a-z0-9-]*)$/.exec(name)?.[1];
    if (type === undefined || builtIn.has(type)) continue;
    const schemaFile = file.replace(/\.hbs$/, '.schema.json');
    const schemaText = await readFile(schemaFile, 'utf8').catch(() => undefined);
    if (schemaText === undefined) {
      customTypes.set(type, { template: file });
      continue;
    }
    hash.update(schemaText);
    try {
      const { Ajv } = await import('ajv');
      const ajv = new Ajv({ allErrors: true, strict: false });
      customTypes.set(type, { template: file, schemaFile, validate: ajv.compile(JSON.parse(schemaText)) });
    } catch (error) {
      throw new BriefdeckError(`${schemaFile}: error: not a usable JSON Schema: ${(error as Error).message.split('\n')[0]}`, 1, { cause: error });
    }
  }
  return { deck, files: [...byName.values()], sources, fingerprint: hash.digest('hex'), customTypes };
}

export function sha256(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

/** Inline code must not close its own <script> element early. */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The deck as one HTML document. Its fonts are subset to the characters the rendered deck uses,
 * so they are rendered last, in place of a marker no briefing can contain.
 */
export async function renderDeck(deck: Deck, templates: Templates, assets: Assets, social: Social = socialMeta(deck.meta)): Promise<string> {
  const { meta } = deck;
  const revealConfig = {
    width: meta.width,
    height: meta.height,
    margin: 0,
    center: false,
    display: 'flex',
    hash: true,
    controls: true,
    controlsTutorial: false,
    progress: true,
    slideNumber: false,
    transition: 'fade',
    transitionSpeed: 'fast',
    backgroundTransition: 'none',
    pdfSeparateFragments: false,
    pdfMaxPagesPerSlide: 1,
    // Print pages exactly as tall as the slide, so that a slide fits itself in print as it does on screen.
    pdfPageHeightOffset: 0,
    plugins: [] as never[],
  };
  const init = `Reveal.initialize(${JSON.stringify(revealConfig).replace('"plugins":[]', '"plugins":[RevealNotes]')});`;
  const scripts = [assets.revealJs, assets.notesStandIn, init, assets.fitJs].map(inlineScript);
  const theme = assets.themes[meta.theme];
  if (theme === undefined) throw new BriefdeckError(`unknown theme "${meta.theme}"`);
  const slideSize = `:root{--slide-width:${meta.width}px;--slide-height:${meta.height}px}`;
  const fontsMarker = `/*fonts-${randomUUID()}*/`;
  const styles = [assets.revealCss, fontsMarker, assets.baseCss, theme, ...meta.css, slideSize];
  // Nothing may load from outside the file, and only the deck's own scripts may run: each is
  // allowed by its hash, as are the notes plugin (run when the speaker view is first opened) and
  // the scripts reveal.js's speaker view writes into its popup (which inherits this policy).
  // Styles stay inline-allowed: reveal.js and fitted slides set styles.
  const allowed = assets.speakerViewScripts.length > 0 ? [...scripts, assets.notesJs, ...assets.speakerViewScripts].map(sha256) : ["'unsafe-inline'"];
  const csp = [
    "default-src 'none'",
    `script-src ${[...new Set(allowed)].join(' ')}`,
    "style-src 'unsafe-inline'",
    "frame-src 'self'",
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  let html: string;
  try {
    html = renderWith(templates, deck, csp, styles, scripts, social);
  } catch (error) {
    // A missing partial or a helper error in a custom template: the template's fault, placed at
    // the template line that names the missing partial when there is one.
    const message = (error as Error).message.split('\n')[0]!;
    const partial = /The partial (\S+) could not be found/.exec(message)?.[1];
    const place = partial === undefined ? undefined : findPartialUse(templates, partial);
    throw new BriefdeckError(`${place ? `${place}: error: ` : ''}template error while rendering "${meta.title}": ${message}`, 1, { cause: error });
  }
  const at = html.indexOf(fontsMarker);
  if (at < 0) return html;
  const fonts = await deckFontCss(assets.fonts, html, styles.filter((css) => css !== fontsMarker), meta.css);
  return html.slice(0, at) + fonts + html.slice(at + fontsMarker.length);
}

function findPartialUse(templates: Templates, partial: string): string | undefined {
  const use = new RegExp(`\\{\\{#?>\\s*${partial.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  for (const [file, source] of templates.sources) {
    const lines = source.split('\n');
    const index = lines.findIndex((line) => use.test(line));
    if (index >= 0) return `${file}:${index + 1}:${lines[index]!.search(use) + 1}`;
  }
  return undefined;
}

function renderWith(templates: Templates, deck: Deck, csp: string, styles: string[], scripts: string[], social: Social): string {
  return templates.deck(
    {
      ...deck,
      social,
      total: deck.slides.length,
      generator: `briefdeck ${version()}`,
      csp,
      styles: styles.map((s) => new Handlebars.SafeString(s)),
      scripts: scripts.map((s) => new Handlebars.SafeString(s)),
    },
    { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false },
  );
}
