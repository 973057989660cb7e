// The editable PowerPoint file, read back as OOXML: one slide per deck slide with its text as
// runs, bullet levels, tables, native charts with their data, notes, links, the master's banner;
// none of the known repair triggers; the same bytes on every build; hostile text stays text.

import { copyFile, mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { phantomParts, REPAIRS } from '../src/pptx/package.js';
import { openPptx, paragraphs, textOfPart, type Pptx } from './helpers/pptx.js';
import { EXAMPLE, FILES, ROOT } from './helpers/paths.js';

const EVERY_TYPE = join(FILES, 'valid', 'every-type.yaml');
const CHARTS = join(ROOT, 'briefings', 'panama-canal-drought.yaml');
const HOSTILE = join(FILES, 'hostile', 'everything.yaml');

let out: string;
let result: BuildResult;

/** The number of the first slide whose text has `text`. */
async function slideWith(pptx: Pptx, text: string): Promise<number> {
  for (let n = 1; n <= pptx.slideCount; n++) if (textOfPart(await pptx.slide(n)).includes(text)) return n;
  throw new Error(`no slide with ${text}`);
}
const files: Record<string, Pptx> = {};

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'briefdeck-pptx-'));
  result = await build({ paths: [EXAMPLE, EVERY_TYPE, CHARTS, HOSTILE], outDir: out, pptx: true });
  // A build that failed says why here, not as missing files below.
  expect(result.briefings.flatMap((b) => b.diagnostics.filter((d) => d.severity === 'error').map((d) => `${b.slug}: ${d.message}`))).toEqual([]);
  for (const b of result.briefings) if (b.pptx) files[b.slug] = await openPptx(join(out, `${b.slug}.pptx`));
}, 120_000);

