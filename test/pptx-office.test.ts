// An office suite opens the PPTX: LibreOffice converts each example to PDF, one page per slide
// with the slide's text. A file that an office suite cannot open fails here. Skipped, saying so,
// where LibreOffice is not installed (.ci/run installs libreoffice-impress).

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { textOfPart, openPptx } from './helpers/pptx.js';
import { pdfInfo, pdfText } from './helpers/pdf.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';

const run = promisify(execFile);
const soffice = await run('sh', ['-c', 'command -v soffice']).then((r) => r.stdout.trim(), () => '');
if (soffice === '') console.warn('pptx-office.test.ts: skipped: LibreOffice (soffice) is not installed; apt-get install libreoffice-impress');

const BRIEFINGS = [EXAMPLE, join(ROOT, 'briefings', 'panama-canal-drought.yaml'), join(FILES, 'valid', 'every-type.yaml')];

describe.skipIf(soffice === '')('the PPTX in LibreOffice', () => {
  let out: string;
  let result: BuildResult;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'briefdeck-office-'));
    result = await build({ paths: BRIEFINGS, outDir: out, pptx: true });
    const profile = `file://${join(out, 'lo-profile')}`;
    await run(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', join(out, 'pdf'), ...result.briefings.map((b) => join(out, `${b.slug}.pptx`))], { timeout: 240_000 });
  }, 300_000);
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('opens every file: one page per slide, each with its slide\'s text', async () => {
    for (const b of result.briefings) {
      const pdf = join(out, 'pdf', `${b.slug}.pdf`);
      expect((await pdfInfo(pdf)).Pages, b.slug).toBe(String(b.slideCount));
      const pptx = await openPptx(join(out, `${b.slug}.pptx`));
      for (let n = 1; n <= pptx.slideCount; n++) {
        const words = (s: string) => s.replace(/\s+/g, ' ').trim();
        const page = words(await pdfText(pdf, n));
        // The slide's first paragraph of text, as the office suite laid it out.
        const first = textOfPart(await pptx.slide(n)).split('\n').map(words).find((t) => t.length > 3)!;
        expect(page, `${b.slug} page ${n}`).toContain(first.slice(0, 24));
      }
    }
  });

  // The SVG's PNG fallback (or the SVG) is what the office suite draws: the chart's blue bars.
  it('draws the SVG image on its slide', async () => {
    const pptx = await openPptx(join(out, 'every-type.pptx'));
    let n = 1;
    while (!textOfPart(await pptx.slide(n)).includes('Weekly output')) n++;
    const { stdout } = await run('pdftoppm', ['-r', '24', '-f', String(n), '-l', String(n), join(out, 'pdf', 'every-type.pdf')], { encoding: 'buffer', maxBuffer: 1 << 24 });
    // PPM: "P6\n<w> <h>\n255\n" then RGB bytes.
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(stdout.subarray(0, 40).toString('latin1'))!;
    const pixels = stdout.subarray(header[0].length);
    let blue = 0;
    for (let i = 0; i + 2 < pixels.length; i += 3) if (Math.abs(pixels[i]! - 0x2b) < 24 && Math.abs(pixels[i + 1]! - 0x6c) < 24 && Math.abs(pixels[i + 2]! - 0xb0) < 24) blue++;
    // The four bars fill about a tenth of the slide.
    expect(blue / (Number(header[1]) * Number(header[2]))).toBeGreaterThan(0.05);
  });

  // The banners, footer and slide number come from the slides' layout, not from each slide.
  it('draws the layout\'s banners, footer and slide number on every slide', async () => {
    const b = result.briefings.find((r) => r.slug === 'every-type')!;
    for (let n = 1; n <= b.slideCount!; n++) {
      const page = await pdfText(join(out, 'pdf', 'every-type.pdf'), n);
      expect(page.match(/INTERNAL/g)?.length, `page ${n}`).toBe(2);
      expect(page, `page ${n}`).toContain('Quarterly operations review');
      expect(page, `page ${n}`).toMatch(new RegExp(`(^|\\s)${n}(\\s|$)`));
    }
  });
});
