// The toolkit: what every briefing of a command shares (the assets and the compiled templates),
// and a cheap stamp of the files it is made from, so that a build with nothing to do does not
// have to read, hash or compile any of them.

import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assetFiles, loadAssets, type Assets } from './assets.js';
import { BUILTIN_TEMPLATES } from './builtins.js';
import type { Config } from './config.js';
import type { Templates } from './render.js';
import { version } from './version.js';

export interface Toolkit {
  assets: Assets;
  templates: Templates;
  /** Changes whenever anything here or briefdeck's version does: part of every cache key. */
  fingerprint: string;
}

function templateFolders(config?: Config): string[] {
  const overrides = config?.values.templates;
  return overrides === undefined ? [BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES, resolve(config!.dir, overrides)];
}

/** Reads the assets and templates (the config's templates folder over the built-in ones). */
export async function loadToolkit(config?: Config): Promise<Toolkit> {
  const [builtIn, overrides] = templateFolders(config);
  const { loadTemplates } = await import('./render.js');
  const [assets, templates] = await Promise.all([loadAssets(), loadTemplates(builtIn, overrides)]);
  const fingerprint = createHash('sha256').update(version()).update(JSON.stringify(assets)).update(templates.fingerprint).digest('hex');
  return { assets, templates, fingerprint };
}

/**
 * The size and modification time of every file the toolkit is made from, hashed: it changes
 * whenever the fingerprint may have. The build cache keeps the fingerprint it computed under this
 * stamp. Undefined when a templates folder cannot be read (loading the toolkit reports why).
 */
export async function toolkitStamp(config?: Config): Promise<string | undefined> {
  const files = assetFiles();
  for (const folder of templateFolders(config)) {
    const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => undefined);
    if (entries === undefined) return undefined;
    files.push(...entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort());
  }
  const stats = await Promise.all(files.map((file) => stat(file, { bigint: true }).catch(() => undefined)));
  const hash = createHash('sha256').update(version());
  files.forEach((file, i) => hash.update(`${file}\0${stats[i] ? `${stats[i].size}:${stats[i].mtimeNs}` : 'missing'}\0`));
  return hash.digest('hex');
}
