// The package version, read from package.json on first use (it goes into every deck and PDF).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './builtins.js';

let cached: string | undefined;

export function version(): string {
  cached ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version as string;
  return cached;
}
