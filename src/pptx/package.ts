// Package: pptxgenjs's zip made safe to open and the same on every build. Each known PowerPoint
// repair trigger in what it writes (upstream issues #1380, #1048, #1441–#1444, #1449) is mended
// here, and everything that varies between builds (zip times, document dates, chart part
// numbers from a counter shared by the process, the chart workbooks' own dates) is fixed.

import JSZip from 'jszip';
import { sha256 } from '../cache.js';

export interface DocumentProperties {
  title: string;
  subject?: string;
  author?: string;
  company?: string;
  keywords: readonly string[];
  /** The briefing's date, YYYY-MM-DD: the document's created and modified dates. */
  date: string;
  lang: string;
  /** The program that wrote the file. */
  generator: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const EMPTY_PARAGRAPH = '<a:p><a:endParaRPr lang="en-US" dirty="0"/></a:p>';

/** One known repair trigger: how to find it in a part, and how to mend the part. */
export interface Repair {
  id: string;
  /** Where it was reported. */
  issue: string;
  found(xml: string, name: string): boolean;
  mend(xml: string, name: string): string;
}

export const REPAIRS: readonly Repair[] = [
  {
    id: 'background-without-effects',
    issue: 'gitbrent/PptxGenJS#1442',
    found: (xml) => /<p:bgPr>(?:(?!<\/p:bgPr>)[\s\S])*<\/a:solidFill><\/p:bgPr>/.test(xml),
    mend: (xml) => xml.replace(/(<p:bgPr>(?:(?!<\/p:bgPr>)[\s\S])*<\/a:solidFill>)(<\/p:bgPr>)/g, '$1<a:effectLst/>$2'),
  },
  {
    id: 'shape-without-text-body',
    issue: 'gitbrent/PptxGenJS#1441',
    found: (xml) => [...xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].some((m) => !m[1]!.includes('<p:txBody>')),
    mend: (xml) => xml.replace(/<p:sp>([\s\S]*?)<\/p:sp>/g, (whole, inner: string) => (inner.includes('<p:txBody>') ? whole : `<p:sp>${inner}<p:txBody><a:bodyPr/><a:lstStyle/>${EMPTY_PARAGRAPH}</p:txBody></p:sp>`)),
  },
  {
    id: 'text-body-without-paragraph',
    issue: 'gitbrent/PptxGenJS#1380, #1048',
    found: (xml) => [...xml.matchAll(/<(a|p):txBody>([\s\S]*?)<\/\1:txBody>/g)].some((m) => !m[2]!.includes('<a:p>')),
    mend: (xml) => xml.replace(/<(a|p):txBody>([\s\S]*?)<\/\1:txBody>/g, (whole, ns: string, inner: string) => (inner.includes('<a:p>') ? whole : `<${ns}:txBody>${inner}${EMPTY_PARAGRAPH}</${ns}:txBody>`)),
  },
  {
    // Not a repair in PowerPoint, but LibreOffice drops the bullet of a paragraph with several.
    id: 'paragraph-with-several-properties',
    issue: 'briefdeck issue 14 (pptxgenjs 4.0.1, one <a:pPr> per run)',
    found: (xml) => [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].some((m) => (m[1]!.match(/<a:pPr\b/g) ?? []).length > 1),
    mend: (xml) =>
      xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_whole, inner: string) => {
        let first = true;
        const kept = inner.replace(/<a:pPr\b(?:[^>]*\/>|[^>]*>[\s\S]*?<\/a:pPr>)/g, (pPr) => (first ? ((first = false), pPr) : ''));
        return `<a:p>${kept}</a:p>`;
      }),
  },
  {
    id: 'notes-master-placeholders',
    issue: 'gitbrent/PptxGenJS#1443',
    found: (xml, name) => name.startsWith('ppt/notesMasters/') && /<p:sp>/.test(xml),
    mend: (xml, name) => (name.startsWith('ppt/notesMasters/') ? xml.replace(/<p:sp>[\s\S]*?<\/p:sp>/g, '') : xml),
  },
  {
    id: 'empty-line',
    issue: 'GCWing/OpenBitFun#1642',
    found: (xml) => /<a:ln><\/a:ln>|<a:ln\/>/.test(xml),
    mend: (xml) => xml.replace(/<a:ln><\/a:ln>|<a:ln\/>/g, '<a:ln><a:noFill/></a:ln>'),
  },
  {
    id: 'empty-chart-value',
    issue: 'missing chart values written as <c:v></c:v>',
    found: (xml) => /<c:pt idx="\d+"><c:v><\/c:v><\/c:pt>/.test(xml),
    mend: (xml) => xml.replace(/<c:pt idx="\d+"><c:v><\/c:v><\/c:pt>/g, ''),
  },
  {
    id: 'invalid-number',
    issue: 'gitbrent/PptxGenJS#1440',
    found: (xml) => /="(?:NaN|undefined|-?Infinity)"/.test(xml),
    mend: (xml) => xml.replace(/="(?:NaN|undefined|-?Infinity)"/g, '="0"'),
  },
  {
    id: 'negative-extent',
    issue: 'GCWing/OpenBitFun#1642',
    found: (xml) => /<a:ext c[xy]="-|<a:ext cx="\d+" cy="-/.test(xml),
    mend: (xml) => xml.replace(/(<a:ext c[xy]=")-\d+/g, '$10').replace(/(<a:ext cx="\d+" cy=")-\d+/g, '$10'),
  },
];

