// The build cache: what each deck and PDF in an output folder was made from, so that `build`
// skips briefings whose inputs did not change. It is only ever a hint: an entry is trusted when
// the inputs hash the same AND the output on disk still hashes as recorded, so a stale, deleted
// or corrupted cache costs a rebuild, never a wrong output.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
  slideCount: number;
  /** For the watch index: the briefing's title and date. */
  title: string;
  date: string;
  /** The PDF printed from that deck, with the options it was printed with. */
  pdf?: { html: string; notes: boolean; hash: string };
}

interface CacheFile {
  format: 1;
  toolkit: string;
  entries: Record<string, CacheEntry>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of a file's content, or undefined when it cannot be read. */
export async function hashFile(path: string): Promise<string | undefined> {
  return readFile(path).then(sha256, () => undefined);
}

/** Hash of a briefing and the images it uses (a missing image hashes as missing). */
export async function hashInputs(briefing: string, images: readonly string[]): Promise<string | undefined> {
  const hash = createHash('sha256');
  for (const path of [briefing, ...images]) {
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes === undefined && path === briefing) return undefined;
    hash.update(path).update('\0').update(bytes === undefined ? 'missing' : sha256(bytes)).update('\0');
  }
  return hash.digest('hex');
}

export class BuildCache {
  private constructor(
    private readonly path: string,
    private readonly toolkit: string,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /** Reads the cache of an output folder; anything unreadable or from another toolkit is empty. */
  static async load(outDir: string, toolkit: string, fresh = false): Promise<BuildCache> {
    const path = join(outDir, CACHE_FILE);
    const empty = new BuildCache(path, toolkit, new Map());
    if (fresh) return empty;
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as CacheFile;
      if (data.format !== 1 || data.toolkit !== toolkit || typeof data.entries !== 'object') return empty;
      return new BuildCache(path, toolkit, new Map(Object.entries(data.entries)));
    } catch {
      return empty;
    }
  }

  get(slug: string): CacheEntry | undefined {
    return this.entries.get(slug);
  }

  set(slug: string, entry: CacheEntry): void {
    this.entries.set(slug, entry);
  }

  async save(): Promise<void> {
    const data: CacheFile = { format: 1, toolkit: this.toolkit, entries: Object.fromEntries([...this.entries].sort(([a], [b]) => a.localeCompare(b))) };
    await writeFileAtomic(this.path, `${JSON.stringify(data, null, 1)}\n`);
  }
}
