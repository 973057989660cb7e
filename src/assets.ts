// Assets: everything a deck inlines that is not briefing data (reveal.js, its notes plugin, the
// fonts, our stylesheets, themes and fit script), read once per command and shared by every briefing.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUILTIN_TEMPLATES, THEMES } from './builtins.js';
import { fontFiles, loadFontFaces, type FontFace } from './fonts.js';
import { speakerNotesScript } from './speaker-notes.js';

const require = createRequire(import.meta.url);

export interface Assets {
  revealJs: string;
  /** reveal.js's notes plugin: run in the deck only once the speaker view is opened. */
  notesJs: string;
  /** The script with which every deck fits its slides to their box (templates/scripts/fit.js). */
  fitJs: string;
  /** The script that stands in for the notes plugin until then (see speaker-notes.ts). */
  notesStandIn: string;
  /** Inline scripts that reveal.js's speaker view writes into its popup, which inherits the deck's policy. */
  speakerViewScripts: string[];
  revealCss: string;
  /** The font faces, subset for each deck as it is rendered (see fonts.ts). */
  fonts: FontFace[];
  baseCss: string;
  themes: Readonly<Record<string, string>>;
}

/** The files the assets are read from, outside the templates folder: part of the toolkit's stamp. */
export function assetFiles(): string[] {
  return [require.resolve('reveal.js'), require.resolve('reveal.js/plugin/notes'), require.resolve('reveal.js/reveal.css'), ...fontFiles()];
}

/**
 * The inline scripts of the speaker view: the notes plugin writes its popup from one template
 * literal, so the scripts' text is known at build time and can be allowed by hash. Returns an
 * empty list if the plugin is not shaped as expected (the deck then allows inline scripts).
 */
export function speakerViewScripts(notesJs: string): string[] {
  const start = notesJs.indexOf('.document.write(`');
  const end = start < 0 ? -1 : notesJs.indexOf('`)', start + 17);
  if (end < 0) return [];
  const literal = notesJs.slice(start + 17, end);
  if (literal.includes('${') || literal.includes('`')) return [];
  // Evaluate the literal's escapes (\/, \xA0...) exactly as the browser will.
  const html = new Function(`"use strict"; return \`${literal}\`;`)() as string;
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

/**
 * briefdeck's own stylesheets without their comments and spare white space: the comments are
 * for whoever edits them, not for every deck. (Their strings hold no runs of spaces or comment
 * marks; the CSS a briefing brings is left as written.)
 */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * Our own script without its comment lines and indentation: the comments are for whoever edits
 * it, not for every deck. (Only whole-line `//` comments go: the script has no template literal
 * or string that spans lines.)
 */
export function compactScript(js: string): string {
  return js
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n');
}

export async function loadAssets(): Promise<Assets> {
  const read = (path: string) => readFile(path, 'utf8');
  const readCss = async (path: string) => minifyCss(await read(path));
  const styles = join(BUILTIN_TEMPLATES, 'styles');
  const themeEntries = await Promise.all(
    THEMES.map(async (name) => [name, await readCss(join(BUILTIN_TEMPLATES, 'themes', `${name}.css`))] as const),
  );
  const [revealJs, notesJs, fitJs, revealCss, fonts, baseCss] = await Promise.all([
    read(require.resolve('reveal.js')),
    read(require.resolve('reveal.js/plugin/notes')),
    read(join(BUILTIN_TEMPLATES, 'scripts', 'fit.js')).then(compactScript),
    read(require.resolve('reveal.js/reveal.css')),
    loadFontFaces(),
    readCss(join(styles, 'base.css')),
  ]);
  return { revealJs, notesJs, fitJs, notesStandIn: speakerNotesScript(notesJs), speakerViewScripts: speakerViewScripts(notesJs), revealCss, fonts, baseCss, themes: Object.fromEntries(themeEntries) };
}