describe('build --pptx', () => {
  it('writes <out>/<name>.pptx for every briefing, beside the deck', () => {
    expect(result.briefings.map((b) => [b.slug, b.pptx !== undefined, b.written?.pptx])).toEqual([
      ['assad-china-visit', true, true],
      ['every-type', true, true],
      ['panama-canal-drought', true, true],
      ['everything', true, true],
    ]);
  });

  it('has one slide per deck slide, in order', async () => {
    for (const b of result.briefings) expect(files[b.slug]!.slideCount, b.slug).toBe(b.slideCount);
    const titles = await Promise.all([1, 2, 3].map(async (n) => textOfPart(await files['assad-china-visit']!.slide(n))));
    expect(titles[0]).toContain('Assad in China');
    expect(titles[1]).toContain('Agenda');
    expect(titles[2]).toContain('Bottom line');
  });

  it('writes marks as runs, in one paragraph per point, with the bullet on the paragraph', async () => {
    const xml = await files['every-type']!.slide(3);
    const point = paragraphs(xml).find((p) => p.text.startsWith('Throughput rose'))!;
    expect(point.runs.map((r) => r.text)).toEqual(['Throughput rose ', '12%', ' over the previous quarter ', '[1]']);
    expect(point.runs[1]!.rPr).toMatch(/ b="1"/);
    expect(point.runs[3]!.rPr).toMatch(/baseline="30000"/);
    expect(point.pPr).toMatch(/marL=/);
    const bodyXml = xml.slice(xml.indexOf('Throughput rose') - 2000);
    expect(bodyXml).toMatch(/<a:buChar/);
  });

  it('keeps nested points one level down', async () => {
    const xml = await files['every-type']!.slide(5);
    const nested = paragraphs(xml).find((p) => p.text.startsWith('Fewer mis-picks'))!;
    const top = paragraphs(xml).find((p) => p.text.startsWith('Picking accuracy'))!;
    expect(nested.pPr).toMatch(/lvl="1"/);
    expect(top.pPr).not.toMatch(/lvl=/);
  });

  it('makes tables native, with the header and numbers right aligned', async () => {
    const pptx = files['every-type']!;
    const slides = await Promise.all(Array.from({ length: pptx.slideCount }, (_, i) => pptx.slide(i + 1)));
    const xml = slides.find((s) => s.includes('<a:tbl>'))!;
    const cells = [...xml.matchAll(/<a:tc\b[\s\S]*?<\/a:tc>/g)].map((m) => textOfPart(m[0]));
    expect(cells.slice(0, 6)).toEqual(['Region', 'Parcels (thousands)', 'Change', 'North', '412', '+14%']);
    const north412 = [...xml.matchAll(/<a:tc\b[\s\S]*?<\/a:tc>/g)].map((m) => m[0]).find((c) => c.includes('>412<'))!;
    expect(north412).toMatch(/algn="r"/);
  });

  it('makes charts native, carrying their data in the chart and an embedded workbook', async () => {
    const pptx = files['panama-canal-drought']!;
    const charts = pptx.names.filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n)).sort();
    expect(charts).toEqual(['ppt/charts/chart1.xml', 'ppt/charts/chart2.xml', 'ppt/charts/chart3.xml', 'ppt/charts/chart4.xml']);
    const kinds = await Promise.all(charts.map(async (c) => /<c:(lineChart|pieChart|barChart|areaChart|scatterChart)>/.exec(await pptx.part(c))?.[1]));
    expect(kinds).toEqual(['lineChart', 'pieChart', 'barChart', 'barChart']);
    const line = await pptx.part(charts[0]!);
    expect([...line.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['2023-07-30', '32', '25', '20']));
    expect(pptx.names.filter((n) => n.endsWith('.xlsx'))).toHaveLength(4);
  });

  it('puts speaker notes in notes slides', async () => {
    const pptx = files['every-type']!;
    const notes = await pptx.part('ppt/notesSlides/notesSlide3.xml');
    expect(textOfPart(notes)).toContain('Start with the headline number, then go straight to the two risks.');
  });

  it('links sources to the web and citation markers to the Sources slide', async () => {
    const pptx = files['panama-canal-drought']!;
    const last = pptx.slideCount;
    const sources = await pptx.rels(last);
    expect(sources).toMatch(/Target="https:\/\/pancanal\.com\/en\/maritime-industry-continues-to-prefer-route-through-panama\/" TargetMode="External"/);
    const summary = await pptx.slide(2);
    expect(summary).toMatch(/action="ppaction:\/\/hlinksldjump"/);
    expect(await pptx.rels(2)).toContain(`Target="slide${last}.xml"`);
  });

  // pptxgenjs draws a defined master as a layout of its one slide master; every slide uses it,
  // and so does a slide the recipient adds with it.
  it('puts the classification banners, footer and slide number on the slides\' master layout', async () => {
    const layout = async (slug: string) => {
      const rels = await files[slug]!.rels(3);
      return files[slug]!.part(`ppt/slideLayouts/${/slideLayouts\/(slideLayout\d+\.xml)/.exec(rels)![1]}`);
    };
    const master = await layout('every-type');
    expect(master).toContain('<p:cSld name="BRIEFDECK">');
    expect(textOfPart(master)).toContain('INTERNAL');
    expect(textOfPart(master)).toContain('Quarterly operations review');
    const example = await layout('assad-china-visit');
    expect(example).toContain('007A33'); // unclassified green
    expect(await files['assad-china-visit']!.slide(3)).toMatch(/type="slidenum"/);
  });

  // PowerPoint shows neither SVG nor WebP by itself: the browser that measured the deck draws a
  // PNG, and an SVG goes in as itself with that PNG as its fallback.
  it('places an image beside bullets and text (40% of the body, on its side) and a picture behind a section', async () => {
    const media = await mkdtemp(join(tmpdir(), 'briefdeck-pptx-media-'));
    const built = await build({ paths: [join(FILES, 'valid', 'media.yaml')], outDir: media, pptx: true });
    expect(built.briefings.flatMap((b) => b.diagnostics.map((d) => d.message))).toEqual([]);
    const pptx = await openPptx(join(media, 'media.pptx'));
    const picture = async (title: string) => {
      const xml = await pptx.slide(await slideWith(pptx, title));
      const pic = /<p:pic>[\s\S]*?<\/p:pic>/.exec(xml)?.[0];
      const off = /<a:off x="(\d+)"/.exec(pic ?? '')?.[1];
      return { xml, pic, x: off === undefined ? undefined : Number(off) };
    };
    const slideWidth = 12192000;
    const right = await picture('The quay walls');
    expect(right.pic).toContain('descr="Bar chart of repaired wall length rising each month"');
    expect(right.x).toBeGreaterThan(slideWidth / 2);
    const left = await picture('Dredging');
    expect(left.pic).toContain('descr="Drawing of the harbour entrance between two hills"');
    expect(left.x).toBeLessThan(slideWidth / 4);
    expect(textOfPart(left.xml)).toContain('The entrance channel, looking north');
    const section = await picture('Quay walls, dredging and the new berth');
    expect(section.xml).toMatch(/<p:bg>[\s\S]*<a:blip r:embed="rId\d+"/);
    await rm(media, { recursive: true, force: true });
  }, 120_000);

  it('shows an SVG image as a picture: the SVG with a PNG drawn by the browser as its fallback', async () => {
    const pptx = files['every-type']!;
    const n = await slideWith(pptx, 'Weekly output');
    const xml = await pptx.slide(n);
    const rels = await pptx.rels(n);
    const pic = /<p:pic>[\s\S]*?<\/p:pic>/.exec(xml)?.[0] ?? '';
    const target = (rId: string) => new RegExp(`Id="${rId}"[^>]*Target="\\.\\./media/([^"]+)"`).exec(rels)?.[1];
    const png = target(/<a:blip r:embed="(rId\d+)"/.exec(pic)?.[1] ?? '');
    const svg = target(/<asvg:svgBlip [^>]*r:embed="(rId\d+)"/.exec(pic)?.[1] ?? '');
    expect(png).toMatch(/\.png$/);
    expect(svg).toMatch(/\.svg$/);
    const bytes = Buffer.from(await pptx.zip.file(`ppt/media/${png}`)!.async('uint8array'));
    // A real drawing at twice the slide's size, not pptxgenjs's broken-image stand-in.
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([2560, 1440]);
    expect(await pptx.zip.file(`ppt/media/${svg}`)!.async('string')).toContain('<svg');
  });

  it('keeps PNG pictures byte for byte', async () => {
    const pptx = files['every-type']!;
    const media = pptx.names.filter((name) => name.startsWith('ppt/media/') && name.endsWith('.png'));
    const pixel = await readFile(join(FILES, 'valid', 'images', 'pixel.png'));
    const found = await Promise.all(media.map(async (name) => Buffer.from(await pptx.zip.file(name)!.async('uint8array')).equals(pixel)));
    expect(found).toContain(true);
  });

  // PowerPoint's and LibreOffice's New Slide take the layout of the slide the user is on.
  it('puts every slide on that layout, so a slide added after any of them gets it too', async () => {
    for (const [slug, pptx] of Object.entries(files)) {
      for (let n = 1; n <= pptx.slideCount; n++) {
        const layout = /slideLayouts\/(slideLayout\d+\.xml)/.exec(await pptx.rels(n))![1];
        expect(await pptx.part(`ppt/slideLayouts/${layout}`), `${slug} slide ${n}`).toContain('<p:cSld name="BRIEFDECK">');
      }
    }
  });

  it('carries the document properties', async () => {
    const core = await files['assad-china-visit']!.part('docProps/core.xml');
    expect(core).toContain('<dc:title>Assad in China</dc:title>');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2023-09-25T00:00:00Z</dcterms:created>');
  });

  it('has none of the known repair triggers', async () => {
    for (const [slug, pptx] of Object.entries(files)) {
      expect(phantomParts(await pptx.part('[Content_Types].xml'), new Set(pptx.names)), slug).toEqual([]);
      for (const name of pptx.names.filter((n) => n.endsWith('.xml'))) {
        const xml = await pptx.part(name);
        expect(REPAIRS.filter((r) => r.found(xml, name)).map((r) => `${name}: ${r.id}`), slug).toEqual([]);
      }
    }
  });

  it('keeps hostile text as text', async () => {
    const pptx = files['everything']!;
    for (const name of pptx.names.filter((n) => n.endsWith('.xml') || n.endsWith('.rels'))) {
      const xml = await pptx.part(name);
      expect(xml, name).not.toMatch(/<(script|svg|img|iframe|style)\b/i);
      expect(xml, name).not.toMatch(/Target="\s*(javascript|file|data):/i);
    }
    expect(textOfPart(await pptx.slide(1))).toContain('</title><script>window.__pwned=1</script>');
  });

  it('writes the same bytes on every build', async () => {
    const again = await mkdtemp(join(tmpdir(), 'briefdeck-pptx-again-'));
    const rebuilt = await build({ paths: [EVERY_TYPE, CHARTS], outDir: again, pptx: true });
    expect(rebuilt.briefings.flatMap((b) => b.diagnostics.map((d) => `${d.file}: ${d.message}`))).toEqual([]);
    for (const slug of ['every-type', 'panama-canal-drought']) {
      expect((await readFile(join(again, `${slug}.pptx`))).equals(await readFile(join(out, `${slug}.pptx`))), slug).toBe(true);
    }
    await rm(again, { recursive: true, force: true });
  }, 120_000);
});

