// The preview server of `briefdeck watch`: serves the output folder on loopback, the catalog of the
// briefings (catalog.ts, live), and a live-reload channel (server-sent events) that tells open decks to reload or
// to show a build's errors. It never serves a file outside the output folder, and the channel
// accepts only pages it served itself (Host and Origin are checked).

import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, posix } from 'node:path';
import { catalogPage } from './folder.js';
import { readManifest } from './manifest.js';
import { sha256 } from './render.js';
import { isWithin } from './within.js';

const EVENTS_PATH = '/__briefdeck/events';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

/** One briefing as the index page and the overlay know it. */
export interface DeckStatus {
  slug: string;
  file: string;
  title?: string;
  date?: string;
  slideCount?: number;
  html?: string;
  pdf?: string;
  /** Formatted diagnostics of the last build (errors keep the last good deck served). */
  errors: string[];
}

/** Runs in the served deck: reload on a rebuild, show or clear the errors overlay. */
function liveReloadClient(slug: string): string {
  return `(() => {
  const source = new EventSource(${JSON.stringify(`${EVENTS_PATH}?deck=${encodeURIComponent(slug)}`)});
  let overlay;
  const show = (lines) => {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'briefdeck-errors';
      overlay.setAttribute('role', 'alert');
      Object.assign(overlay.style, { position: 'fixed', inset: '0 0 auto 0', zIndex: 100000, maxHeight: '60vh', overflow: 'auto',
        background: 'rgba(120, 16, 16, 0.96)', color: '#fff', font: '15px/1.45 monospace', padding: '16px 20px', whiteSpace: 'pre-wrap' });
      document.body.appendChild(overlay);
    }
    overlay.textContent = 'briefdeck: this briefing has errors; the last good deck is shown.\\n\\n' + lines.join('\\n');
  };
  // A rebuild whose styles are unchanged swaps the slides in place, keeping the slide and fragment
  // shown (much faster than reloading reveal.js and the fonts); anything else reloads the page.
  source.addEventListener('reload', async () => {
    try {
      const response = await fetch(location.pathname, { cache: 'no-store' });
      const next = new DOMParser().parseFromString(await response.text(), 'text/html');
      const slides = document.querySelector('.reveal .slides');
      const nextSlides = next.querySelector('.reveal .slides');
      if (!response.ok || !window.Reveal || !slides || !nextSlides || next.head.innerHTML !== document.head.innerHTML) return location.reload();
      const { h, v, f } = Reveal.getIndices();
      slides.innerHTML = nextSlides.innerHTML;
      document.title = next.title;
      Reveal.sync();
      Reveal.slide(h, v, f);
    } catch {
      location.reload();
    }
  });
  source.addEventListener('errors', (event) => show(JSON.parse(event.data)));
  source.addEventListener('clear', () => { overlay?.remove(); overlay = undefined; });
})();`;
}

/** The deck as served: the live-reload client added, and its policy opened to this server only. */
function withLiveReload(html: string, slug: string): string {
  const client = liveReloadClient(slug);
  const hash = sha256(client).replace(/'/g, '&#x27;');
  return html
    .replace(/(<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;)/, "$1; connect-src &#x27;self&#x27;")
    .replace(/(; script-src )/, `$1${hash} `)
    .replace(/<\/body>\s*<\/html>\s*$/, `<script>${client}</script>\n</body>\n</html>\n`);
}

export class DeckServer {
  private readonly server: Server;
  private readonly clients = new Map<ServerResponse, string>();
  private decks: DeckStatus[] = [];
  private root: string | undefined;

  constructor(
    private readonly outDir: string,
    private readonly host = '127.0.0.1',
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(port: number): Promise<string> {
    this.root = await realpath(this.outDir);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => resolve());
    });
    return this.url;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}/`;
  }

  /** Replaces what the index shows and tells open pages what changed. */
  update(decks: DeckStatus[], rebuilt: ReadonlySet<string>): void {
    const before = new Map(this.decks.map((d) => [d.slug, d]));
    this.decks = decks;
    for (const deck of decks) {
      const had = before.get(deck.slug)?.errors.length ?? 0;
      if (deck.errors.length > 0) this.send(deck.slug, 'errors', deck.errors);
      else if (rebuilt.has(deck.slug)) this.send(deck.slug, 'reload', {});
      else if (had > 0) this.send(deck.slug, 'clear', {});
    }
    this.send('', 'index', {});
  }

  async close(): Promise<void> {
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(slug: string, event: string, data: unknown): void {
    for (const [res, deck] of this.clients) if (deck === slug) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Requests must name this server (no DNS rebinding) and, when they carry an Origin, come from it. */
  private trusted(req: IncomingMessage): boolean {
    const { port } = this.server.address() as AddressInfo;
    const names = new Set([`${this.host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
    const host = req.headers.host ?? '';
    if (!names.has(host)) return false;
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${host}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const deny = (code: number, text: string) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(405, 'method not allowed');
    if (!this.trusted(req)) return deny(403, 'forbidden');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://briefdeck.invalid').pathname);
    } catch {
      return deny(400, 'bad request');
    }
    if (pathname === EVENTS_PATH) return this.subscribe(req, res);
    if (pathname === '/' || pathname === '/index.html') {
      // The catalog a build writes, live: reloaded on every rebuild, with each failing briefing's errors.
      const problems = new Map(this.decks.filter((d) => d.errors.length > 0).map((d) => [d.slug, d.errors]));
      const page = await catalogPage(this.outDir, await readManifest(this.outDir), { events: `${EVENTS_PATH}?deck=`, problems, base: '/' });
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : page);
    }
    const file = await this.resolveFile(pathname);
    if (file === undefined) return deny(404, 'not found');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (extname(file) === '.html') {
      const slug = posix.basename(pathname, '.html');
      res.writeHead(200, headers);
      return void res.end(req.method === 'HEAD' ? undefined : withLiveReload(await readFile(file, 'utf8'), slug));
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  /** The file a URL path names, only if it is a visible file inside the output folder. */
  private async resolveFile(pathname: string): Promise<string | undefined> {
    if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
    const normal = posix.normalize(pathname);
    if (!normal.startsWith('/') || normal.split('/').some((part) => part.startsWith('.'))) return undefined;
    try {
      const real = await realpath(join(this.root!, ...normal.split('/').filter(Boolean)));
      if (!isWithin(this.root!, real)) return undefined;
      return (await stat(real)).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    const slug = new URL(req.url ?? '/', 'http://briefdeck.invalid').searchParams.get('deck') ?? '';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.clients.set(res, slug);
    const current = this.decks.find((d) => d.slug === slug);
    if (current && current.errors.length > 0) res.write(`event: errors\ndata: ${JSON.stringify(current.errors)}\n\n`);
    req.on('close', () => this.clients.delete(res));
  }
}
