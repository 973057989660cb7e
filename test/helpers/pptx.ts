// Reading a written PPTX back: its parts with JSZip, slides' runs, paragraphs and links.

import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';

export interface Pptx {
  zip: JSZip;
  names: string[];
  part(name: string): Promise<string>;
  /** Slide parts in presentation order (slide1.xml, slide2.xml...). */
  slideCount: number;
  slide(n: number): Promise<string>;
  rels(n: number): Promise<string>;
}

export async function openPptx(pathOrBytes: string | Uint8Array): Promise<Pptx> {
  const zip = await JSZip.loadAsync(typeof pathOrBytes === 'string' ? await readFile(pathOrBytes) : pathOrBytes);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const part = async (name: string) => {
    const file = zip.file(name);
    if (!file) throw new Error(`no part ${name}`);
    return file.async('string');
  };
  const presentation = await part('ppt/presentation.xml');
  return {
    zip,
    names,
    part,
    slideCount: (presentation.match(/<p:sldId /g) ?? []).length,
    slide: (n) => part(`ppt/slides/slide${n}.xml`),
    rels: (n) => part(`ppt/slides/_rels/slide${n}.xml.rels`),
  };
}

const decode = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Each paragraph of a part: its properties element and its runs' text. */
export function paragraphs(xml: string): { pPr: string; runs: { rPr: string; text: string }[]; text: string }[] {
  return [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((m) => {
    const runs = [...m[1]!.matchAll(/<a:r>(<a:rPr[\s\S]*?(?:\/>|<\/a:rPr>))?<a:t>([\s\S]*?)<\/a:t><\/a:r>/g)].map((r) => ({ rPr: r[1] ?? '', text: decode(r[2]!) }));
    return { pPr: /<a:pPr\b[^>]*\/?>/.exec(m[1]!)?.[0] ?? '', runs, text: runs.map((r) => r.text).join('') };
  });
}

/** All the text of a part, paragraph by paragraph. */
export function textOfPart(xml: string): string {
  return paragraphs(xml).map((p) => p.text).join('\n');
}
