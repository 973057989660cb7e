// The project config's format (briefdeck.config.yaml): the briefing's look fields as defaults,
// and the settings of the whole project.

import { briefingSchema } from './briefing.js';
import { boolean, number, object, optional, string, type Infer } from './dsl.js';

const { theme, brand, aspect, classification, lang } = briefingSchema.fields;

export const configSchema = object(
  {
    theme,
    brand,
    aspect,
    classification,
    lang,
    templates: optional(string({ description: 'A folder of templates that override the built-in ones' })),
    out: optional(string({ description: 'Output folder, default dist' })),
    pptx: optional(boolean('Also write each deck as an editable PowerPoint file, <out>/<name>.pptx')),
    browser: optional(string({ description: "Chrome or Chromium to print and check with, a path; default: briefdeck's own Chromium (Linux x64), else an installed one" })),
    pdf: optional(
      object({
        notes: optional(boolean('Print notes handouts')),
        jobs: optional(number('PDFs printed at once')),
      }),
    ),
  },
  { description: 'briefdeck project config' },
);

export type ConfigValues = Infer<typeof configSchema>;
