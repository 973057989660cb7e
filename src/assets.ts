// Assets: everything a deck inlines that is not briefing data (reveal.js, its notes plugin, the
// fonts, our stylesheets, themes and fit script), read once per command and shared by every briefing.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BUILTIN_TEMPLATES, THEMES } from './builtins.js';

const require = createRequire(import.meta.url);

export interface Assets {
  revealJs: string;
  notesJs: string;
  /** The script with which every deck fits its slides to their box (templates/scripts/fit.js). */
  fitJs: string;
  /** Inline scripts that reveal.js's speaker view writes into its popup, which inherits the deck's policy. */
  speakerViewScripts: string[];
  revealCss: string;
  fontsCss: string;
  baseCss: string;
  themes: Readonly<Record<string, string>>;
}

/** Font faces shipped inside the deck, so it looks the same on every machine, offline. */
const FONT_FACES = [
  { pkg: '@fontsource/source-sans-3', files: ['latin-400', 'latin-600', 'latin-700', 'latin-400-italic', 'latin-700-italic', 'latin-ext-400', 'latin-ext-600', 'latin-ext-700'] },
  { pkg: '@fontsource/source-code-pro', files: ['latin-400'] },
];

interface FontFace {
  cssPath: string;
  css: string;
  woff2Path: string;
}

async function fontFaces(): Promise<FontFace[]> {
  const names = FONT_FACES.flatMap(({ pkg, files }) => files.map((name) => `${pkg}/${name}.css`));
  return Promise.all(
    names.map(async (name) => {
      const cssPath = require.resolve(name);
      const css = await readFile(cssPath, 'utf8');
      const woff2 = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(css)?.[1];
      if (woff2 === undefined) throw new Error(`no woff2 file in ${cssPath}`);
      return { cssPath, css, woff2Path: join(dirname(cssPath), 'files', woff2) };
    }),
  );
}

async function inlineFont({ css, woff2Path }: FontFace): Promise<string> {
  const data = (await readFile(woff2Path)).toString('base64');
  return css.replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${data}) format('woff2');`).replace(/font-display: swap;/, 'font-display: block;');
}

/** The files the assets are read from, outside the templates folder: part of the toolkit's stamp. */
export async function assetFiles(): Promise<string[]> {
  const fonts = await fontFaces();
  return [require.resolve('reveal.js'), require.resolve('reveal.js/plugin/notes'), require.resolve('reveal.js/reveal.css'), ...fonts.flatMap((f) => [f.cssPath, f.woff2Path])];
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

export async function loadAssets(): Promise<Assets> {
  const read = (path: string) => readFile(path, 'utf8');
  const styles = join(BUILTIN_TEMPLATES, 'styles');
  const themeEntries = await Promise.all(
    THEMES.map(async (name) => [name, await read(join(BUILTIN_TEMPLATES, 'themes', `${name}.css`))] as const),
  );
  const [revealJs, notesJs, fitJs, revealCss, fonts, baseCss] = await Promise.all([
    read(require.resolve('reveal.js')),
    read(require.resolve('reveal.js/plugin/notes')),
    read(join(BUILTIN_TEMPLATES, 'scripts', 'fit.js')),
    read(require.resolve('reveal.js/reveal.css')),
    fontFaces().then((faces) => Promise.all(faces.map(inlineFont))),
    read(join(styles, 'base.css')),
  ]);
  return { revealJs, notesJs, fitJs, speakerViewScripts: speakerViewScripts(notesJs), revealCss, fontsCss: fonts.join('\n'), baseCss, themes: Object.fromEntries(themeEntries) };
}
