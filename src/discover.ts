// Discover: the command line's paths (files or folders) to the list of briefing files to build.

import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { BriefdeckError } from './diagnostics.js';

export const BRIEFING_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function isBriefingFile(path: string): boolean {
  return BRIEFING_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** The output name of a briefing: its file name without the extension. */
export function slugOf(path: string): string {
  return basename(path, extname(path));
}

export async function discoverBriefings(paths: readonly string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) throw new BriefdeckError(`no such file or folder: ${path}`, 2);
    if (info.isDirectory()) {
      const entries = await readdir(absolute, { withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && isBriefingFile(e.name) && !e.name.startsWith('.'))
        .map((e) => join(absolute, e.name))
        .sort();
      if (files.length === 0) throw new BriefdeckError(`no briefings (.yaml, .yml, .json) in ${path}`, 2);
      found.push(...files);
    } else if (isBriefingFile(absolute)) {
      found.push(absolute);
    } else {
      throw new BriefdeckError(`${path} is not a briefing: expected a .yaml, .yml or .json file`, 2);
    }
  }
  return [...new Set(found)].map((file) => relative(cwd, file) || file);
}
