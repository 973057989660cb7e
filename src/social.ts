// Social: what a deck says about itself when its link is shared (Open Graph and X card tags in
// its head). Chat apps and social sites read these to show a title, a summary and a picture.

import type { DeckMeta } from './model.js';

/** The title slide written as an image beside the deck (the build's `--thumbnail`). */
export interface Thumbnail {
  /** The image's name relative to the deck, e.g. `panama-canal-drought.png`. */
  file: string;
  /** Pixels per CSS pixel it is drawn at (`--scale`): its size is the slide's times this. */
  scale: number;
  type: 'image/png' | 'image/jpeg';
}

/** The tags' values, for the deck template (`social` in deck.hbs). Plain text; the template escapes. */
export interface Social {
  /** `og:type`: a briefing is a dated, authored piece, an article. */
  type: 'article';
  title: string;
  description?: string;
  /** The briefing's organization. */
  siteName?: string;
  /** `og:locale`, `en_GB` from `lang: en-GB`; only when the language names a region. */
  locale?: string;
  /** `article:published_time`: the briefing's date, YYYY-MM-DD. */
  published: string;
  /** The deck's own address, from the config's `url:` (`og:url` and the canonical link). */
  url?: string;
  image?: { url: string; type: Thumbnail['type']; width: number; height: number; alt: string };
  /** `twitter:card`: a large picture when there is a thumbnail. */
  card: 'summary' | 'summary_large_image';
}

export interface SocialOptions {
  /** The deck's file name in the output folder, e.g. `panama-canal-drought.html`. */
  page?: string;
  /** The config's `url:`, the published address of the output folder. */
  site?: string;
  thumbnail?: Thumbnail;
}

/** The config's `url:` as a folder: `https://x.org/weekly` is `https://x.org/weekly/`. */
export function folderUrl(site: string): URL {
  const url = new URL(site);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** A file name as a relative URL (`#`, `?`, spaces and the like escaped), so it resolves to itself. */
function relativeUrl(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function ogLocale(lang: string): string | undefined {
  try {
    const { language, region } = new Intl.Locale(lang);
    return region === undefined ? undefined : `${language}_${region}`;
  } catch {
    return undefined;
  }
}

export function socialMeta(meta: DeckMeta, options: SocialOptions = {}): Social {
  const { page, site, thumbnail } = options;
  const base = site === undefined ? undefined : folderUrl(site);
  const address = (file: string) => (base === undefined ? relativeUrl(file) : new URL(relativeUrl(file), base).href);
  const locale = ogLocale(meta.lang);
  return {
    type: 'article',
    title: meta.title,
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.organization ? { siteName: meta.organization } : {}),
    ...(locale ? { locale } : {}),
    published: meta.date,
    ...(base && page !== undefined ? { url: address(page) } : {}),
    ...(thumbnail
      ? { image: { url: address(thumbnail.file), type: thumbnail.type, width: Math.round(meta.width * thumbnail.scale), height: Math.round(meta.height * thumbnail.scale), alt: `Title slide: ${meta.title}` } }
      : {}),
    card: thumbnail ? 'summary_large_image' : 'summary',
  };
}
