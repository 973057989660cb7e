// Contact sheets of a deck in every built-in theme: builds the briefing once per theme (with the
// built library, lib/), screenshots every slide in headless Chromium and writes one PNG per theme,
// slides in reading order, four to a row. Used for the design pictures in docs/images/.
//   node scripts/screenshots.js <briefing> <out-prefix>   e.g. docs/images/design-after
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { build } from '../lib/build.js';
import { launchBrowser } from '../lib/browser.js';

const [briefing, prefix] = process.argv.slice(2);
const THEMES = ['light', 'dark', 'high-contrast', 'print'];
const COLUMNS = 4;
const SCALE = 0.5;
const GAP = 8;

const browser = await launchBrowser();
try {
  for (const theme of THEMES) {
    const out = await mkdtemp(join(tmpdir(), 'briefdeck-shots-'));
    const result = await build({ paths: [briefing], outDir: out, theme, force: true });
    const deck = result.briefings[0];
    if (!deck?.html) throw new Error(`${theme}: ${JSON.stringify(deck?.diagnostics)}`);
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 720, deviceScaleFactor: SCALE });
    await page.goto(pathToFileURL(join(out, `${basename(briefing).replace(/\.\w+$/, '')}.html`)).href);
    await page.waitForFunction(() => typeof Reveal !== 'undefined' && Reveal.isReady());
    await page.evaluate(() => window.briefdeckFit);
    await page.evaluate(() => Reveal.configure({ transition: 'none', backgroundTransition: 'none' }));
    // Every fragment shown: a picture shows the whole slide.
    await page.addStyleTag({ content: '.reveal .fragment { opacity: 1 !important; visibility: inherit !important; }' });
    const total = await page.evaluate(() => Reveal.getTotalSlides());
    const shots = [];
    for (let i = 0; i < total; i++) {
      await page.evaluate((n) => Reveal.slide(n), i);
      await new Promise((r) => setTimeout(r, 120));
      shots.push(PNG.sync.read(await page.screenshot({ type: 'png' })));
    }
    await page.close();
    const w = shots[0].width;
    const h = shots[0].height;
    const rows = Math.ceil(shots.length / COLUMNS);
    const sheet = new PNG({ width: COLUMNS * w + (COLUMNS + 1) * GAP, height: rows * h + (rows + 1) * GAP });
    sheet.data.fill(0x88);
    shots.forEach((shot, i) => PNG.bitblt(shot, sheet, 0, 0, w, h, GAP + (i % COLUMNS) * (w + GAP), GAP + Math.floor(i / COLUMNS) * (h + GAP)));
    await writeFile(`${prefix}-${theme}.png`, PNG.sync.write(sheet));
    console.log(`${prefix}-${theme}.png: ${shots.length} slides`);
  }
} finally {
  await browser.close();
}
