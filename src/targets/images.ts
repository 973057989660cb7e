// Slide images: every slide as a PNG or JPEG file (`<out>/<name>/slide-01.png`...) and the title
// slide alone as the deck's thumbnail (`<out>/<name>.png`, its og:image). Both are captured by the
// browser stage (pdf/capture.ts) from the same measured print view the PDF is printed from, so
// they have the PDF's fit and look.

import type { Target } from './index.js';

export type ImageFormat = 'png' | 'jpeg';

/** How slide images and thumbnails are drawn. */
export interface ImageSettings {
  format: ImageFormat;
  /** Pixels per CSS pixel: 2 draws a 1280×720 slide as 2560×1440. */
  scale: number;
  /** JPEG quality, 1 to 100. */
  quality: number;
}

export const DEFAULT_IMAGES: ImageSettings = { format: 'png', scale: 1, quality: 90 };
/** The scales and JPEG qualities the command line and the config take. */
export const IMAGE_SCALE = { min: 0.25, max: 4 } as const;
export const JPEG_QUALITY = { min: 1, max: 100, integer: true } as const;

export function extensionOf(format: ImageFormat): string {
  return format === 'jpeg' ? '.jpg' : '.png';
}

/** What an image output was drawn with, recorded so that other settings draw it again. */
export function imageVariant(settings: ImageSettings): string {
  return `${settings.format}@${settings.scale}${settings.format === 'jpeg' ? `q${settings.quality}` : ''}`;
}

/** The name of slide `index` (0-based) of `count`: slide-01.png, or slide-001.png from 100 slides. */
export function slideImageName(index: number, count: number, format: ImageFormat): string {
  return `slide-${String(index + 1).padStart(Math.max(2, String(count).length), '0')}${extensionOf(format)}`;
}

/** Whether a file in a slide images folder is one briefdeck writes there. */
export function isSlideImageName(name: string): boolean {
  return /^slide-\d{2,}\.(png|jpg)$/.test(name);
}

export const imagesTarget: Target = { kind: 'images', suffix: () => '', verb: 'drew', by: 'browser' };
export const thumbnailTarget: Target = { kind: 'thumbnail', suffix: (settings) => extensionOf(settings.format), verb: 'drew', by: 'browser' };
