// Scale out: `--shard i/n` builds a stable share of the briefings (by name, so the same briefing
// goes to the same shard whatever else is on disk), and `merge` assembles the shards' output
// folders into one, with one manifest and one catalog, as a single build would have written.

import { createHash } from 'node:crypto';
import { copyFile, mkdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BriefdeckError } from './diagnostics.js';
import { slugOf } from './discover.js';
import { writeCatalogOf } from './folder.js';
import { replaceFolder } from './output.js';
import { isWithin } from './within.js';
import { isInsidePath, MANIFEST_FILE, readManifest, stableJson, writeManifest, type Manifest, type ManifestOutput } from './manifest.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `--shard i/n`. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new BriefdeckError(`--shard takes i/n with 1 <= i <= n (say 1/4), got "${text}"`, 2);
  return { index, count };
}

/** The shard a briefing belongs to (1-based): a hash of its name, so the partition never depends on order. */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name).digest().readUInt32BE(0) % count) + 1;
}

export function inShard(files: readonly string[], shard: Shard | undefined): string[] {
  return shard === undefined ? [...files] : files.filter((file) => shardOf(slugOf(file), shard.count) === shard.index);
}

export interface MergeOptions {
  /** The shards' output folders. */
  from: readonly string[];
  /** The folder to assemble them in (may be one of them). */
  outDir: string;
  cwd?: string;
  /** Also write the catalog (default true). */
  index?: boolean;
}

/**
 * Copies every shard's outputs into one folder and writes the manifest and catalog of them all. A
 * briefing that two shards both built differently is an error: the shards did not partition.
 */
export async function merge(options: MergeOptions): Promise<Manifest> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const outDir = resolve(cwd, options.outDir);
  await mkdir(outDir, { recursive: true });
  const target = await realpath(outDir);
  const merged: Manifest = { format: 1, briefings: {} };
  const owner = new Map<string, string>();
  // Every manifest is read and every path checked before anything is copied: a merge that fails writes nothing.
  const copies: [dir: string, output: ManifestOutput][] = [];
  for (const dir of options.from.map((d) => resolve(cwd, d))) {
    const manifest = await readManifest(dir);
    if (Object.keys(manifest.briefings).length === 0) throw new BriefdeckError(`${dir} has no ${MANIFEST_FILE} with briefings in it: is it a build's output folder?`, 1);
    const inPlace = (await realpath(dir)) === target;
    for (const [name, briefing] of Object.entries(manifest.briefings)) {
      const before = merged.briefings[name];
      if (before !== undefined && stableJson(before) !== stableJson(briefing)) throw new BriefdeckError(`${name} was built differently in ${owner.get(name)} and ${dir}`, 1);
      merged.briefings[name] = briefing;
      owner.set(name, dir);
      if (inPlace) continue;
      for (const output of Object.values(briefing.outputs)) {
        await checkOutput(dir, output);
        copies.push([dir, output]);
      }
    }
  }
  for (const [dir, output] of copies) {
    if (output.files === undefined) {
      await mkdir(join(outDir, output.path, '..'), { recursive: true });
      await copyFile(join(dir, output.path), join(outDir, output.path));
    } else {
      // Replaced whole, so no slide the deck has since lost lingers; the shard's folder is the briefing's.
      await replaceFolder(join(outDir, output.path), () => true, (stage) => copyFiles(dir, output, stage));
    }
  }
  // What the out folder held before (an earlier merge) is kept where no shard replaces it.
  const earlier = await readManifest(outDir);
  const briefings = { ...earlier.briefings, ...merged.briefings };
  const manifest: Manifest = { format: 1, briefings: Object.fromEntries(Object.keys(briefings).sort().map((k) => [k, briefings[k]!])) };
  await writeManifest(outDir, manifest);
  if (options.index ?? true) await writeCatalogOf(outDir, manifest);
  return manifest;
}

/**
 * A manifest names files inside its own folder, and a folder output's files inside that folder:
 * anything else is not copied anywhere. The path is checked as written (isInsidePath) and as it is
 * on disk, so that a link in a shard cannot copy a file from elsewhere into the merged site.
 */
async function checkOutput(dir: string, output: ManifestOutput): Promise<void> {
  const root = await realpath(dir);
  const refuse = (path: string, what: string) => new BriefdeckError(`${dir}/${MANIFEST_FILE} names ${JSON.stringify(path)}, which is not ${what}`, 1);
  if (!isInsidePath(output.path)) throw refuse(output.path, 'a file inside that folder');
  for (const file of output.files ?? [output]) {
    if (!isInsidePath(file.path)) throw refuse(file.path, 'a file inside that folder');
    if (file !== output && !file.path.startsWith(`${output.path}/`)) throw refuse(file.path, `a file inside its folder ${JSON.stringify(output.path)}`);
    const real = await realpath(join(dir, file.path)).catch(() => undefined);
    if (real === undefined) throw refuse(file.path, 'there: was the folder copied whole?');
    if (!isWithin(root, real)) throw refuse(file.path, 'a file inside that folder (it links outside)');
  }
}

async function copyFiles(dir: string, output: ManifestOutput, stage: string): Promise<void> {
  for (const file of output.files ?? []) {
    const to = join(stage, file.path.slice(output.path.length + 1));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(dir, file.path), to);
  }
}
