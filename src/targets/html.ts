// The deck itself: the compiled HTML, written as it is (and measured first by the browser stage).
import type { Target } from './index.js';

export const htmlTarget: Target = { kind: 'html', suffix: '.html', verb: 'wrote', by: 'deck' };
