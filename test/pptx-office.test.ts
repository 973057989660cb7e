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
});
