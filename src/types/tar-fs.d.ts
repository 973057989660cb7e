// The part of tar-fs (3.x, which ships no types) that pinned-browser.ts uses.
declare module 'tar-fs' {
  import type { Writable } from 'node:stream';

  export interface ExtractHeader {
    name: string;
    type: 'file' | 'directory' | 'symlink' | 'link' | string;
    mode?: number;
    size?: number;
  }

  export interface ExtractOptions {
    ignore?: (name: string, header?: ExtractHeader) => boolean;
    /** Takes ownership from the archive when running as root, unless false. */
    chown?: boolean;
    umask?: number;
    dmode?: number;
    fmode?: number;
    strict?: boolean;
  }

  export function extract(cwd: string, options?: ExtractOptions): Writable;
}