describe('the PPTX in the build cache', () => {
  it('is left alone when nothing changed, written again when deleted, and kept when a briefing breaks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'briefdeck-pptx-cache-'));
    await mkdir(join(dir, 'briefings'));
    const briefing = join(dir, 'briefings', 'b.yaml');
    await copyFile(join(FILES, 'valid', 'minimal.yaml'), briefing);
    const first = await build({ cwd: dir, pptx: true });
    expect(first.briefings[0]!.written?.pptx).toBe(true);
    const path = join(dir, 'dist', 'b.pptx');
    const before = await stat(path, { bigint: true });
    const second = await build({ cwd: dir, pptx: true });
    expect(second.briefings[0]!.written).toBeUndefined();
    expect(second.briefings[0]!.pptx).toBe(join('dist', 'b.pptx'));
    expect((await stat(path, { bigint: true })).mtimeNs).toBe(before.mtimeNs);
    await rm(path);
    const third = await build({ cwd: dir, pptx: true });
    expect(third.briefings[0]!.written).toEqual({ pptx: true });
    const good = await readFile(path);
    await writeFile(briefing, 'title: [unclosed\n');
    const broken = await build({ cwd: dir, pptx: true });
    expect(broken.ok).toBe(false);
    expect((await readFile(path)).equals(good)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});
