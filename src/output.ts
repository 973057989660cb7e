// Output: files are written whole or not at all. Each goes to a temporary file beside its target
// and is renamed over it, so a failed or interrupted build never leaves a truncated deck and
// never removes the previous good one.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files being written now; removed if the process exits (Ctrl-C) before the rename. */
const inFlight = new Set<string>();
let cleanupInstalled = false;

function track(temp: string): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on('exit', () => {
      for (const path of inFlight) rmSync(path, { force: true });
    });
  }
  inFlight.add(temp);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  track(temp);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}
