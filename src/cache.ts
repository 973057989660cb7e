// The build cache: what each deck and PDF in an output folder was made from, so that `build`
// skips briefings whose inputs did not change. It is only ever a hint: an entry is trusted when
// the inputs hash the same AND the output on disk is still what was written, so a stale, deleted
// or corrupted cache costs a rebuild, never a wrong output. Whether an output is still what was
// written is read from its size and modification time when those are as recorded (as make and
// git do), and from its content otherwise.

import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './output.js';

export const CACHE_FILE = '.briefdeck-cache.json';

export interface CacheEntry {
  /** Hash of the briefing's bytes and of every image it used. */
  inputs: string;
  /** Every file besides the briefing that the deck was made from (images, chart data, theme...). */
  inputFiles: string[];
  /** Hash of the written deck. */
  html: string;
  /** The written deck's size and modification time (see fileStamp). */
  htmlStamp?: string;
  slideCount: number;
  /** For the watch index: the briefing's title and date. */
  title: string;
  date: string;
  /** For the catalog (see manifest.ts): the marking, its level, the summary and the keywords. */
  classification?: string;
  level?: string;
  summary?: string;
  keywords?: string[];
  /** Hash of the deck when a browser measured it and every slide fitted (see fit.ts). */
  measured?: string;
  /** The slides PDF printed from that deck. */
  pdf?: PrintedEntry;
  /** The notes handout printed from that deck. */
  notes?: PrintedEntry;
  /** The PowerPoint file written from that deck. */
  pptx?: PrintedEntry;
  /** The folder of slide images captured from that deck. */
  images?: PrintedEntry;
  /** The title slide's image captured from that deck. */
  thumbnail?: PrintedEntry;
  /** The scale each slide fitted to when the deck was measured (see fit.ts), for the PPTX. */
  scales?: number[];
}

/**
 * An output made from a deck (a PDF, the PPTX, the slide images): that deck's hash, and the
 * written file's (or folder's, see folderDigest) hash and stamp.
 */
export interface PrintedEntry {
  html: string;
  hash: string;
  stamp?: string;
  /** Written with the slides' measured fit (a PPTX written without a browser is not). */
  fitted?: boolean;
  /** The settings it was drawn with, for outputs that have some (images: `png@2`). */
  variant?: string;
}

