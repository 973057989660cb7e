// What briefdeck ships with: where its own files are, its themes and its slide shapes. A module
// without dependencies, so that the commands' fast paths (a build with nothing to do) load little.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder (lib/.. or src/..), where templates/ lives. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

export const ASPECTS = { '16:9': [1280, 720], '4:3': [960, 720], '16:10': [1152, 720] } as const;
export type Aspect = keyof typeof ASPECTS;
export const THEMES = ['light', 'dark', 'high-contrast', 'print'] as const;
