// WOFF 1.0 (https://www.w3.org/TR/WOFF/): an sfnt font with each table zlib-compressed. HarfBuzz
// writes subset fonts as plain sfnt; packing them here with Node's own zlib takes well under a
// millisecond, where the JavaScript packers (pako, or WOFF2 through WebAssembly) take 25 to 100 ms
// a face, and for the small subsets a deck embeds WOFF2 saves only a fifth more.

import { deflateSync } from 'node:zlib';

const HEADER = 44;
const ENTRY = 20;
const pad4 = (n: number) => (n + 3) & ~3;

export function sfntToWoff(sfnt: Uint8Array): Buffer {
  const font = Buffer.from(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  const count = font.readUInt16BE(4);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 12 + 16 * i;
    const tag = font.readUInt32BE(at);
    const offset = font.readUInt32BE(at + 8);
    const length = font.readUInt32BE(at + 12);
    const data = font.subarray(offset, offset + length);
    const packed = deflateSync(data);
    return { tag, checksum: font.readUInt32BE(at + 4), length, data: packed.length < length ? packed : data };
  }).sort((a, b) => a.tag - b.tag);

  const size = HEADER + ENTRY * count + tables.reduce((sum, t) => sum + pad4(t.data.length), 0);
  const woff = Buffer.alloc(size);
  woff.write('wOFF', 0, 'latin1');
  woff.writeUInt32BE(font.readUInt32BE(0), 4); // flavor: the sfnt version
  woff.writeUInt32BE(size, 8);
  woff.writeUInt16BE(count, 12);
  woff.writeUInt32BE(12 + 16 * count + tables.reduce((sum, t) => sum + pad4(t.length), 0), 16); // totalSfntSize
  let offset = HEADER + ENTRY * count;
  tables.forEach((t, i) => {
    const entry = HEADER + ENTRY * i;
    woff.writeUInt32BE(t.tag, entry);
    woff.writeUInt32BE(offset, entry + 4);
    woff.writeUInt32BE(t.data.length, entry + 8);
    woff.writeUInt32BE(t.length, entry + 12);
    woff.writeUInt32BE(t.checksum, entry + 16);
    t.data.copy(woff, offset);
    offset += pad4(t.data.length);
  });
  return woff;
}
