// Colour arithmetic for contrast: WCAG relative luminance and contrast ratio of hex colours, and
// the nearest darker (or lighter) colour that reaches a ratio, to suggest a fix.

function channels(colour: string): [number, number, number] | undefined {
  let hex = /^#([0-9a-f]{3,8})$/i.exec(colour)?.[1];
  if (hex === undefined || hex.length === 5 || hex.length === 7) return undefined;
  if (hex.length <= 4) hex = [...hex.slice(0, 3)].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt(hex!.slice(i, i + 2), 16)) as [number, number, number];
}

/** Relative luminance of a #rgb or #rrggbb colour (alpha ignored), or undefined for names. */
export function luminance(colour: string): number | undefined {
  const rgb = channels(colour);
  if (rgb === undefined) return undefined;
  const [r, g, b] = rgb.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number | undefined {
  const [la, lb] = [luminance(a), luminance(b)];
  if (la === undefined || lb === undefined) return undefined;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `rgb(255, 140, 0)` (what a browser computes) as `#ff8c00`. */
export function rgbToHex(rgb: string): string | undefined {
  const parts = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
  return parts ? `#${parts.slice(1, 4).map((p) => Number(p).toString(16).padStart(2, '0')).join('')}` : undefined;
}

/**
 * The colour nearest to `colour`, darkened on a light background or lightened on a dark one,
 * whose contrast with `background` reaches `ratio`.
 */
export function reachContrast(colour: string, background: string, ratio: number): string | undefined {
  const rgb = channels(colour);
  const bg = luminance(background);
  if (rgb === undefined || bg === undefined) return undefined;
  const target = bg > 0.18 ? 0 : 255;
  for (let step = 1; step <= 50; step++) {
    const t = step / 50;
    const mixed = `#${rgb.map((c) => Math.round(c + (target - c) * t).toString(16).padStart(2, '0')).join('')}`;
    if ((contrast(mixed, background) ?? 0) >= ratio) return mixed;
  }
  return undefined;
}
