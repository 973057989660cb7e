// Each known repair trigger of pptxgenjs 4.0.1 is present in what it writes, and gone once the
// package is finished; the finished package is the same bytes however often it is made.

import { describe, expect, it } from 'vitest';
import { finishPackage, phantomParts, REPAIRS } from '../src/pptx/package.js';
import { openPptx } from './helpers/pptx.js';

async function rawPptx(): Promise<Uint8Array> {
  const mod = (await import('pptxgenjs')) as unknown as { default: { default?: unknown } };
  const Ctor = (mod.default.default ?? mod.default) as new () => any;
  const pptx = new Ctor();
  pptx.defineSlideMaster({ title: 'M', background: { color: 'FFFFFF' }, objects: [] });
  const slide = pptx.addSlide({ masterName: 'M' });
  slide.background = { color: 'EEEEEE' };
  slide.addText([{ text: 'a ', options: { bullet: true } }, { text: 'b', options: { bold: true } }], { x: 1, y: 1, w: 4, h: 1 });
  slide.addShape(pptx.ShapeType.rect, { x: 1, y: 3, w: 1, h: 1, fill: { color: '333333' } });
  slide.addTable([[{ text: 'x' }, { text: '' }]], { x: 1, y: 4, w: 4 });
  slide.addChart(pptx.ChartType.line, [{ name: 's', labels: ['1', '2'], values: [1, null] }], { x: 5, y: 1, w: 4, h: 3, chartColors: ['FF0000'] });
  slide.addNotes('n');
  pptx.addSlide({ masterName: 'M' });
  return pptx.write({ outputType: 'uint8array' });
}

async function triggers(bytes: Uint8Array): Promise<string[]> {
  const pptx = await openPptx(bytes);
  const found = phantomParts(await pptx.part('[Content_Types].xml'), new Set(pptx.names)).map((p) => `phantom ${p}`);
  for (const name of pptx.names.filter((n) => n.endsWith('.xml'))) {
    const xml = await pptx.part(name);
    for (const repair of REPAIRS) if (repair.found(xml, name)) found.push(repair.id);
  }
  return [...new Set(found)].sort();
}

const props = { title: 'T', keywords: [], date: '2024-01-02', lang: 'en', generator: 'test' };

describe('the package pptxgenjs writes', () => {
  it('has the known repair triggers before it is finished, and none after', async () => {
    const raw = await rawPptx();
    expect(await triggers(raw)).toEqual(
      expect.arrayContaining(['background-without-effects', 'empty-chart-value', 'empty-line', 'notes-master-placeholders', 'paragraph-with-several-properties', 'phantom ppt/slideMasters/slideMaster2.xml', 'shape-without-text-body']),
    );
    expect(await triggers(await finishPackage(raw, props))).toEqual([]);
  });

  it('mends a text body without a paragraph and invalid numbers', () => {
    const byId = (id: string) => REPAIRS.find((r) => r.id === id)!;
    const cell = '<a:tc><a:txBody><a:bodyPr/><a:lstStyle/></a:txBody></a:tc>';
    expect(byId('text-body-without-paragraph').found(cell, 'x.xml')).toBe(true);
    expect(byId('text-body-without-paragraph').found(byId('text-body-without-paragraph').mend(cell, 'x.xml'), 'x.xml')).toBe(false);
    const nan = '<a:tcPr marL="NaN"/>';
    expect(byId('invalid-number').found(byId('invalid-number').mend(nan, 'x.xml'), 'x.xml')).toBe(false);
  });

  it('is the same bytes every time, whatever the time and the chart counter', async () => {
    const a = await finishPackage(await rawPptx(), props);
    await new Promise((r) => setTimeout(r, 1100));
    const b = await finishPackage(await rawPptx(), props);
    expect(a.equals(b)).toBe(true);
    const names = (await openPptx(b)).names.filter((n) => n.startsWith('ppt/charts/chart'));
    expect(names).toEqual(['ppt/charts/chart1.xml']);
  });
});
