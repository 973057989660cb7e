// Compile: one briefing file through the whole pipeline to deck HTML:
// load -> parse -> validate -> embed images -> model -> render. Problems come back as
// diagnostics; nothing here writes files.

import { resolve } from 'node:path';
import { Reporter, type Diagnostic } from './diagnostics.js';
import { resolveLook, type Look } from './branding.js';
import type { Config } from './config.js';
import type { ContinuationPlans } from './continue.js';
import { slugOf } from './discover.js';
import { embedImages } from './images.js';
import { loadBriefing } from './load.js';
import { buildDeck, type Deck } from './model.js';
import { parseBriefing } from './parse.js';
import { readReferences } from './references.js';
import { renderDeck } from './render.js';
import { socialMeta, type Thumbnail } from './social.js';
import { htmlTarget } from './targets/html.js';
import type { Toolkit } from './toolkit.js';
import { validateBriefing, type ValidBriefing } from './validate.js';
import { ASPECTS, type Briefing } from './schema/briefing.js';

export { loadToolkit, type Toolkit } from './toolkit.js';

export interface CompiledBriefing {
  /** The path as given (relative to the working folder), used in diagnostics. */
  file: string;
  diagnostics: Diagnostic[];
  valid?: ValidBriefing;
  deck?: Deck;
  html?: string;
  /** Files other than the briefing that the deck was made from (its images and chart data). */
  inputs: string[];
  /** Content warnings found while drawing, for `check` (chart lints). */
  lints?: Diagnostic[];
  /** Where the deck's theme and brand colours were set, for problems they cause. */
  origins?: Look['origins'];
}

export interface CompileOptions {
  /** The project config: defaults under the briefing's own keys. */
  config?: Config;
  /** A theme from the command line, over both. */
  theme?: string;
  /** How long slides continue, as a browser measured the deck (see continue.ts). */
  plans?: ContinuationPlans;
  /** The title slide as an image beside the deck, for link previews (`og:image`). */
  thumbnail?: Thumbnail;
}

export async function compileBriefing(file: string, toolkit: Toolkit, cwd = process.cwd(), options: CompileOptions = {}): Promise<CompiledBriefing> {
  const reporter = new Reporter(file);
  const done = (extra: Partial<CompiledBriefing> = {}): CompiledBriefing => ({ file, diagnostics: reporter.diagnostics, inputs: [], ...extra });
  const absolute = resolve(cwd, file);
  const text = await loadBriefing(absolute, reporter);
  if (text === undefined) return done();
  const parsed = parseBriefing(text, reporter, /\.json$/i.test(file) ? 'JSON' : 'YAML');
  if (parsed === undefined) return done();
  const valid = validateBriefing(parsed, reporter, toolkit.templates.customTypes);
  // The files it names are checked even when the briefing has errors, so they come in one report.
  const refs = readReferences(parsed);
  const { images, files } = await embedImages(refs, absolute, reporter);
  const { config } = options;
  const look = await resolveLook(
    {
      briefing: { theme: refs.theme, brand: refs.brand },
      briefingFile: file,
      briefingPath: absolute,
      locate: refs.locate,
      ...(config ? { config } : {}),
      ...(options.theme ? { themeFlag: options.theme } : {}),
    },
    reporter,
  );
  const inputs = [...files, ...look.inputs];
  if (valid === undefined || reporter.failed) return done({ ...(valid ? { valid } : {}), inputs });
  // Merge order: built-in defaults (in the model), the config, then the briefing's own keys.
  const defaults = config?.values ?? {};
  const briefing = {
    ...valid.briefing,
    aspect: valid.briefing.aspect ?? defaults.aspect,
    classification: valid.briefing.classification ?? defaults.classification,
    lang: valid.briefing.lang ?? defaults.lang,
  };
  // Vega is loaded only for a briefing that has a chart, so other builds do not pay for it.
  const charts = briefing.slides.some((s) => s.type === 'chart') ? await drawCharts(briefing, absolute, file, cwd, valid, look, toolkit, reporter) : undefined;
  inputs.push(...(charts?.files ?? []));
  if (reporter.failed) return done({ valid, inputs });
  const deck = buildDeck(briefing, images, look, charts?.charts, options.plans);
  // The deck is written as <out>/<name>.html; with the config's url: it names its own address.
  const social = socialMeta(deck.meta, {
    page: `${slugOf(file)}${htmlTarget.suffix}`,
    ...(config?.values.url ? { site: config.values.url } : {}),
    ...(options.thumbnail ? { thumbnail: options.thumbnail } : {}),
  });
  const html = await renderDeck(deck, toolkit.templates, toolkit.assets, social);
  return done({ valid, deck, html, inputs, ...(charts ? { lints: charts.lints } : {}), ...(look.origins ? { origins: look.origins } : {}) });
}

async function drawCharts(briefing: Briefing, path: string, file: string, cwd: string, valid: ValidBriefing, look: Look, toolkit: Toolkit, reporter: Reporter) {
  const { drawCharts: draw } = await import('./chart/index.js');
  const [width, height] = ASPECTS[briefing.aspect ?? '16:9'];
  const css = [toolkit.assets.baseCss, toolkit.assets.themes[look.baseTheme] ?? '', ...look.css];
  return draw(briefing, { file, path, cwd, locate: valid.locate, name: valid.name, css, width, height, banners: briefing.classification !== undefined }, reporter);
}
