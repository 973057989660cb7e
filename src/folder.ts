// The output folder's own files, written after every build: the manifest (manifest.ts) and, unless
// turned off, the catalog page (catalog.ts), both covering every briefing built into the folder.

import { join, resolve } from 'node:path';
import { imageSize } from 'image-size';
import { writeIfChanged } from './output.js';
import type { BriefingResult } from './build.js';
import type { BuildCache, CacheEntry } from './cache.js';
import type { CatalogOptions, ImageSize } from './catalog.js';
import type { DeckMeta } from './model.js';
import { isInsidePath, readManifest, updateManifest, writeManifest, type Manifest } from './manifest.js';
import { outputPaths, type ImageSettings } from './targets/index.js';

export const CATALOG_FILE = 'index.html';

export interface FolderContext {
  cwd: string;
  outDir: string;
  cache: BuildCache;
  /** Also write the catalog, `<out>/index.html`. */
  index: boolean;
  /** How this build draws images (the thumbnail's name depends on their format). */
  images?: ImageSettings;
}

/** What the cache keeps of a deck for the catalog. */
export function catalogFields(meta: DeckMeta): Pick<CacheEntry, 'classification' | 'level' | 'summary' | 'keywords'> {
  return {
    ...(meta.classification ? { classification: meta.classification } : {}),
    ...(meta.classificationLevel ? { level: meta.classificationLevel } : {}),
    ...(meta.description ? { summary: meta.description } : {}),
    ...(meta.keywords.length > 0 ? { keywords: meta.keywords } : {}),
  };
}

/** Updates the manifest with this build's briefings, and writes the catalog from it. */
export async function writeFolder(results: readonly BriefingResult[], ctx: FolderContext): Promise<undefined> {
  // A briefing whose outputs would clash with another's wrote nothing and names none of its own.
  const built = results
    .filter((r) => !r.diagnostics.some((d) => d.rule === 'output-clash'))
    .map((result) => ({ result, entry: ctx.cache.get(result.slug), paths: outputPaths(ctx.outDir, result.slug, ctx.images), source: resolve(ctx.cwd, result.file) }));
  const manifest = await updateManifest(await readManifest(ctx.outDir), built, ctx.cwd, ctx.outDir);
  await writeManifest(ctx.outDir, manifest);
  if (ctx.index) await writeCatalogOf(ctx.outDir, manifest);
  return undefined;
}

/** Writes the catalog page, only when it differs from the one on disk. */
export async function writeCatalogOf(outDir: string, manifest: Manifest): Promise<void> {
  await writeIfChanged(join(outDir, CATALOG_FILE), await catalogPage(outDir, manifest));
}

/** The catalog page of an output folder, its images sized as their files are. */
export async function catalogPage(outDir: string, manifest: Manifest, options: CatalogOptions = {}): Promise<string> {
  const { renderCatalog } = await import('./catalog.js');
  return renderCatalog(manifest, { ...options, sizes: await slideSizes(outDir, manifest) });
}

/**
 * Each briefing's slide size, read from the header of its thumbnail or else its first slide image
 * (every image of a deck has the deck's shape). A briefing whose image is missing or unreadable
 * gets none, so the catalog shows its miniature rather than a broken image.
 */
async function slideSizes(outDir: string, manifest: Manifest): Promise<Map<string, ImageSize>> {
  const sizes = new Map<string, ImageSize>();
  await Promise.all(
    Object.entries(manifest.briefings).map(async ([name, b]) => {
      const path = b.outputs.thumbnail?.path ?? b.outputs.images?.files?.[0]?.path;
      const size = path !== undefined && isInsidePath(path) ? await imageSizeOf(join(outDir, path)) : undefined;
      if (size !== undefined) sizes.set(name, size);
    }),
  );
  return sizes;
}

function imageSizeOf(path: string): Promise<ImageSize | undefined> {
  return new Promise((resolve) => imageSize(path, (error, size) => resolve(error || !size?.width || !size.height ? undefined : { width: size.width, height: size.height })));
}
