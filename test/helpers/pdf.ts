// Reading PDFs in tests: poppler's tools for what a reader sees (pages, sizes, text, fonts,
// metadata) and pdf-lib for the structure (outline, link targets).

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

const run = promisify(execFile);

export async function pdfInfo(path: string): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', ['-isodates', path]);
  return Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
}

export async function pdfText(path: string, page: number): Promise<string> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', path, '-']);
  return stdout;
}

export async function pdfFonts(path: string): Promise<{ name: string; embedded: boolean }[]> {
  const { stdout } = await run('pdffonts', [path]);
  return stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return { name: cols[0]!, embedded: cols.at(-5) === 'yes' };
    });
}

export interface OutlineNode {
  title: string;
  page: number;
  children: OutlineNode[];
}

function decodeText(obj: PDFObject | undefined): string {
  return obj instanceof PDFHexString || obj instanceof PDFString ? obj.decodeText() : '';
}

export async function loadPdf(path: string): Promise<PDFDocument> {
  return PDFDocument.load(await readFile(path), { updateMetadata: false });
}

function pageIndexOf(doc: PDFDocument, dest: PDFObject | undefined): number {
  const array = dest instanceof PDFRef ? doc.context.lookup(dest) : dest;
  if (!(array instanceof PDFArray)) return -1;
  const ref = array.get(0);
  return doc.getPages().findIndex((p) => p.ref === ref);
}

export function readOutline(doc: PDFDocument): OutlineNode[] {
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const level = (first: PDFObject | undefined): OutlineNode[] => {
    const nodes: OutlineNode[] = [];
    let ref = first;
    while (ref instanceof PDFRef) {
      const item = doc.context.lookup(ref, PDFDict);
      nodes.push({
        title: decodeText(item.get(PDFName.of('Title'))),
        page: pageIndexOf(doc, item.get(PDFName.of('Dest'))),
        children: level(item.get(PDFName.of('First'))),
      });
      ref = item.get(PDFName.of('Next'));
    }
    return nodes;
  };
  return root ? level(root.get(PDFName.of('First'))) : [];
}

/** The links on a page: internal ones as `page:<index>`, external ones as their URI. */
export function readLinks(doc: PDFDocument, pageIndex: number): string[] {
  const page = doc.getPages()[pageIndex]!;
  const annots = page.node.Annots();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  const links: string[] = [];
  for (let i = 0; annots !== undefined && i < annots.size(); i++) {
    const annot = doc.context.lookup(annots.get(i), PDFDict);
    if (annot.get(PDFName.of('Subtype')) !== PDFName.of('Link')) continue;
    const dest = annot.get(PDFName.of('Dest'));
    if (dest instanceof PDFName) {
      links.push(`page:${pageIndexOf(doc, dests?.get(PDFName.of(dest.decodeText())))}`);
      continue;
    }
    const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
    const uri = action?.get(PDFName.of('URI'));
    if (uri) links.push(decodeText(uri));
  }
  return links;
}
