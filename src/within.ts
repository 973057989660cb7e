// Containment: whether a path lies inside a folder, for every file briefdeck reads or copies on
// someone's say (a briefing's images and data, a shard's outputs, a URL the watch server serves).

import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` is inside `folder` (not the folder itself), both absolute and resolved alike. */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
