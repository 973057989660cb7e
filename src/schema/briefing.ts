// The briefing format: the one definition behind validation, the TypeScript types and the
// published JSON Schema (schema/briefing.schema.json).

import { isSeq } from 'yaml';
import { ASPECTS, THEMES, type Aspect } from '../builtins.js';
import { didYouMean } from '../diagnostics.js';
import {
  anything,
  boolean,
  either,
  list,
  literal,
  number,
  object,
  oneOf,
  optional,
  string,
  tagged,
  type Infer,
  type JsonSchema,
  type Schema,
} from './dsl.js';
import { chartFields, refineChart } from './chart.js';

export { ASPECTS, THEMES, type Aspect };
/** Ids of the slides briefdeck generates (the rest are `slide-<number>`). */
export const RESERVED_SLIDE_IDS: ReadonlySet<string> = new Set(['title', 'agenda', 'sources']);
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/** A real calendar date written as YYYY-MM-DD. */
export function checkDate(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return `must be a date written YYYY-MM-DD, got "${value}"`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? undefined : `is not a real date: "${value}"`;
}

/** Publication dates may be partial: YYYY, YYYY-MM or YYYY-MM-DD. */
function checkPartialDate(value: string): string | undefined {
  if (/^\d{4}$/.test(value)) return undefined;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return undefined;
  return checkDate(value) === undefined ? undefined : `must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`;
}

export function checkWebUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a valid URL: "${value}"`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `must be an http or https URL, got "${value}"`;
}

const ID_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_:.-]*$';
function checkId(value: string): string | undefined {
  return new RegExp(ID_PATTERN).test(value) ? undefined : `must be letters, digits, "_", "-", "." or ":" (got "${value}")`;
}

function checkLang(value: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(value).length === 1 ? undefined : `is not a BCP 47 language tag: "${value}"`;
  } catch {
    return `is not a BCP 47 language tag: "${value}"`;
  }
}

function checkImagePath(value: string): string | undefined {
  const dot = value.lastIndexOf('.');
  const ext = dot < 0 ? '' : value.slice(dot).toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return `must be a local file path, not a URL ("${value}")`;
  return Object.hasOwn(IMAGE_TYPES, ext) ? undefined : `must be a png, jpg, gif, webp or svg image, got "${value}"`;
}

/** A built-in theme's name, or a local .css file (relative to the file that names it). */
export function checkTheme(value: string): string | undefined {
  if ((THEMES as readonly string[]).includes(value) || /\.css$/i.test(value)) return undefined;
  return `must be a built-in theme (${THEMES.join(', ')}) or a .css file, got "${value}"${didYouMean(value, THEMES)}`;
}

/** The CSS named colours, so that brand colours can be checked without a browser. */
const NAMED_COLOURS = new Set(
  ('aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue ' +
    'chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey ' +
    'darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray ' +
    'darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen ' +
    'fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender ' +
    'lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey ' +
    'lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen ' +
    'magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen ' +
    'mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange ' +
    'orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
    'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray ' +
    'slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen').split(' '),
);

/** Only hex colours and CSS named colours: nothing else can reach the stylesheet. */
export function checkColour(value: string): string | undefined {
  if (/^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(value) || NAMED_COLOURS.has(value.toLowerCase())) return undefined;
  return `must be a hex colour (#1f4e8c) or a CSS colour name, got "${value}"`;
}

function checkFontFile(value: string): string | undefined {
  return /\.(woff2?|ttf|otf)$/i.test(value) ? undefined : `must be a font file (.woff2, .woff, .ttf or .otf), got "${value}"`;
}

const fontFile = (description: string) => string({ check: checkFontFile, description });

