// The PDFs: printed by the browser stage (pdf/) from the measured deck, in the same page load.
import type { Target } from './index.js';

export const pdfTarget: Target = { kind: 'pdf', suffix: '.pdf', verb: 'printed', by: 'browser' };
export const notesTarget: Target = { kind: 'notes', suffix: '.notes.pdf', verb: 'printed', by: 'browser' };
