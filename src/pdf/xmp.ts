// XMP: the PDF's metadata as the XML packet that archives, search engines and PDF/A checkers read
// (the document information dictionary is deprecated since PDF 2.0). It says exactly what the
// information dictionary says, field for field.

export interface XmpFields {
  title: string;
  author?: string;
  subject?: string;
  keywords: string[];
  lang: string;
  creator: string;
  producer: string;
  /** ISO 8601, e.g. 2023-09-25T00:00:00Z: both creation and modification. */
  date: string;
}

/** Text as XML character data: escaped, and without the characters XML 1.0 forbids. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xml(text)}</rdf:li></rdf:Alt>`;
const list = (kind: 'Bag' | 'Seq', items: readonly string[]) => `<rdf:${kind}>${items.map((i) => `<rdf:li>${xml(i)}</rdf:li>`).join('')}</rdf:${kind}>`;

/** How the keywords read as one string, in the information dictionary and in pdf:Keywords. */
export function keywordText(keywords: readonly string[]): string {
  return keywords.join(', ');
}

export function xmpPacket(fields: XmpFields): string {
  const properties = [
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(fields.title)}</dc:title>`,
    fields.author ? `<dc:creator>${list('Seq', [fields.author])}</dc:creator>` : '',
    fields.subject ? `<dc:description>${alt(fields.subject)}</dc:description>` : '',
    fields.keywords.length > 0 ? `<dc:subject>${list('Bag', fields.keywords)}</dc:subject>` : '',
    `<dc:language>${list('Bag', [fields.lang])}</dc:language>`,
    fields.keywords.length > 0 ? `<pdf:Keywords>${xml(keywordText(fields.keywords))}</pdf:Keywords>` : '',
    `<pdf:Producer>${xml(fields.producer)}</pdf:Producer>`,
    `<xmp:CreatorTool>${xml(fields.creator)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${fields.date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${fields.date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${fields.date}</xmp:MetadataDate>`,
  ].filter(Boolean);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    ...properties,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}
