// Branding: the look a briefing asks for, after merging the project config: a built-in or local
// theme, and a brand (logo, colours, font). Local files are read here (contained in the folder of
// the file that names them, like images) and everything becomes CSS and data URLs for the deck.

import { dirname, extname } from 'node:path';
import { luminance } from './colour.js';
import type { Config } from './config.js';
import type { Position, Reporter } from './diagnostics.js';
import { embedImage, readContained } from './images.js';
import type { Brand, Briefing } from './schema/briefing.js';
import { THEMES } from './schema/briefing.js';

/** A value with the folder its relative paths start from and where it was written. */
interface Sourced<T> {
  value: T;
  dir: string;
  where?: Position;
  file: string;
}

export interface Look {
  /** The built-in theme under everything (custom themes build on light). */
  baseTheme: string;
  /** Extra CSS, in order: a custom theme file, then the brand's properties. */
  css: string[];
  /** The logo as a data URL. */
  logo?: string;
  /** The brand font's faces (@font-face rules); italic ones are embedded only in a deck with italic text. */
  fontFaces?: FontFaceRule[];
  /** Files read, for incremental builds. */
  inputs: string[];
  /** Where the theme and brand colours were set, so a problem they cause can point there. */
  origins?: Partial<Record<'theme' | 'primary' | 'accent', Origin>>;
}

/** A look value and the file and place that set it (`--theme` for the command line). */
export interface Origin {
  value: string;
  file: string;
  where?: Position;
}

function originOf(source: Sourced<string>): Origin {
  return { value: source.value, file: source.file, ...(source.where ? { where: source.where } : {}) };
}

export interface LookSources {
  /** The briefing's own look: what it names even if other parts of it are invalid. */
  briefing: Pick<Briefing, 'theme' | 'brand'>;
  briefingFile: string;
  briefingPath: string;
  locate: (path: (string | number)[]) => Position | undefined;
  config?: Config;
  /** A theme given on the command line wins over both. */
  themeFlag?: string;
}

/** A theme stylesheet larger than this is refused. */
export const MAX_THEME_BYTES = 2 * 1024 * 1024;

export interface FontFaceRule {
  style: 'normal' | 'italic';
  css: string;
}

type BrandFont = NonNullable<Brand['font']>;

/** The faces of a brand font: CSS weight (a range for a variable font) and style, by file. */
function facesOf(font: BrandFont): { file: string; weight: string; style: 'normal' | 'italic' }[] {
  // One file, as before: the browser makes bold and italic from it.
  if (typeof font === 'string') return [{ file: font, weight: '', style: 'normal' }];
  const faces: { file: string | undefined; weight: string; style: 'normal' | 'italic' }[] = [
    { file: font.regular, weight: '400', style: 'normal' },
    { file: font.bold, weight: '700', style: 'normal' },
    { file: font.italic, weight: '400', style: 'italic' },
    { file: font['bold-italic'], weight: '700', style: 'italic' },
    { file: font.variable, weight: '1 1000', style: 'normal' },
    { file: font['variable-italic'], weight: '1 1000', style: 'italic' },
  ];
  return faces.filter((f): f is { file: string; weight: string; style: 'normal' | 'italic' } => f.file !== undefined);
}

/** The files a brand font is made of. */
export function fontFiles(font: BrandFont | undefined): string[] {
  return font === undefined ? [] : facesOf(font).map((f) => f.file);
}

const FONT_TYPES: Readonly<Record<string, string>> = { '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.otf': 'font/otf' };


/** Text colour for a filled background: whichever of white and near-black reads better. */
function textOn(colour: string): string {
  const l = luminance(colour);
  return l !== undefined && l > 0.179 ? '#111111' : '#ffffff';
}

/** Inlines url(...) references of a local stylesheet (fonts, images) as data URLs. */
async function inlineCss(css: string, dir: string, inputs: string[]): Promise<string> {
  const imported = /@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)/i.exec(css)?.[1];
  if (imported !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(imported)) throw new Error(`loads ${imported}; a theme may only use files beside it`);
  if (imported !== undefined) throw new Error(`uses @import (${imported}); put those rules in the theme file itself`);
  let out = '';
  let last = 0;
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const ref = match[2]!;
    out += css.slice(last, match.index);
    last = match.index! + match[0].length;
    if (ref.startsWith('data:') || ref.startsWith('#')) {
      out += match[0];
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) throw new Error(`loads ${ref}; a theme may only use files beside it`);
    const { bytes } = await readContained(ref, dir, inputs);
    const type = FONT_TYPES[extname(ref).toLowerCase()] ?? ({ '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' } as Record<string, string>)[extname(ref).toLowerCase()];
    if (type === undefined) throw new Error(`uses ${ref}, which is neither a font nor an image`);
    out += `url("data:${type};base64,${bytes.toString('base64')}")`;
  }
  out += css.slice(last);
  // The stylesheet sits inside a <style> element: it must not be able to close it.
  return out.replace(/<\/style/gi, '<\\/style');
}