/** Branding without CSS: a logo, two colours and a font. */
export const brandSchema = object(
  {
    logo: optional(string({ check: checkImagePath, description: 'Logo image, shown on the title slide and in the footer' })),
    primary: optional(string({ check: checkColour, description: 'Main colour: rules, dividers, table heads' })),
    accent: optional(string({ check: checkColour, description: 'Second colour: links, big figures, markers' })),
    font: optional(
      either(
        string({ check: checkFontFile, description: 'A font file used for all text' }),
        object(
          {
            regular: optional(fontFile('The upright face at normal weight')),
            bold: optional(fontFile('The bold face (headings, emphasis)')),
            italic: optional(fontFile('The italic face')),
            'bold-italic': optional(fontFile('The bold italic face')),
            variable: optional(fontFile('A variable font with every weight (used for all upright text)')),
            'variable-italic': optional(fontFile('The italic variable font')),
          },
          { exactlyOne: ['regular', 'variable'], description: 'A font family: its faces, each a file' },
        ),
      ),
    ),
  },
  { description: 'Logo, colours and font' },
);
export type Brand = Infer<typeof brandSchema>;

const text = (description?: string) => string({ text: true, ...(description ? { description } : {}) });
const points = (min: number, max: number) => list(text(), { min, max });

/** Fields every slide has; `title` is required except where a type says otherwise. */
function common<const T extends string>(type: T, titleOptional = false) {
  return {
    type: literal(type),
    title: titleOptional ? optional(text('Slide title')) : text('Slide title'),
    notes: optional(string({ text: 'block', description: 'Speaker notes (Markdown)' })),
    id: optional(string({ check: checkId, pattern: ID_PATTERN, description: 'Slide id, used in the deck URL (#/id)' })),
    fit: optional(boolean('false: never scale this slide down to fit (overflow is then only a warning)')),
  };
}

function slide<const T extends string, F extends Record<string, Schema<unknown>>>(type: T, fields: F, titleOptional = false) {
  return object({ ...common(type, titleOptional), ...fields });
}

const bulletItem = either(
  text(),
  object({ text: text(), points: points(1, 12) }, { description: 'A point with one nested level of points' }),
);

const cell = either(string({ text: true }), number());

/** An image beside a slide's text (bullets, text): about 40% of the width, on the side named. */
const sideImage = optional(
  object(
    {
      src: string({ check: checkImagePath, description: 'Image file, relative to the briefing' }),
      alt: text('Text alternative, read by screen readers'),
      side: optional(oneOf(['left', 'right'] as const, 'Which side the image is on, default right')),
      caption: optional(text()),
      credit: optional(text()),
    },
    { description: 'An image beside the text' },
  ),
);

/** `continue: false` keeps a long slide whole (then overflow is an error); by default it continues on further slides. */
const continues = optional(boolean('false: never continue this slide on further slides when it cannot fit'));

const tableSlide = object(
  {
    ...common('table'),
    columns: list(text(), { min: 1, max: 12, description: 'Header cells' }),
    rows: list(list(cell), { min: 1, description: 'Rows, each exactly as long as columns' }),
    caption: optional(text()),
    continue: continues,
  },
  {
    refine(table, node, path, ctx) {
      const rowsNode = ctx.resolve(node.get('rows', true));
      let valid = true;
      table.rows.forEach((row, index) => {
        if (row.length === table.columns.length) return;
        valid = false;
        ctx.error(
          'table-row-length',
          `${ctx.path([...path, 'rows', index])} has ${row.length} cell${row.length === 1 ? '' : 's'}; the table has ${table.columns.length} columns`,
          isSeq(rowsNode) ? rowsNode.items[index] : rowsNode,
        );
      });
      return valid;
    },
  },
);

/** An image slide's `src`. */
export const imageSrc = string({ check: checkImagePath, description: 'Image file, relative to the briefing' });

