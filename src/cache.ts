// The build cache: what each deck and PDF in an output folder was made from, so that `build`
// skips briefings whose inputs did not change. It is only ever a hint: an entry is trusted when
// the inputs hash the same AND the output on disk is still what was written, so a stale, deleted
// or corrupted cache costs a rebuild, never a wrong output. Whether an output is still what was
// written is read from its size and modification time when those are as recorded (as make and
// git do), and from its content otherwise.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './output.js';

export const CACHE_FILE = '.briefdeck-cache.json';

export interface CacheEntry {
  /** Hash of the briefing's bytes and of every image it used. */
  inputs: string;
  /** Real paths of the images it used. */
  images: string[];
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
  /** The scale each slide fitted to when the deck was measured (see fit.ts), for the PPTX. */
  scales?: number[];
}

/** An output made from a deck (a PDF, the PPTX): that deck's hash, and the written file's hash and stamp. */
export interface PrintedEntry {
  html: string;
  hash: string;
  stamp?: string;
  /** Written with the slides' measured fit (a PPTX written without a browser is not). */
  fitted?: boolean;
}

interface CacheFile {
  format: 3;
  /** The toolkit fingerprint (with the build settings) the entries were made with. */
  toolkit: string;
  /** The toolkit's stamp when that fingerprint was computed (see toolkit.ts). */
  stamp?: string;
  entries: Record<string, CacheEntry>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of a file's content, or undefined when it cannot be read. */
export async function hashFile(path: string): Promise<string | undefined> {
  return readFile(path).then(sha256, () => undefined);
}

/** A file's size and modification time (to the nanosecond), or undefined when it is missing. */
export async function fileStamp(path: string): Promise<string | undefined> {
  const s = await stat(path, { bigint: true }).catch(() => undefined);
  return s === undefined ? undefined : `${s.size}:${s.mtimeNs}`;
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

/** Hash of a briefing and the images it uses (a missing image hashes as missing), from their digests. */
export function inputsHash(briefing: string, images: readonly string[], digests: Digests): string | undefined {
  if (digests.get(briefing) === undefined) return undefined;
  const hash = createHash('sha256');
  for (const path of [briefing, ...images]) hash.update(path).update('\0').update(digests.get(path) ?? 'missing').update('\0');
  return hash.digest('hex');
}

/** Hash of a briefing and the images it uses, read now. */
export async function hashInputs(briefing: string, images: readonly string[]): Promise<string | undefined> {
  return inputsHash(briefing, images, await readDigests([briefing, ...images]));
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
      if (data.format !== 3 || typeof data.toolkit !== 'string' || typeof data.entries !== 'object') return empty;
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
    const data: CacheFile = { format: 3, toolkit: this.toolkit, ...(this.stamp ? { stamp: this.stamp } : {}), entries: Object.fromEntries([...this.entries].sort(([a], [b]) => a.localeCompare(b))) };
    await writeFileAtomic(this.path, `${JSON.stringify(data, null, 1)}\n`);
    this.dirty = false;
  }
}