/** The briefing's value if it has one, else the config's, with where it came from. */
function pick<T>(sources: LookSources, path: (string | number)[], own: T | undefined, shared: T | undefined): Sourced<T> | undefined {
  const { config } = sources;
  if (own !== undefined) return { value: own, dir: dirname(sources.briefingPath), where: sources.locate(path), file: sources.briefingFile };
  if (shared !== undefined && config) return { value: shared, dir: config.dir, where: config.locate?.(path), file: config.file ?? sources.briefingFile };
  return undefined;
}

/** Brand fields merged one by one: the briefing's win over the config's. */
function brandFields(sources: LookSources): { [K in keyof Brand]?: Sourced<NonNullable<Brand[K]>> } {
  const out: { [K in keyof Brand]?: Sourced<NonNullable<Brand[K]>> } = {};
  for (const key of ['logo', 'primary', 'accent'] as const) {
    const field = pick(sources, ['brand', key], sources.briefing.brand?.[key], sources.config?.values.brand?.[key]);
    if (field) out[key] = field;
  }
  const font = pick(sources, ['brand', 'font'], sources.briefing.brand?.font, sources.config?.values.brand?.font);
  if (font) out.font = font;
  return out;
}

export async function resolveLook(sources: LookSources, reporter: Reporter): Promise<Look> {
  const look: Look = { baseTheme: 'light', css: [], inputs: [] };
  const fail = (source: Sourced<unknown>, what: string, error: unknown) => {
    const message = `${what} "${String(source.value)}" ${(error as Error).message}`;
    if (source.file === reporter.file) reporter.error('look', message, source.where);
    else reporter.error('look', `${source.file}${source.where ? `:${source.where.line}:${source.where.column}` : ''}: ${message}`);
  };

  const theme = sources.themeFlag !== undefined ? { value: sources.themeFlag, dir: process.cwd(), file: '--theme' } : pick(sources, ['theme'], sources.briefing.theme, sources.config?.values.theme);
  if (theme && (THEMES as readonly string[]).includes(theme.value)) look.baseTheme = theme.value;
  else if (theme) {
    try {
      const { path, bytes } = await readContained(theme.value, theme.dir, look.inputs, MAX_THEME_BYTES);
      look.css.push(await inlineCss(bytes.toString('utf8'), dirname(path), look.inputs));
    } catch (error) {
      fail(theme, 'theme', error);
    }
  }

  const brand = brandFields(sources);
  look.origins = {
    ...(theme ? { theme: originOf(theme) } : {}),
    ...(brand.primary ? { primary: originOf(brand.primary) } : {}),
    ...(brand.accent ? { accent: originOf(brand.accent) } : {}),
  };
  const props: string[] = [];
  if (brand.primary) {
    const c = brand.primary.value;
    props.push(`--bd-accent: ${c}`, `--bd-accent-fg: ${textOn(c)}`, `--bd-section-bg: ${c}`, `--bd-section-fg: ${textOn(c)}`);
    props.push(`--bd-table-head-bg: ${c}`, `--bd-table-head-fg: ${textOn(c)}`, `--bd-accent-soft: color-mix(in srgb, ${c} 9%, var(--bd-bg))`);
  }
  if (brand.accent) props.push(`--bd-link: ${brand.accent.value}`, `--bd-highlight: ${brand.accent.value}`);
  if (brand.font) {
    const faces: FontFaceRule[] = [];
    for (const face of facesOf(brand.font.value)) {
      try {
        const { bytes } = await readContained(face.file, brand.font.dir, look.inputs, 5 * 1024 * 1024);
        const type = FONT_TYPES[extname(face.file).toLowerCase()]!;
        const weight = face.weight === '' ? '' : ` font-weight: ${face.weight}; font-style: ${face.style};`;
        faces.push({ style: face.style, css: `@font-face { font-family: 'Brand'; src: url(data:${type};base64,${bytes.toString('base64')});${weight} font-display: block; }` });
      } catch (error) {
        fail({ ...brand.font, value: face.file }, 'brand.font', error);
      }
    }
    if (faces.length > 0) {
      look.fontFaces = faces;
      props.push(`--bd-font: 'Brand', 'Source Sans 3', 'DejaVu Sans', sans-serif`);
    }
  }
  if (props.length > 0) look.css.push(`:root { ${props.join('; ')}; }`);
  if (brand.logo) {
    try {
      look.logo = await embedImage(brand.logo.value, brand.logo.dir, look.inputs);
    } catch (error) {
      fail(brand.logo, 'brand.logo', error);
    }
  }
  return look;
}
