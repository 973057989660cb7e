// References: the files a briefing names (images, a theme, a brand logo and font), read from the
// document even when other parts of it are invalid, so that a missing or wrong file is reported
// in the same run as the schema errors rather than only after they are fixed.

import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Position } from './diagnostics.js';
import { MAX_ALIAS_COUNT, type ParsedBriefing } from './parse.js';
import { brandSchema, briefingSchema, imageSrc, type Brand } from './schema/briefing.js';
import { formatPath, INVALID, type Path, type ReadContext, type Schema } from './schema/dsl.js';
import { pathNamer } from './validate.js';

export interface References {
  /** Each image a slide shows (an image slide's, one beside text, a section's background), with the slide's index in `slides` and its path in the slide. */
  images: { index: number; path: string[]; src: string }[];
  theme?: string;
  brand: Brand;
  /** Where a value sits in the file. */
  locate(path: Path): Position | undefined;
  /** A path as messages name it (slides by number, path and title). */
  name(path: Path): string;
}

/**
 * Reads each reference on its own with the schema's own rules, saying nothing: a value the schema
 * rejects is reported by validation and skipped here, and the rest are still checked on disk.
 */
export function readReferences(parsed: ParsedBriefing): References {
  const { doc } = parsed;
  let aliases = 0;
  const ctx: ReadContext = {
    error: () => undefined,
    resolve: (node) => (!isAlias(node) ? node : ++aliases > MAX_ALIAS_COUNT ? null : (node.resolve(doc as Document) ?? null)),
    text: () => undefined,
    path: (path) => formatPath(path),
  };
  const read = <T>(schema: Schema<T>, node: unknown): T | undefined => {
    const resolved = ctx.resolve(node);
    if (resolved === undefined || resolved === null) return undefined;
    const value = schema.read(resolved, [], ctx);
    return value === INVALID ? undefined : value;
  };
  const root = ctx.resolve(doc.contents);
  const refs: References = { images: [], brand: {}, locate: parsed.locate, name: pathNamer(doc) };
  if (!isMap(root)) return refs;
  const theme = read(briefingSchema.fields.theme, root.get('theme', true));
  if (theme !== undefined) refs.theme = theme;
  const brand = ctx.resolve(root.get('brand', true));
  if (isMap(brand)) {
    // Each key on its own (the keys' types differ: a font may be a family of files).
    const field = <K extends keyof Brand>(key: K) => {
      const value = read(brandSchema.fields[key] as Schema<Brand[K]>, brand.get(key, true));
      if (value !== undefined) refs.brand[key] = value;
    };
    for (const key of ['logo', 'primary', 'accent', 'font'] as const) field(key);
  }
  const slides = ctx.resolve(root.get('slides', true));
  if (isSeq(slides)) {
    slides.items.forEach((item, index) => {
      const slide = ctx.resolve(item);
      if (!isMap(slide)) return;
      const type = ctx.resolve(slide.get('type', true));
      if (!isScalar(type)) return;
      const image = ctx.resolve(slide.get('image', true));
      const places: [string[], unknown][] =
        type.value === 'image' ? [[['src'], slide.get('src', true)]]
        : (type.value === 'bullets' || type.value === 'text') && isMap(image) ? [[['image', 'src'], image.get('src', true)]]
        : type.value === 'section' ? [[['background'], slide.get('background', true)]]
        : [];
      for (const [path, node] of places) {
        const src = read(imageSrc, node);
        if (src !== undefined) refs.images.push({ index, path, src });
      }
    });
  }
  return refs;
}
