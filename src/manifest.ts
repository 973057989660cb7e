// The manifest: `<out>/manifest.json`, what every briefing built into an output folder was made
// from and what it made, so that a publisher can verify and diff a build and the catalog can list
// briefings built by earlier builds or by other shards. It is deterministic: keys and briefings
// sorted, paths relative and in `/` form, and no time but the briefings' own dates, so the same
// inputs give the same bytes on any machine and in any shard.

import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { BriefingResult } from './build.js';
import { folderDigest, hashFile, type CacheEntry } from './cache.js';
import type { Diagnostic } from './diagnostics.js';
import { writeIfChanged } from './output.js';
import { EXTRA_KINDS } from './targets/index.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestOutput {
  /** Relative to the output folder. */
  path: string;
  /** Bytes (of a folder: of all its files). */
  size: number;
  /** Of a folder, the hash of its files' names and hashes (see folderHash in cache.ts). */
  sha256: string;
  /** A folder output's files (slide images), relative to the output folder, `/` separated, sorted. */
  files?: ManifestOutput[];
}

export interface ManifestDiagnostic {
  file: string;
  line?: number;
  column?: number;
  severity: string;
  rule: string;
  message: string;
}

export interface ManifestBriefing {
  /** The briefing file, relative to the folder the build ran in. */
  source: string;
  title?: string;
  date?: string;
  classification?: string;
  /** The marking's level (`secret`, `unclassified`...), for the catalog's colours. */
  level?: string;
  summary?: string;
  keywords?: string[];
  slides?: number;
  /** The sha256 of the briefing and of every file the deck was made from, by relative path. */
  inputs: Record<string, string>;
  /** The outputs on disk, by kind (`html`, `pdf`, `notes`, `pptx`, `images`, `thumbnail`). */
  outputs: Record<string, ManifestOutput>;
  /** What the last build of this briefing said (errors keep the last good outputs listed). */
  diagnostics: ManifestDiagnostic[];
}

export interface Manifest {
  format: 1;
  /** By briefing name (the output files' stem). */
  briefings: Record<string, ManifestBriefing>;
}

export function emptyManifest(): Manifest {
  return { format: 1, briefings: {} };
}

/** Reads an output folder's manifest; a missing or unreadable one is empty. */
export async function readManifest(outDir: string): Promise<Manifest> {
  try {
    const data = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
    return data.format === 1 && typeof data.briefings === 'object' && data.briefings !== null ? data : emptyManifest();
  } catch {
    return emptyManifest();
  }
}

/** JSON with every object's keys sorted, so that equal manifests are equal bytes. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return `${JSON.stringify(sort(value), null, 1)}\n`;
}

/** Writes the manifest, unless the one on disk already says the same. */
export async function writeManifest(outDir: string, manifest: Manifest): Promise<void> {
  await writeIfChanged(join(outDir, MANIFEST_FILE), stableJson(manifest));
}

const slash = (path: string) => path.split(sep).join('/');

/** What the build knows of a briefing that the manifest records. */
export interface BuiltBriefing {
  result: BriefingResult;
  /** The cache's entry: what is on disk for it now (absent when it never built). */
  entry: CacheEntry | undefined;
  /** Where each output kind is, absolute. */
  paths: Record<string, string>;
  /** Absolute path of the briefing. */
  source: string;
}

/**
 * The manifest after a build: the previous one's briefings whose deck is still on disk, with the
 * briefings of this build in their place. Inputs are hashed once each (images are shared).
 */