const slideTypes = {
  summary: slide('summary', { points: points(1, 6) }),
  bullets: slide('bullets', {
    points: list(bulletItem, { min: 1 }),
    fragments: optional(boolean('Reveal the points one by one')),
    image: sideImage,
    continue: continues,
  }),
  section: slide('section', {
    subtitle: optional(text()),
    background: optional(string({ check: checkImagePath, description: 'An image behind the section title, darkened so the title reads' })),
  }),
  columns: slide('columns', {
    columns: list(
      object(
        { heading: text(), points: optional(points(1, 12)), text: optional(text()) },
        { exactlyOne: ['points', 'text'] },
      ),
      { min: 2, max: 3 },
    ),
  }),
  timeline: slide('timeline', {
    events: list(object({ date: text('Free text, such as "Aug 2023"'), text: text() }), { min: 1, max: 8 }),
  }),
  quote: slide(
    'quote',
    {
      quote: text(),
      attribution: optional(text()),
      cite: optional(string({ check: checkId, pattern: ID_PATTERN, description: 'A source id' })),
    },
    true,
  ),
  figures: slide('figures', {
    figures: list(object({ value: either(string({ text: true }), number()), label: text() }), { min: 1, max: 6 }),
  }),
  table: tableSlide,
  image: slide('image', {
    src: imageSrc,
    alt: text('Text alternative, read by screen readers'),
    caption: optional(text()),
    credit: optional(text()),
  }),
  text: slide('text', { body: string({ text: 'block', description: 'A Markdown block' }), image: sideImage }),
  chart: object(
    { ...common('chart'), ...chartFields(text, string({ check: checkId, pattern: ID_PATTERN, description: 'A source id' })) },
    { refine: refineChart },
  ),
};

export const slideSchema = tagged('type', slideTypes, 'slide type');
export const SLIDE_TYPES = Object.keys(slideTypes) as SlideType[];

/** A custom slide type (a template's own): the common fields, and any others passed through. */
function customSlide<const T extends string>(type: T) {
  return object({ ...common(type) }, { rest: anything() });
}

const source = object({
  id: string({ check: checkId, pattern: ID_PATTERN, description: 'Cited in text as [@id]' }),
  title: text(),
  publisher: optional(text()),
  url: optional(string({ check: checkWebUrl, format: 'uri', description: 'http or https' })),
  date: optional(string({ check: checkPartialDate, acceptNumber: true, description: 'YYYY, YYYY-MM or YYYY-MM-DD' })),
});

/** The briefing format, with any custom slide types a templates folder adds. */
export function makeBriefingSchema(customTypes: readonly string[] = []) {
  const slides = customTypes.length === 0 ? slideSchema : (tagged('type', { ...slideTypes, ...Object.fromEntries(customTypes.map((t) => [t, customSlide(t)])) }, 'slide type') as unknown as typeof slideSchema);
  return object(
  {
    title: text('Briefing title'),
    subtitle: optional(text()),
    date: string({ check: checkDate, checkRule: 'date', format: 'date', description: 'YYYY-MM-DD' }),
    author: optional(text()),
    organization: optional(text()),
    classification: optional(string({ description: 'Handling banner shown at the top and bottom of every slide' })),
    summary: optional(string({ description: 'One-paragraph abstract (HTML description, PDF subject)' })),
    keywords: optional(list(string())),
    lang: optional(string({ check: checkLang, description: 'BCP 47 language tag, default "en"' })),
    aspect: optional(oneOf(Object.keys(ASPECTS) as Aspect[], 'Slide shape, default "16:9"')),
    theme: optional(string({ check: checkTheme, checkRule: 'theme', description: `Built-in theme (${THEMES.join(', ')}; default light) or a local .css file` })),
    brand: optional(brandSchema),
    agenda: optional(boolean('Insert an agenda slide after the title slide')),
    sources: optional(list(source)),
    slides: list(slides, { min: 1 }),
  },
  { description: 'A briefdeck briefing' },
);
}

export const briefingSchema = makeBriefingSchema();

export type Briefing = Infer<typeof briefingSchema>;
export type Slide = Infer<typeof slideSchema>;
export type SlideType = keyof typeof slideTypes;
export type SlideOf<T extends SlideType> = Extract<Slide, { type: T }>;
export type Source = Infer<typeof source>;
export type BulletItem = Infer<typeof bulletItem>;

export function briefingJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'briefdeck briefing',
    ...briefingSchema.toJson(),
  };
}