/** Content types declared for parts that are not in the package (#1444: phantom slide masters). */
export function phantomParts(types: string, names: ReadonlySet<string>): string[] {
  return [...types.matchAll(/<Override PartName="\/([^"]+)"[^>]*\/>/g)].map((m) => m[1]!).filter((name) => !names.has(name));
}

/** The zip entries' time: the briefing's date at midnight, as local time so that DOS times match everywhere. */
function zipDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

async function regenerate(zip: JSZip, date: string): Promise<Buffer> {
  const when = zipDate(date);
  for (const file of Object.values(zip.files)) file.date = when;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}

function coreXml(props: DocumentProperties): string {
  const when = `${props.date}T00:00:00Z`;
  const opt = (tag: string, value: string | undefined) => (value ? `<${tag}>${escapeXml(value)}</${tag}>` : '');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    opt('dc:title', props.title) +
    opt('dc:subject', props.subject) +
    opt('dc:creator', props.author) +
    opt('cp:keywords', props.keywords.join(', ')) +
    opt('dc:language', props.lang) +
    opt('cp:lastModifiedBy', props.author) +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** Renumbers parts named `<prefix><n><suffix>` 1, 2, 3... in their order in the package. */
function renumber(names: readonly string[], pattern: RegExp): Map<string, string> {
  const found = [...new Set(names.flatMap((n) => [...n.matchAll(pattern)].map((m) => m[1]!)))].sort((a, b) => Number(a) - Number(b));
  return new Map(found.map((n, i) => [n, String(i + 1)]));
}

/**
 * The PNG each SVG picture falls back to. pptxgenjs writes an SVG as `image-S-N.svg` after its
 * fallback `image-S-(N-1).png`, which in Node it leaves as a broken-image icon.
 */
async function svgFallbacks(zip: JSZip, pngOfSvg: ReadonlyMap<string, Uint8Array>): Promise<Map<string, Uint8Array>> {
  const fallbacks = new Map<string, Uint8Array>();
  for (const name of Object.keys(zip.files)) {
    const m = /^ppt\/media\/image-(\d+)-(\d+)\.svg$/.exec(name);
    const png = m && pngOfSvg.get(sha256(await zip.files[name]!.async('uint8array')));
    if (m && png) fallbacks.set(`ppt/media/image-${m[1]}-${Number(m[2]) - 1}.png`, png);
  }
  return fallbacks;
}

/**
 * Mends, renumbers and dates pptxgenjs's package; returns the finished, compressed file.
 * `pngOfSvg`: the PNG to show for each SVG picture where SVG is not read, by the SVG's SHA-256.
 */
export async function finishPackage(written: Uint8Array, props: DocumentProperties, pngOfSvg: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Buffer> {
  const zip = await JSZip.loadAsync(written);
  const fallbacks = await svgFallbacks(zip, pngOfSvg);
  const chartIds = renumber(Object.keys(zip.files), /^ppt\/charts\/chart(\d+)\.xml$/g);
  const renamed = (name: string) =>
    name.replace(/(chart|Microsoft_Excel_Worksheet)(\d+)(\.xml|\.xlsx)/g, (whole, stem: string, n: string, ext: string) => (chartIds.has(n) ? `${stem}${chartIds.get(n)}${ext}` : whole));
  const out = new JSZip();
  const names = new Set(Object.keys(zip.files).filter((n) => !zip.files[n]!.dir).map(renamed));
  for (const [name, file] of Object.entries(zip.files)) {
    if (file.dir) continue;
    const target = renamed(name);
    if (name.endsWith('.xlsx')) {
      out.file(target, await finishWorkbook(await file.async('uint8array'), props.date));
      continue;
    }
    // Pictures are bytes, not text.
    if (!/\.(?:xml|rels)$/.test(name)) {
      out.file(target, fallbacks.get(name) ?? (await file.async('uint8array')));
      continue;
    }
    let xml = renamed(await file.async('string'));
    if (name === '[Content_Types].xml') for (const phantom of phantomParts(xml, names)) xml = xml.replace(new RegExp(`<Override PartName="/${phantom.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*/>`, 'g'), '');
    else if (name === 'docProps/core.xml') xml = coreXml(props);
    else if (name === 'docProps/app.xml') xml = xml.replace(/<Company>[\s\S]*?<\/Company>/, `<Company>${escapeXml(props.company ?? '')}</Company>`).replace(/<Application>[^<]*<\/Application>/, '<Application>Microsoft Office PowerPoint</Application>');
    else if (name.endsWith('.xml')) for (const repair of REPAIRS) if (repair.found(xml, name)) xml = repair.mend(xml, name);
    out.file(target, xml);
  }
  return regenerate(out, props.date);
}

/** A chart's embedded workbook, with its own document dates and zip times fixed. */
async function finishWorkbook(bytes: Uint8Array, date: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const core = zip.file('docProps/core.xml');
  if (core) zip.file('docProps/core.xml', (await core.async('string')).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${date}T00:00:00Z$2`));
  return regenerate(zip, date);
}
