// The project config's format (briefdeck.config.yaml): the briefing's look fields as defaults,
// and the settings of the whole project.

import { briefingSchema, checkWebUrl } from './briefing.js';
import { boolean, number, object, oneOf, optional, string, type Infer } from './dsl.js';
import { IMAGE_SCALE, JPEG_QUALITY } from '../targets/images.js';

const { theme, brand, aspect, classification, lang } = briefingSchema.fields;

/** The published address of the output folder: decks name their own and their image's address by it. */
function checkSiteUrl(value: string): string | undefined {
  if (checkWebUrl(value) !== undefined) return `must be an absolute http or https URL (https://briefs.example.org/weekly/), got "${value}"`;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return `must not carry a user name or password (decks show it to everyone), got "${value}"`;
  if (url.search !== '' || url.hash !== '') return `must be a folder's address, without ?query or #fragment, got "${value}"`;
  return undefined;
}

export const configSchema = object(
  {
    theme,
    brand,
    aspect,
    classification,
    lang,
    templates: optional(string({ description: 'A folder of templates that override the built-in ones' })),
    out: optional(string({ description: 'Output folder, default dist' })),
    url: optional(
      string({
        check: checkSiteUrl,
        format: 'uri',
        description: 'The address the output folder is published at (https://briefs.example.org/weekly/): decks give it to link previews',
      }),
    ),
    pptx: optional(boolean('Also write each deck as an editable PowerPoint file, <out>/<name>.pptx')),
    images: optional(oneOf(['png', 'jpeg'], 'Also write every slide as an image, <out>/<name>/slide-01.png (or .jpg)')),
    thumbnail: optional(boolean("Also write the title slide as an image, <out>/<name>.png (.jpg with images: jpeg): the deck's og:image")),
    imageScale: optional(number('Pixels per CSS pixel of slide images and thumbnails (2 for sharp images on high-density screens); default 1', IMAGE_SCALE)),
    jpegQuality: optional(number('Quality of JPEG slide images and thumbnails, 1 to 100; default 90', JPEG_QUALITY)),
    browser: optional(string({ description: "Chrome or Chromium to print and check with, a path; default: briefdeck's own Chromium (Linux x64), else an installed one" })),
    pdf: optional(
      object({
        notes: optional(boolean('Print notes handouts')),
        jobs: optional(number('PDFs printed at once', { min: 1, integer: true })),
      }),
    ),
  },
  { description: 'briefdeck project config' },
);

export type ConfigValues = Infer<typeof configSchema>;
