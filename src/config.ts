// The project config, briefdeck.config.yaml (or .yml, .json) in the working folder: defaults for
// every briefing (theme, brand, aspect, classification, language), the templates folder, the
// output folder and PDF options. Validated like a briefing, with positions. The merge order is
// one and visible: built-in defaults, then this file, then the briefing's own keys, then flags.

import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BriefdeckError, Reporter, type Diagnostic, type Position } from './diagnostics.js';
import { loadBriefing } from './load.js';
import type { ConfigValues } from './schema/config.js';

export type { ConfigValues };

export const CONFIG_FILES = ['briefdeck.config.yaml', 'briefdeck.config.yml', 'briefdeck.config.json'];

export interface Config {
  values: ConfigValues;
  /** The config file, relative to cwd, or undefined when there is none. */
  file?: string;
  /** The folder that relative paths in the config start from. */
  dir: string;
  /** Where a value sits in the config file. */
  locate?: (path: (string | number)[]) => Position | undefined;
}

/** The config's `browser:`, as a path from the config's folder. */
export function configuredBrowser(config: Config): string | undefined {
  return config.values.browser === undefined ? undefined : resolve(config.dir, config.values.browser);
}

/** A config with errors stops the command; the CLI prints its diagnostics. */
export class ConfigError extends BriefdeckError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics[0]?.file ?? 'config'} has errors`, 1);
  }
}

/** Loads the config or throws a ConfigError with every problem in it. */
export async function requireConfig(cwd: string): Promise<Config> {
  const { config, diagnostics } = await loadConfig(cwd);
  if (config === undefined) throw new ConfigError(diagnostics);
  return config;
}

/** Finds and reads the config; problems are diagnostics, and a broken config stops the command. */
export async function loadConfig(cwd: string): Promise<{ config?: Config; diagnostics: Diagnostic[] }> {
  for (const name of CONFIG_FILES) {
    const path = join(cwd, name);
    if (!(await access(path).then(() => true, () => false))) continue;
    // Reading a config takes the YAML parser and the validator, loaded only when there is one.
    const [{ parseBriefing }, { readDocument }, { configSchema }] = await Promise.all([import('./parse.js'), import('./validate.js'), import('./schema/config.js')]);
    const reporter = new Reporter(name);
    const text = await loadBriefing(path, reporter);
    const parsed = text === undefined ? undefined : parseBriefing(text, reporter, name.endsWith('.json') ? 'JSON' : 'YAML');
    const read = parsed && readDocument(parsed, configSchema, reporter, 'config');
    if (read === undefined || typeof read.value === 'symbol' || reporter.failed) return { diagnostics: reporter.diagnostics };
    return { config: { values: read.value, file: name, dir: dirname(resolve(path)), locate: read.locate }, diagnostics: [] };
  }
  return { config: { values: {}, dir: resolve(cwd) }, diagnostics: [] };
}
