// Where things are, for tests: the repository root, fixtures, and the built command.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const FILES = join(ROOT, 'test', '_files');
export const BIN = join(ROOT, 'bin', 'briefdeck.js');
export const EXAMPLE = join(ROOT, 'briefings', 'assad-china-visit.yaml');
