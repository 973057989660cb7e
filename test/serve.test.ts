// Watch's server on an output folder with slide images: each image with its type (a browser would
// render a JPEG served as bytes, but a download or a proxy would not know it), a deck's image
// folder served, and nothing outside the folder or hidden in it (a folder being staged).

import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeckServer } from '../src/serve.js';
import { tempProject } from './helpers/cli.js';

let server: DeckServer;
let base: string;

function get(path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    // Sent as written: URL parsing would resolve the `..` a hostile request keeps.
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const project = await tempProject();
  const out = join(project, 'dist');
  for (const folder of ['x', '.x.123.tmp']) await mkdir(join(out, folder), { recursive: true });
  const files = { 'x.html': '<!DOCTYPE html><title>x</title>', 'x.png': 'png', 'x.jpg': 'jpg', 'x/slide-01.png': 'one', 'x/slide-02.jpeg': 'two', 'x/slide-03.JPG': 'three', '.x.123.tmp/slide-01.png': 'staged' };
  for (const [path, text] of Object.entries(files)) await writeFile(join(out, path), text);
  await writeFile(join(project, 'secret.txt'), 'secret');
  server = new DeckServer(out);
  base = await server.listen(0);
});

afterAll(async () => {
  await server?.close();
});

describe('the preview server', () => {
  it('serves thumbnails and slide images with their types, from a deck\'s folder too', async () => {
    const served = await Promise.all(['/x.png', '/x.jpg', '/x/slide-01.png', '/x/slide-02.jpeg', '/x/slide-03.JPG'].map(async (path) => ({ path, ...(await get(path)) })));
    expect(served.map(({ path, status, type, body }) => ({ path, status, type, body }))).toEqual([
      { path: '/x.png', status: 200, type: 'image/png', body: 'png' },
      { path: '/x.jpg', status: 200, type: 'image/jpeg', body: 'jpg' },
      { path: '/x/slide-01.png', status: 200, type: 'image/png', body: 'one' },
      { path: '/x/slide-02.jpeg', status: 200, type: 'image/jpeg', body: 'two' },
      { path: '/x/slide-03.JPG', status: 200, type: 'image/jpeg', body: 'three' },
    ]);
  });

  it('serves nothing outside the folder, nor a folder being staged, from a subfolder either', async () => {
    for (const path of ['/x/../../secret.txt', '/x/..%2f..%2fsecret.txt', '/x/%2e%2e/%2e%2e/secret.txt', '/x%5c..%5c..%5csecret.txt', '/.x.123.tmp/slide-01.png', '/x/', '/x']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
  });
});
