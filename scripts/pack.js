// Packing for users (npm pack, npm publish): a tarball ships the compiled lib/ and none of the
// sources, so its package.json must not ask to compile them. Installing a tarball whose manifest
// has a "prepare" script makes npm 11 warn that its install scripts are not reviewed, and the
// script could not run there anyway (no src/, no TypeScript).
//
//   node scripts/pack.js prepack    build lib/ afresh, then set "prepare" aside in package.json
//   node scripts/pack.js postpack   put package.json back exactly as it was
//
// The "prepare" script stays in the repository: it builds lib/ on `npm ci` in a checkout, in
// npm's clone for a git URL install, and in the folder of a path or `npm link` install.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const MANIFEST = join(ROOT, 'package.json');
const SAVED = join(ROOT, '.package.json.prepack');

/** Replace a file by rename, so a process reading it never sees half of it. */
function replaceFile(path, text) {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function restore() {
  if (!existsSync(SAVED)) return;
  replaceFile(MANIFEST, readFileSync(SAVED, 'utf8'));
  rmSync(SAVED);
}

function prepack() {
  // An earlier pack that failed between prepack and postpack left the manifest set aside.
  restore();
  rmSync(join(ROOT, 'lib'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (compiled.status !== 0) {
    console.error('pack: compiling src/ into lib/ failed; nothing was packed');
    process.exit(compiled.status ?? 1);
  }
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  if (manifest.scripts?.prepare === undefined) return;
  writeFileSync(SAVED, text);
  delete manifest.scripts.prepare;
  replaceFile(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

const step = process.argv[2];
if (step === 'prepack') prepack();
else if (step === 'postpack') restore();
else {
  console.error('usage: node scripts/pack.js prepack|postpack');
  process.exit(2);
}
