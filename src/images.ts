// Images: read each image a briefing uses, check that it is what its name says and that it lives
// inside the briefing's folder, and turn it into a data URL so the deck stays one file.

import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type { Reporter } from './diagnostics.js';
import type { References } from './references.js';
import { IMAGE_TYPES } from './schema/briefing.js';
import { isWithin } from './within.js';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Data URLs by the `src` written in the briefing. */
export type ImageMap = ReadonlyMap<string, string>;

export interface EmbeddedImages {
  images: ImageMap;
  /** The files read (real paths), which are inputs of the deck for incremental builds. */
  files: string[];
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/svg+xml': 'SVG',
};

function sniff(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 16);
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  const start = bytes.subarray(0, 4096).toString('utf8');
  if (/<svg[\s>]/i.test(start)) return 'image/svg+xml';
  return undefined;
}

/**
 * Reads a file named by a briefing or config, which must stay inside `folder`; throws an Error
 * whose message completes the sentence "<src> ...". The file read is added to `files`.
 */
export async function readContained(src: string, folder: string, files: string[], maxBytes = MAX_IMAGE_BYTES): Promise<{ path: string; bytes: Buffer }> {
  if (isAbsolute(src)) throw new Error('must be a path relative to the briefing, not an absolute path');
  // Containment is checked on the path as written before the disk is asked anything, so an error
  // never tells whether a file outside the folder exists; then again with symlinks followed.
  if (!isWithin(resolve(folder), resolve(folder, src))) throw new Error("points outside the briefing's folder");
  const root = await realpath(folder);
  let path: string;
  try {
    path = await realpath(resolve(folder, src));
  } catch {
    throw new Error('does not exist');
  }
  if (!isWithin(root, path)) throw new Error("points outside the briefing's folder (through a symbolic link)");
  const info = await stat(path);
  if (!info.isFile()) throw new Error('is not a file');
  if (info.size > maxBytes) throw new Error(`is ${info.size} bytes; the limit is ${maxBytes / 1024 / 1024} MiB`);
  files.push(path);
  return { path, bytes: await readFile(path) };
}

/** A contained image file as a data URL, checked to be the format its name says. */
export async function embedImage(src: string, folder: string, files: string[]): Promise<string> {
  const { path, bytes } = await readContained(src, folder, files);
  const type = sniff(bytes);
  const expected = IMAGE_TYPES[extname(path).toLowerCase()] ?? IMAGE_TYPES[extname(src).toLowerCase()];
  if (type === undefined) throw new Error('is not a png, jpg, gif, webp or svg image');
  if (type !== expected) throw new Error(`is named ${extname(src).toLowerCase()} but contains a ${FORMAT_NAMES[type]} image`);
  return `data:${type};base64,${bytes.toString('base64')}`;
}

export async function embedImages(refs: References, file: string, reporter: Reporter): Promise<EmbeddedImages> {
  const images = new Map<string, string>();
  const files: string[] = [];
  const folder = dirname(file);
  for (const { index, path: inSlide, src } of refs.images) {
    if (images.has(src)) continue;
    try {
      images.set(src, await embedImage(src, folder, files));
    } catch (error) {
      const path = ['slides', index, ...inSlide];
      reporter.error('image', `${refs.name(path)} "${src}" ${(error as Error).message}`, refs.locate(path));
    }
  }
  return { images, files };
}
