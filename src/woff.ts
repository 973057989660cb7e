// WOFF 1.0 (https://www.w3.org/TR/WOFF/): an sfnt font with each table zlib-compressed. The
// shipped faces are read from their WOFF files and the subsets a deck embeds are written as WOFF,
// both with Node's own zlib: well under a millisecond a face, where the JavaScript converters
// (pako, or WOFF2 through WebAssembly) take 25 to 100 ms, and for the small subsets a deck embeds
// WOFF2 would save only about a fifth more.

import { deflateSync, inflateSync } from 'node:zlib';

const WOFF_HEADER = 44;
const WOFF_ENTRY = 20;
const SFNT_HEADER = 12;
const SFNT_ENTRY = 16;
const pad4 = (n: number) => (n + 3) & ~3;

interface Table {
  tag: number;
  checksum: number;
  /** The table as the font has it. */
  data: Buffer;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function sfntToWoff(sfnt: Uint8Array): Buffer {
  const font = asBuffer(sfnt);
  const count = font.readUInt16BE(4);
  const tables = Array.from({ length: count }, (_, i): Table & { stored: Buffer } => {
    const at = SFNT_HEADER + SFNT_ENTRY * i;
    const offset = font.readUInt32BE(at + 8);
    const data = font.subarray(offset, offset + font.readUInt32BE(at + 12));
    const packed = deflateSync(data);
    return { tag: font.readUInt32BE(at), checksum: font.readUInt32BE(at + 4), data, stored: packed.length < data.length ? packed : data };
  }).sort((a, b) => a.tag - b.tag);

  const size = WOFF_HEADER + WOFF_ENTRY * count + tables.reduce((sum, t) => sum + pad4(t.stored.length), 0);
  const woff = Buffer.alloc(size);
  woff.write('wOFF', 0, 'latin1');
  woff.writeUInt32BE(font.readUInt32BE(0), 4); // flavor: the sfnt version
  woff.writeUInt32BE(size, 8);
  woff.writeUInt16BE(count, 12);
  woff.writeUInt32BE(SFNT_HEADER + SFNT_ENTRY * count + tables.reduce((sum, t) => sum + pad4(t.data.length), 0), 16);
  let offset = WOFF_HEADER + WOFF_ENTRY * count;
  tables.forEach((t, i) => {
    const entry = WOFF_HEADER + WOFF_ENTRY * i;
    woff.writeUInt32BE(t.tag, entry);
    woff.writeUInt32BE(offset, entry + 4);
    woff.writeUInt32BE(t.stored.length, entry + 8);
    woff.writeUInt32BE(t.data.length, entry + 12);
    woff.writeUInt32BE(t.checksum, entry + 16);
    t.stored.copy(woff, offset);
    offset += pad4(t.stored.length);
  });
  return woff;
}

export function woffToSfnt(woffBytes: Uint8Array): Buffer {
  const woff = asBuffer(woffBytes);
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF font');
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i): Table => {
    const entry = WOFF_HEADER + WOFF_ENTRY * i;
    const offset = woff.readUInt32BE(entry + 4);
    const stored = woff.subarray(offset, offset + woff.readUInt32BE(entry + 8));
    const length = woff.readUInt32BE(entry + 12);
    return { tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data: stored.length < length ? inflateSync(stored) : stored };
  });
  const sfnt = Buffer.alloc(SFNT_HEADER + SFNT_ENTRY * count + tables.reduce((sum, t) => sum + pad4(t.data.length), 0));
  sfnt.writeUInt32BE(woff.readUInt32BE(4), 0);
  sfnt.writeUInt16BE(count, 4);
  const power = 2 ** Math.floor(Math.log2(count));
  sfnt.writeUInt16BE(power * 16, 6); // searchRange
  sfnt.writeUInt16BE(Math.log2(power), 8); // entrySelector
  sfnt.writeUInt16BE(count * 16 - power * 16, 10); // rangeShift
  let offset = SFNT_HEADER + SFNT_ENTRY * count;
  tables.forEach((t, i) => {
    const entry = SFNT_HEADER + SFNT_ENTRY * i;
    sfnt.writeUInt32BE(t.tag, entry);
    sfnt.writeUInt32BE(t.checksum, entry + 4);
    sfnt.writeUInt32BE(offset, entry + 8);
    sfnt.writeUInt32BE(t.data.length, entry + 12);
    t.data.copy(sfnt, offset);
    offset += pad4(t.data.length);
  });
  return sfnt;
}
