// The PDF as a document: Chromium prints the pages; this adds what a distributed briefing needs
// and Chromium does not write: metadata from the briefing (dates included, so a rebuild is
// byte-identical) both as the information dictionary and as XMP, the language and a window title,
// an outline of the slides nested under their sections, and a stable file id.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as PdfLib from 'pdf-lib';
import type { PDFObject, PDFPage } from 'pdf-lib';
import { keywordText, xmpPacket } from './xmp.js';

// pdf-lib's single-file build: the same code, loaded in a third of the time of its hundreds of
// modules (pdf-lib has no exports map; this file is its documented browser and unpkg entry).
const { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, ParseSpeeds } = createRequire(import.meta.url)('pdf-lib/dist/pdf-lib.min.js') as typeof PdfLib;
type PDFDict = PdfLib.PDFDict;
type PDFDocument = PdfLib.PDFDocument;
type PDFRef = PdfLib.PDFRef;
type PDFString = PdfLib.PDFString;

export interface PdfInfo {
  title: string;
  author?: string;
  subject?: string;
  keywords: string[];
  creator: string;
  /** YYYY-MM-DD: both the creation and modification date. */
  date: string;
  lang: string;
}

export interface OutlineEntry {
  title: string;
  /** 0-based page index. */
  page: number;
  children: OutlineEntry[];
}

function writeOutline(doc: PDFDocument, entries: readonly OutlineEntry[]): void {
  if (entries.length === 0) return;
  const { context } = doc;
  const pages: PDFPage[] = doc.getPages();
  const rootRef = context.nextRef();

  // Returns the first and last refs and the number of visible descendants.
  const writeLevel = (items: readonly OutlineEntry[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => context.nextRef());
    let count = items.length;
    items.forEach((item, i) => {
      const dict = context.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parent);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < items.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      const dest = PDFArray.withContext(context);
      dest.push(pages[item.page]!.ref);
      dest.push(PDFName.of('Fit'));
      dict.set(PDFName.of('Dest'), dest);
      if (item.children.length > 0) {
        const child = writeLevel(item.children, refs[i]!);
        dict.set(PDFName.of('First'), child.first);
        dict.set(PDFName.of('Last'), child.last);
        dict.set(PDFName.of('Count'), PDFNumber.of(child.count));
        count += child.count;
      }
      context.assign(refs[i]!, dict);
    });
    return { first: refs[0]!, last: refs.at(-1)!, count };
  };

  const top = writeLevel(entries, rootRef);
  const root = context.obj({ Type: 'Outlines' }) as PDFDict;
  root.set(PDFName.of('First'), top.first);
  root.set(PDFName.of('Last'), top.last);
  root.set(PDFName.of('Count'), PDFNumber.of(top.count));
  context.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * Chromium names tagged table headers by DOM node number (`node00000203`), which depends on what
 * else the renderer process has printed. Renumber them in document order so output is stable.
 */
function renumberStructureIds(doc: PDFDocument): void {
  const ids = new Map<string, PDFString>();
  const ID = PDFName.of('ID');
  const objects = doc.context.enumerateIndirectObjects().sort(([a], [b]) => a.objectNumber - b.objectNumber);
  for (const [, object] of objects) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('StructElem')) continue;
    const id = object.get(ID);
    if (!(id instanceof PDFString || id instanceof PDFHexString)) continue;
    const stable = PDFString.of(`id${String(ids.size + 1).padStart(6, '0')}`);
    ids.set(id.decodeText(), stable);
    object.set(ID, stable);
  }
  if (ids.size === 0) return;
  const HEADERS = PDFName.of('Headers');
  const rewrite = (dict: PDFDict) => {
    const headers = dict.get(HEADERS);
    if (!(headers instanceof PDFArray)) return;
    for (let i = 0; i < headers.size(); i++) {
      const old = headers.get(i);
      const stable = old instanceof PDFString || old instanceof PDFHexString ? ids.get(old.decodeText()) : undefined;
      if (stable) headers.set(i, stable);
    }
  };
  const NAMES = PDFName.of('Names');
  for (const [, object] of objects) {
    if (!(object instanceof PDFDict)) continue;
    // The structure tree's IDTree: a name tree keyed by the same ids, kept sorted.
    const names = object.get(NAMES);
    if (names instanceof PDFArray && names.size() > 0 && object.has(PDFName.of('Limits'))) {
      const pairs: [PDFString, PDFObject][] = [];
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const key = names.get(i);
        const text = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : '';
        pairs.push([ids.get(text) ?? PDFString.of(text), names.get(i + 1)]);
      }
      pairs.sort(([a], [b]) => (a.decodeText() < b.decodeText() ? -1 : 1));
      object.set(NAMES, doc.context.obj(pairs.flat()));
      object.set(PDFName.of('Limits'), doc.context.obj([pairs[0]![0], pairs.at(-1)![0]]));
    }
    const attributes = object.get(PDFName.of('A'));
    if (attributes instanceof PDFDict) rewrite(attributes);
    if (attributes instanceof PDFArray) {
      for (let i = 0; i < attributes.size(); i++) {
        const item = attributes.get(i);
        const dict = item instanceof PDFRef ? doc.context.lookup(item) : item;
        if (dict instanceof PDFDict) rewrite(dict);
      }
    }
  }
}

export class PageCountError extends Error {}

/**
 * Adds metadata and the outline to a printed deck. `expectedPages` guards the one-page-per-slide
 * promise: a printed deck with a different count is an error, not a quietly wrong PDF.
 */
export async function finishPdf(
  printed: Uint8Array,
  info: PdfInfo,
  outline: readonly OutlineEntry[],
  expectedPages: number,
): Promise<{ pdf: Uint8Array; pages: number }> {
  // In one go: pdf-lib otherwise stops every 100 objects (every 50 when saving) for a timer,
  // which in a busy build waits behind whatever else is running.
  const doc = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const pages = doc.getPageCount();
  if (pages !== expectedPages) {
    throw new PageCountError(`the printed deck has ${pages} pages for ${expectedPages} expected; a slide did not fit its page`);
  }
  const iso = `${info.date}T00:00:00Z`;
  const date = new Date(iso);
  const producer = `${info.creator} (Chromium)`;
  // A reader's window shows the title (ViewerPreferences /DisplayDocTitle), not the file name.
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.author) doc.setAuthor(info.author);
  if (info.subject) doc.setSubject(info.subject);
  // One string, as pdf-lib would join the keywords with spaces: "Xi Jinping" must stay one keyword.
  if (info.keywords.length > 0) doc.setKeywords([keywordText(info.keywords)]);
  doc.setCreator(info.creator);
  doc.setProducer(producer);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage(info.lang);
  const xmp = xmpPacket({ ...info, producer, date: iso });
  const metadata = doc.context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));
  writeOutline(doc, outline);
  renumberStructureIds(doc);
  // The file id is a hash of the file itself (written with a placeholder id first), not of the
  // clock: Chromium's own output varies from run to run only in what this function replaces.
  const placeholder = PDFHexString.of('0'.repeat(32));
  doc.context.trailerInfo.ID = doc.context.obj([placeholder, placeholder]);
  const bytes = Buffer.from(await doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity }));
  const id = Buffer.from(createHash('md5').update(bytes).digest('hex'));
  const marker = Buffer.from(`<${'0'.repeat(32)}>`);
  for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) id.copy(bytes, at + 1);
  return { pdf: new Uint8Array(bytes), pages };
}
