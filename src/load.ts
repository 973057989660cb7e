// Load: bytes on disk to text, refusing what is not a text briefing (empty, binary, not UTF-8,
// too large) before any parser sees it.

import { readFile, stat } from 'node:fs/promises';
import { Reporter } from './diagnostics.js';

export const MAX_BRIEFING_BYTES = 5 * 1024 * 1024;

function withinSizeCap(size: number, reporter: Reporter): boolean {
  if (size <= MAX_BRIEFING_BYTES) return true;
  reporter.error('file-size', `file is ${size} bytes; briefings are limited to ${MAX_BRIEFING_BYTES} bytes (5 MiB)`);
  return false;
}

/** Checks raw bytes and decodes them; problems go to the reporter and return undefined. */
export function decodeBriefing(bytes: Uint8Array, reporter: Reporter): string | undefined {
  if (!withinSizeCap(bytes.length, reporter)) return undefined;
  if (bytes.includes(0)) {
    reporter.error('encoding', 'file is binary (it contains NUL bytes), not a YAML or JSON briefing');
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    reporter.error('encoding', 'file is not valid UTF-8 text');
    return undefined;
  }
  if (text.trim() === '') {
    reporter.error('empty-file', bytes.length === 0 ? 'file is empty' : 'file contains only whitespace');
    return undefined;
  }
  return text;
}

export async function loadBriefing(path: string, reporter: Reporter): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      reporter.error('read', 'not a file');
      return undefined;
    }
    if (!withinSizeCap(info.size, reporter)) return undefined;
    return decodeBriefing(await readFile(path), reporter);
  } catch (error) {
    reporter.error('read', `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
}
