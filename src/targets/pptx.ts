// The editable PowerPoint file, written from the deck model at the sizes the deck fitted to.
// pptxgenjs and the writer (pptx/) are loaded only by a build that asks for a PPTX.
import { hasPicturesToDraw } from '../pptx/pictures.js';
import type { Target } from './index.js';

export const pptxTarget: Target = {
  kind: 'pptx',
  suffix: '.pptx',
  verb: 'wrote',
  by: 'node',
  usesFit: true,
  drawsPictures: (input) => hasPicturesToDraw(input.deck),
  write: async (input) => (await import('../pptx/index.js')).writePptx(input),
};
