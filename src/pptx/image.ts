// The pixel size of an embedded image (a data URL), read from its header, for placing it without
// stretching. PNG, JPEG and GIF only: the formats every PowerPoint opens.

export interface Size {
  width: number;
  height: number;
}

export function imageSize(dataUrl: string): Size | undefined {
  const m = /^data:image\/(png|jpeg|gif);base64,/.exec(dataUrl);
  if (!m) return undefined;
  const bytes = Buffer.from(dataUrl.slice(m[0].length, m[0].length + 256 * 1024), 'base64');
  if (m[1] === 'png' && bytes.length >= 24) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (m[1] === 'gif' && bytes.length >= 10) return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (m[1] === 'jpeg') {
    for (let i = 2; i + 9 < bytes.length; ) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { width: bytes.readUInt16BE(i + 7), height: bytes.readUInt16BE(i + 5) };
      i += 2 + bytes.readUInt16BE(i + 2);
    }
  }
  return undefined;
}
