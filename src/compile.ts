// Compile: one briefing file through the whole pipeline to deck HTML:
// load -> parse -> validate -> embed images -> model -> render. Problems come back as
// diagnostics; nothing here writes files.

import { resolve } from 'node:path';
import { Reporter, type Diagnostic } from './diagnostics.js';
import { resolveLook } from './branding.js';
import type { Config } from './config.js';
import { embedImages } from './images.js';
import { loadBriefing } from './load.js';
import { buildDeck, type Deck } from './model.js';
import { parseBriefing } from './parse.js';
import { renderDeck } from './render.js';
import type { Toolkit } from './toolkit.js';
import { validateBriefing, type ValidBriefing } from './validate.js';

export { loadToolkit, type Toolkit } from './toolkit.js';

export interface CompiledBriefing {
  /** The path as given (relative to the working folder), used in diagnostics. */
  file: string;
  diagnostics: Diagnostic[];
  valid?: ValidBriefing;
  deck?: Deck;
  html?: string;
  /** Files other than the briefing that the deck was made from (its images). */
  inputs: string[];
}

export interface CompileOptions {
  /** The project config: defaults under the briefing's own keys. */
  config?: Config;
  /** A theme from the command line, over both. */
  theme?: string;
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
  if (valid === undefined) return done();
  const { images, files } = await embedImages(valid, absolute, reporter);
  const { config } = options;
  const look = await resolveLook(
    { briefing: valid.briefing, briefingFile: file, briefingPath: absolute, locate: valid.locate, ...(config ? { config } : {}), ...(options.theme ? { themeFlag: options.theme } : {}) },
    reporter,
  );
  const inputs = [...files, ...look.inputs];
  if (reporter.failed) return done({ valid, inputs });
  // Merge order: built-in defaults (in the model), the config, then the briefing's own keys.
  const defaults = config?.values ?? {};
  const briefing = {
    ...valid.briefing,
    aspect: valid.briefing.aspect ?? defaults.aspect,
    classification: valid.briefing.classification ?? defaults.classification,
    lang: valid.briefing.lang ?? defaults.lang,
  };
  const deck = buildDeck(briefing, images, look);
  const html = await renderDeck(deck, toolkit.templates, toolkit.assets);
  return done({ valid, deck, html, inputs });
}
