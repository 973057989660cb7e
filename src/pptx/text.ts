// Text: paragraphs of runs (runs.ts) as pptxgenjs text objects: marks as run properties, links as
// hyperlinks, citation markers as superscript jumps to the Sources slide, list items as real
// bullets with their level. Sizes are set here from briefdeck's own fit, never left to autofit.

import type * as P from './types.js';
import { pt, type PptxLook } from './look.js';
import type { Paragraph, Run } from './runs.js';

export interface TextStyle {
  /** Size in slide px before the slide's fit scale. */
  size: number;
  colour: string;
  bold?: boolean;
  italic?: boolean;
  /** Bullet every paragraph (lists of points). */
  bullets?: boolean;
}

export interface TextContext {
  look: PptxLook;
  /** The slide's fit scale (1 when it fitted as it is). */
  scale: number;
  /** The slide number of the Sources slide, where citation markers jump. */
  sourcesSlide?: number;
}

function runProps(run: Run, style: TextStyle, size: number, ctx: TextContext): P.TextPropsOptions {
  const props: P.TextPropsOptions = { fontSize: pt(size), color: style.colour, fontFace: ctx.look.font };
  if (run.bold || style.bold) props.bold = true;
  if (run.italic || style.italic) props.italic = true;
  if (run.strike) props.strike = 'sngStrike';
  if (run.code) props.fontFace = ctx.look.mono;
  if (run.href !== undefined) {
    props.hyperlink = { url: run.href };
    props.color = ctx.look.link;
  }
  if (run.citation) {
    props.superscript = true;
    props.color = ctx.look.muted;
    if (ctx.sourcesSlide !== undefined) props.hyperlink = { slide: ctx.sourcesSlide, tooltip: 'Sources' };
  }
  return props;
}

/** One text object per run; paragraph settings ride on a paragraph's first run. */
export function textObjects(paragraphs: readonly Paragraph[], style: TextStyle, ctx: TextContext): P.TextProps[] {
  const out: P.TextProps[] = [];
  paragraphs.forEach((para, p) => {
    const size = style.size * ctx.scale * (para.level > 1 || (style.bullets && para.level > 0 && para.heading) ? 0.86 : 1) * (para.heading ? 1.05 : 1);
    const listed = para.level > 0 || style.bullets === true;
    const level = Math.max(0, (style.bullets ? Math.max(para.level, 1) : para.level) - 1);
    para.runs.forEach((run, r) => {
      const options = runProps(run, { ...style, bold: style.bold || para.heading }, size, ctx);
      if (r === 0) {
        if (listed) {
          options.bullet = para.numbered ? { type: 'number', indent: pt(size * 1.1) } : { indent: pt(size * 1.1) };
          if (level > 0) options.indentLevel = level;
        }
        if (para.quote) options.italic = true;
        if (p > 0) options.paraSpaceBefore = pt(size * 0.35);
      }
      if (r === para.runs.length - 1 && p < paragraphs.length - 1) options.breakLine = true;
      out.push({ text: run.text, options });
    });
  });
  return out;
}

/** A single-paragraph text: a title, a label. */
export function inlineObjects(runs: readonly Run[], style: TextStyle, ctx: TextContext): P.TextProps[] {
  return runs.length === 0 ? [] : textObjects([{ runs: [...runs], level: 0 }], style, ctx);
}