interface CacheFile {
  format: 4;
  /** The toolkit fingerprint (with the build settings) the entries were made with. */
  toolkit: string;
  /** The toolkit's stamp when that fingerprint was computed (see toolkit.ts). */
  stamp?: string;
  entries: Record<string, CacheEntry>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Hash of a file's content, or undefined when it cannot be read. A folder (the slide images)
 * hashes as the list of its files' names and hashes (see folderDigest).
 */
export async function hashFile(path: string): Promise<string | undefined> {
  const content = await readFile(path).then(sha256, (error: NodeJS.ErrnoException) => (error.code === 'EISDIR' ? null : undefined));
  return content === null ? (await folderDigest(path))?.hash : content;
}

/** A file's size and modification time (to the nanosecond), or undefined when it is missing; for a folder, those of each of its files. */
export async function fileStamp(path: string): Promise<string | undefined> {
  const s = await stat(path, { bigint: true }).catch(() => undefined);
  if (s?.isDirectory()) return (await folderDigest(path, false))?.stamp;
  return s === undefined ? undefined : `${s.size}:${s.mtimeNs}`;
}

/** A file of a folder output: its name in the folder, size and hash. */
export interface FolderFile {
  name: string;
  size: number;
  hash: string;
}

/**
 * What a folder output holds: its files (sorted by name), their stamps, and a hash of their names
 * and contents. With `hashing` false only the stamp is read. Undefined when it cannot be read.
 */
export async function folderDigest(path: string, hashing = true): Promise<{ files: FolderFile[]; hash: string; stamp: string } | undefined> {
  const names = await readdir(path).then((n) => n.sort(), () => undefined);
  if (names === undefined) return undefined;
  const files: FolderFile[] = [];
  const stamps: string[] = [];
  for (const name of names) {
    const file = join(path, name);
    const s = await stat(file, { bigint: true }).catch(() => undefined);
    if (s === undefined) return undefined;
    stamps.push(`${name}:${s.size}:${s.mtimeNs}`);
    if (!hashing) continue;
    const hash = await readFile(file).then(sha256, () => undefined);
    if (hash === undefined) return undefined;
    files.push({ name, size: Number(s.size), hash });
  }
  return { files, hash: folderHash(files), stamp: stamps.join('/') };
}

/** The hash of a folder output: its files' names and content hashes, in name order. */
export function folderHash(files: readonly Pick<FolderFile, 'name' | 'hash'>[]): string {
  return sha256(files.map((f) => `${f.name}\0${f.hash}\n`).join(''));
}

/**
 * Whether a written file still has the content hashed as `hash`: at once when its stamp is the one
 * recorded, by reading it otherwise. Returns the file's current stamp when the content matches.
 */
export async function stillWritten(path: string, hash: string, stamp: string | undefined): Promise<{ same: boolean; stamp?: string }> {
  const now = await fileStamp(path);
  if (now === undefined) return { same: false };
  if (now === stamp) return { same: true, stamp };
  return (await hashFile(path)) === hash ? { same: true, stamp: now } : { same: false };
}

/** The content hash of each file (undefined for one that cannot be read). */
export type Digests = ReadonlyMap<string, string | undefined>;

export async function readDigests(paths: readonly string[]): Promise<Digests> {
  return new Map(await Promise.all(paths.map(async (path) => [path, await hashFile(path)] as const)));
}

/** Hash of a briefing and the files it uses (a missing file hashes as missing), from their digests. */
export function inputsHash(briefing: string, files: readonly string[], digests: Digests): string | undefined {
  if (digests.get(briefing) === undefined) return undefined;
  const hash = createHash('sha256');
  for (const path of [briefing, ...files]) hash.update(path).update('\0').update(digests.get(path) ?? 'missing').update('\0');
  return hash.digest('hex');
}

export class BuildCache {
  private dirty = false;

  private constructor(
    private readonly path: string,
    private toolkit: string | undefined,
    private stamp: string | undefined,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /** Reads the cache of an output folder; anything unreadable is an empty cache. */
  static async load(outDir: string, fresh = false): Promise<BuildCache> {
    const path = join(outDir, CACHE_FILE);
    const empty = new BuildCache(path, undefined, undefined, new Map());
    if (fresh) return empty;
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as CacheFile;
      if (data.format !== 4 || typeof data.toolkit !== 'string' || typeof data.entries !== 'object') return empty;
      return new BuildCache(path, data.toolkit, typeof data.stamp === 'string' ? data.stamp : undefined, new Map(Object.entries(data.entries)));
    } catch {
      return empty;
    }
  }

  /** The toolkit fingerprint recorded under this stamp, if the cache has one. */
  toolkitFor(stamp: string | undefined): string | undefined {
    return stamp !== undefined && stamp === this.stamp ? this.toolkit : undefined;
  }

  /** Keeps the entries only if they were made with this toolkit; records it with its stamp. */
  useToolkit(toolkit: string, stamp: string | undefined): void {
    if (toolkit !== this.toolkit) this.entries.clear();
    if (toolkit !== this.toolkit || stamp !== this.stamp) this.dirty = true;
    this.toolkit = toolkit;
    this.stamp = stamp;
  }

  get(slug: string): CacheEntry | undefined {
    return this.entries.get(slug);
  }

  set(slug: string, entry: CacheEntry): void {
    this.entries.set(slug, entry);
    this.dirty = true;
  }

  /** Writes the cache if anything in it changed. */
  async save(): Promise<void> {
    if (!this.dirty || this.toolkit === undefined) return;
    const data: CacheFile = { format: 4, toolkit: this.toolkit, ...(this.stamp ? { stamp: this.stamp } : {}), entries: Object.fromEntries([...this.entries].sort(([a], [b]) => a.localeCompare(b))) };
    await writeFileAtomic(this.path, `${JSON.stringify(data, null, 1)}\n`);
    this.dirty = false;
  }
}
