// The deck itself: the compiled HTML, written as it is (and measured first by the browser stage).
import type { Target } from './index.js';

export const htmlTarget = { kind: 'html', suffix: '.html', verb: 'wrote', by: 'deck' } as const satisfies Target;