export async function updateManifest(previous: Manifest, built: readonly BuiltBriefing[], cwd: string, outDir: string): Promise<Manifest> {
  const digests = new Map<string, Promise<string | undefined>>();
  const digest = (path: string) => {
    let d = digests.get(path);
    if (d === undefined) digests.set(path, (d = hashFile(path)));
    return d;
  };
  const briefings: Record<string, ManifestBriefing> = {};
  for (const [name, kept] of Object.entries(previous.briefings)) {
    const html = kept.outputs.html;
    if (html !== undefined && (await stat(join(outDir, html.path)).catch(() => undefined))?.isFile()) briefings[name] = kept;
  }
  const made = await Promise.all(
    built.map(async (b): Promise<[string, ManifestBriefing]> => {
      const before = previous.briefings[b.result.slug];
      const { entry, result } = b;
      const inputs: Record<string, string> = {};
      for (const path of [b.source, ...(entry?.inputFiles ?? [])]) {
        const hash = await digest(path);
        if (hash !== undefined) inputs[slash(relative(cwd, path))] = hash;
      }
      const outputs: Record<string, ManifestOutput> = {};
      const hashes: [string, string | undefined][] = [['html', entry?.html], ...EXTRA_KINDS.map((k): [string, string | undefined] => [k, entry?.[k]?.html === entry?.html ? entry?.[k]?.hash : undefined])];
      for (const [kind, sha256] of hashes) {
        const path = b.paths[kind];
        const found = sha256 === undefined || path === undefined ? undefined : await stat(path).catch(() => undefined);
        if (found === undefined) continue;
        const output = { path: slash(relative(outDir, path!)), size: found.size, sha256: sha256! };
        if (!found.isDirectory()) outputs[kind] = output;
        else {
          // A folder's files are listed as the last manifest listed them while its hash is the same.
          const listed = before?.outputs[kind];
          const folder = listed !== undefined && listed.sha256 === sha256 && listed.files !== undefined ? listed : await folderOutput(path!, outDir);
          if (folder !== undefined && folder.sha256 === sha256) outputs[kind] = folder;
        }
      }
      // A briefing skipped as unchanged said nothing this time: what its last build said stands.
      const diagnostics = result.skipped && before !== undefined ? before.diagnostics : result.diagnostics.map((d) => manifestDiagnostic(d, cwd));
      const meta = entry === undefined ? {} : catalogFields(entry);
      return [result.slug, { source: slash(relative(cwd, b.source)), ...meta, inputs, outputs, diagnostics }];
    }),
  );
  for (const [name, briefing] of made) briefings[name] = briefing;
  return { format: 1, briefings: Object.fromEntries(Object.entries(briefings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** A folder output as the manifest lists it, read from the disk. */
async function folderOutput(path: string, outDir: string): Promise<ManifestOutput | undefined> {
  const digest = await folderDigest(path);
  if (digest === undefined) return undefined;
  const files = digest.files.map((f) => ({ path: slash(relative(outDir, join(path, f.name))), size: f.size, sha256: f.hash }));
  return { path: slash(relative(outDir, path)), size: files.reduce((total, f) => total + f.size, 0), sha256: digest.hash, files };
}

function catalogFields(entry: CacheEntry): Partial<ManifestBriefing> {
  const { title, date, classification, level, summary, keywords, slideCount } = entry;
  const fields: Partial<ManifestBriefing> = { title, date, slides: slideCount };
  if (classification !== undefined) fields.classification = classification;
  if (level !== undefined) fields.level = level;
  if (summary !== undefined) fields.summary = summary;
  if (keywords !== undefined && keywords.length > 0) fields.keywords = keywords;
  return fields;
}

function manifestDiagnostic(d: Diagnostic, cwd: string): ManifestDiagnostic {
  const file = d.file.startsWith(sep) ? relative(cwd, d.file) : d.file;
  return { file: slash(file), ...(d.line === undefined ? {} : { line: d.line }), ...(d.column === undefined ? {} : { column: d.column }), severity: d.severity, rule: d.rule, message: d.message };
}

/**
 * Whether a manifest's path names something inside its own folder: relative, and no part `..`, `.`
 * or empty (a folder output named `.` would be the output folder itself, replaced whole).
 */
export function isInsidePath(path: string): boolean {
  return !isAbsolute(path) && !path.split(/[\\/]/).some((part) => part === '..' || part === '.' || part === '');
}
