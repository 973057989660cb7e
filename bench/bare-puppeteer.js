// The lower bound for `briefdeck build --pdf`: the least a Puppeteer script must do to print
// prebuilt decks. One browser, launched once, and `jobs` tabs, each kept for deck after deck;
// each deck is opened in reveal.js's print view, and printed as soon as reveal.js says the print
// layout is ready. Nothing else: no request interception, no metadata, outline or page-count
// check. The tabs are opened as briefdeck opens them (in the background, so never painted, with
// animation frames replaced by tasks, since reveal.js's print layout waits for frames), so that
// briefdeck / bare measures briefdeck's own work, not a difference in how Chromium is driven.
//
//   node bench/bare-puppeteer.js --jobs N --out DIR deck.html...
//
// Prints one line per PDF and exits 0 when every deck printed, 1 otherwise.

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { browserArgs, findBrowser } from '../lib/browser.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { jobs: { type: 'string' }, out: { type: 'string' } },
});
const jobs = Math.max(1, Number(values.jobs ?? 1));
const outDir = resolve(values.out ?? 'bench/.work/bare');
const files = positionals.map((f) => resolve(f));
if (files.length === 0) {
  console.error('usage: node bench/bare-puppeteer.js --jobs N --out DIR deck.html...');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });

const browser = await puppeteer.launch({ headless: true, executablePath: findBrowser(), args: browserArgs() });
let failed = 0;
try {
  let next = 0;
  const worker = async () => {
    const page = await browser.newPage({ background: true });
    await page.evaluateOnNewDocument(() => {
      window.requestAnimationFrame = (callback) => setTimeout(() => callback(performance.now()), 0);
      document.addEventListener('pdf-ready', () => (window.__pdfReady = true));
    });
    while (next < files.length) {
      const file = files[next++];
      try {
        await page.goto(`${pathToFileURL(file).href}?print-pdf`, { waitUntil: 'load', timeout: 60_000 });
        await page.waitForFunction(() => window.__pdfReady === true, { timeout: 60_000, polling: 20 });
        const pdf = await page.pdf({
          width: '1280px',
          height: '720px',
          printBackground: true,
          margin: { top: 0, right: 0, bottom: 0, left: 0 },
          timeout: 60_000,
        });
        const target = join(outDir, basename(file).replace(/\.html$/, '.pdf'));
        await writeFile(target, pdf);
        console.log(`printed ${target}`);
      } catch (error) {
        failed++;
        console.error(`bare-puppeteer: ${file}: ${error.message.split('\n')[0]}`);
      }
    }
    await page.close().catch(() => undefined);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
} finally {
  await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
}
process.exitCode = failed === 0 ? 0 : 1;
