// Slide images and thumbnails (`--images`, `--scale`, `--thumbnail`): captured by real Chromium from
// the print view the PDF comes from, read back as PNG and JPEG, compared pixel by pixel with the
// PDF's pages as poppler draws them, and kept or replaced whole as the build cache says.

import { execFile } from 'node:child_process';
import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCliUntil, tempProject } from './helpers/cli.js';
import { EXAMPLE, FILES } from './helpers/paths.js';

const run = promisify(execFile);
const TOO_MUCH = join(FILES, 'overflow', 'too-much.yaml');
const SLIDES = Array.from({ length: 14 }, (_, i) => `slide-${String(i + 1).padStart(2, '0')}.png`);

const png = async (path: string) => PNG.sync.read(await readFile(path));
const sha256 = async (path: string) => (await import('node:crypto')).createHash('sha256').update(await readFile(path)).digest('hex');

/** The size of a JPEG, from its start-of-frame marker. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  for (let at = 2; at < bytes.length; ) {
    const marker = bytes[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  throw new Error('no frame in this JPEG');
}

/** Every page of a PDF as poppler draws it at this size. */
async function pdfPages(pdf: string, width: number, height: number, dir: string): Promise<PNG[]> {
  const prefix = join(dir, `page-${width}`);
  await run('pdftoppm', ['-scale-to-x', String(width), '-scale-to-y', String(height), '-png', pdf, prefix]);
  const names = (await readdir(dir)).filter((name) => name.startsWith(`page-${width}-`)).sort();
  return Promise.all(names.map((name) => png(join(dir, name))));
}

/** Share of pixels that differ visibly between two images of the same size. */
function difference(image: PNG, printed: PNG): number {
  // The PDF's page is a row short at the bottom (reveal.js's print pages are): that row is left out.
  const height = image.height - 1;
  const crop = (p: PNG) => p.data.subarray(0, image.width * height * 4);
  return pixelmatch(crop(image), crop(printed), undefined, image.width, height, { threshold: 0.1 }) / (image.width * height);
}

/** Expects `image` to be page `page` (1-based) of the printed pages: close to it, and nearer it than to any other. */
function expectPage(image: PNG, pages: readonly PNG[], page: number): void {
  const differences = pages.map((printed) => difference(image, printed));
  const own = differences[page - 1]!;
  // Rasterizers differ by a pixel's antialiasing (under 1% here); another slide or another fit
  // differs by more, even between two mostly white slides.
  expect(own).toBeLessThan(0.015);
  expect(own * 2).toBeLessThan(Math.min(...differences.filter((_, i) => i !== page - 1)));
}

describe('build --images png --thumbnail --pdf', () => {
  let project: string;
  let dist: string;
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    dist = join(project, 'dist');
    first = await runCli(['build', '--pdf', '--images', 'png', '--thumbnail'], project);
  });

  it('draws every slide into <out>/<name>/ and the title slide as <out>/<name>.png, and says so', async () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`drew dist/deck/ (14 slide images)\n`);
    expect(first.stdout).toContain('drew dist/deck.png (thumbnail)\n');
    expect(first.stdout).toMatch(/^1 deck built, 1 PDF printed, slide images of 1 deck drawn, 1 thumbnail drawn$/m);
    expect((await readdir(join(dist, 'deck'))).sort()).toEqual(SLIDES);
    for (const name of SLIDES) expect([(await png(join(dist, 'deck', name))).width, (await png(join(dist, 'deck', name))).height]).toEqual([1280, 720]);
    expect(await sha256(join(dist, 'deck.png'))).toBe(await sha256(join(dist, 'deck', 'slide-01.png')));
  });

  it('draws each slide as the PDF prints it: the same fit, on the same page', async () => {
    const pages = await pdfPages(join(dist, 'deck.pdf'), 1280, 720, project);
    expect(pages).toHaveLength(14);
    for (const [i, name] of SLIDES.entries()) expectPage(await png(join(dist, 'deck', name)), pages, i + 1);
  });

  it('lists every image in the manifest with its size and hash', async () => {
    const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8'));
    const { images, thumbnail } = manifest.briefings.deck.outputs;
    expect(images.path).toBe('deck');
    expect(images.files.map((f: { path: string }) => f.path)).toEqual(SLIDES.map((name) => `deck/${name}`));
    for (const file of images.files) {
      expect(file.sha256).toBe(await sha256(join(dist, file.path)));
      expect(file.size).toBe((await stat(join(dist, file.path))).size);
    }
    expect(images.size).toBe(images.files.reduce((total: number, f: { size: number }) => total + f.size, 0));
    expect(thumbnail).toEqual({ path: 'deck.png', size: (await stat(join(dist, 'deck.png'))).size, sha256: await sha256(join(dist, 'deck.png')) });
  });

  it('leaves them as they are on a second run, and redraws only what was deleted or drawn otherwise', async () => {
    const time = async () => (await stat(join(dist, 'deck', 'slide-05.png'))).mtimeMs;
    const before = await time();
    const again = await runCli(['build', '--pdf', '--images', 'png', '--thumbnail'], project);
    expect(again.stdout).toMatch(/^1 deck unchanged, 1 PDF unchanged, slide images of 1 deck unchanged, 1 thumbnail unchanged$/m);
    expect(await time()).toBe(before);

    await rm(join(dist, 'deck', 'slide-07.png'));
    const mended = await runCli(['build', '--pdf', '--images', 'png', '--thumbnail'], project);
    expect(mended.stdout).toMatch(/^1 deck unchanged, 1 PDF unchanged, slide images of 1 deck drawn, 1 thumbnail unchanged$/m);
    expect((await readdir(join(dist, 'deck'))).sort()).toEqual(SLIDES);

    // The deck names its thumbnail's size (og:image:width), so it is built again too.
    const sharp = await runCli(['build', '--pdf', '--images', 'png', '--thumbnail', '--scale', '2'], project);
    expect(sharp.stdout).toMatch(/^1 deck built, 1 PDF printed, slide images of 1 deck drawn, 1 thumbnail drawn$/m);
    const image = await png(join(dist, 'deck', 'slide-03.png'));
    expect([image.width, image.height]).toEqual([2560, 1440]);
    expectPage(image, await pdfPages(join(dist, 'deck.pdf'), 2560, 1440, project), 3);
    expect([(await png(join(dist, 'deck.png'))).width]).toEqual([2560]);
  });

  it('replaces the folder whole: JPEG after PNG leaves no PNG, a shorter deck leaves no stale slide', async () => {
    const jpeg = await runCli(['build', '--images', 'jpeg', '--jpeg-quality', '80', '--thumbnail'], project);
    expect(jpeg.code).toBe(0);
    expect(jpeg.stdout).toContain('drew dist/deck.jpg (thumbnail)');
    const names = (await readdir(join(dist, 'deck'))).sort();
    expect(names).toEqual(SLIDES.map((name) => name.replace('.png', '.jpg')));
    const bytes = await readFile(join(dist, 'deck', 'slide-02.jpg'));
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(jpegSize(bytes)).toEqual({ width: 1280, height: 720 });
    // Drawn otherwise, the same deck: only the images are drawn again.
    const lower = await runCli(['build', '--images', 'jpeg', '--jpeg-quality', '60', '--thumbnail'], project);
    expect(lower.stdout).toMatch(/^1 deck unchanged, slide images of 1 deck drawn, 1 thumbnail drawn$/m);
    expect((await readFile(join(dist, 'deck', 'slide-02.jpg'))).length).toBeLessThan(bytes.length);

    const text = await readFile(join(project, 'briefings', 'deck.yaml'), 'utf8');
    // The sources slide and the last slides go: the deck is shorter.
    await writeFile(join(project, 'briefings', 'deck.yaml'), text.replace(/\nslides:\n[\s\S]*$/, '\nslides:\n  - type: bullets\n    title: Only slide\n    points: [One point]\n'));
    const short = await runCli(['build', '--images', 'jpeg'], project);
    expect(short.code).toBe(0);
    const left = (await readdir(join(dist, 'deck'))).sort();
    expect(left.length).toBeLessThan(14);
    expect(left).toEqual(left.map((_, i) => `slide-${String(i + 1).padStart(2, '0')}.jpg`));
  });
});

describe('slide images and nothing lost', () => {
  it('a slide that cannot fit writes no image and leaves the last good ones byte-identical', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    const dist = join(project, 'dist');
    expect((await runCli(['build', '--images', 'png', '--thumbnail'], project)).code).toBe(0);
    const before = await Promise.all([...SLIDES.map((name) => join(dist, 'deck', name)), join(dist, 'deck.png')].map(sha256));
    await copyFile(TOO_MUCH, join(project, 'briefings', 'deck.yaml'));
    const failed = await runCli(['build', '--images', 'png', '--thumbnail'], project);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^0 decks built, slide images of 0 decks drawn, 0 thumbnails drawn, 1 briefing failed$/m);
    const after = await Promise.all([...SLIDES.map((name) => join(dist, 'deck', name)), join(dist, 'deck.png')].map(sha256));
    expect(after).toEqual(before);
    expect((await readdir(dist)).filter((name) => name.startsWith('.') && name !== '.briefdeck-cache.json')).toEqual([]);
  });

  it('never replaces a folder holding files briefdeck did not write', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    const mine = join(project, 'dist', 'deck', 'speaker-photo.png');
    await (await import('node:fs/promises')).mkdir(join(project, 'dist', 'deck'), { recursive: true });
    await writeFile(mine, 'mine');
    const built = await runCli(['build', '--images', 'png'], project);
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/^briefings\/deck\.yaml: error: cannot write dist\/deck: the folder holds speaker-photo\.png, which briefdeck did not write; move it away$/m);
    expect(await readdir(join(project, 'dist', 'deck'))).toEqual(['speaker-photo.png']);
    expect((await readdir(join(project, 'dist'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('Ctrl-C while decks are drawn leaves no temporary folder and every folder whole', async () => {
    const project = await tempProject();
    for (let i = 1; i <= 6; i++) await copyFile(EXAMPLE, join(project, `deck-${i}.yaml`));
    const { child, exited } = await startCliUntil(['build', '.', '--images', 'png', '--scale', '2', '--jobs', '2'], project, 'drew ');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const dist = join(project, 'dist');
    const names = await readdir(dist);
    expect(names.filter((name) => /\.tmp|\.old/.test(name))).toEqual([]);
    const folders = names.filter((name) => /^deck-\d$/.test(name));
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.length).toBeLessThan(6);
    for (const folder of folders) expect((await readdir(join(dist, folder))).sort()).toEqual(SLIDES);
  });
});

describe('image settings', () => {
  it('come from the config, and bad ones are refused with their place', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    await writeFile(join(project, 'briefdeck.config.yaml'), 'images: jpeg\nthumbnail: true\nimageScale: 0.5\nurl: https://briefs.example.org/weekly\n');
    const built = await runCli(['build'], project);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^1 deck built, slide images of 1 deck drawn, 1 thumbnail drawn$/m);
    expect(jpegSize(await readFile(join(project, 'dist', 'deck.jpg')))).toEqual({ width: 640, height: 360 });
    // The deck names its thumbnail for link previews, at its address and as drawn.
    const head = (await readFile(join(project, 'dist', 'deck.html'), 'utf8')).split('</head>')[0]!;
    const og = Object.fromEntries([...head.matchAll(/<meta property="og:image(:\w+)?" content="([^"]*)">/g)].map((m) => [m[1] ?? '', m[2]]));
    expect(og).toEqual({ '': 'https://briefs.example.org/weekly/deck.jpg', ':type': 'image/jpeg', ':width': '640', ':height': '360', ':alt': 'Title slide: Assad in China' });

    await writeFile(join(project, 'briefdeck.config.yaml'), 'images: gif\nimageScale: 10\n');
    const refused = await runCli(['build'], project);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('briefdeck.config.yaml:1:9: error: images must be one of "png", "jpeg", got "gif"');
    expect(refused.stderr).toContain('briefdeck.config.yaml:2:13: error: imageScale must be a number from 0.25 to 4, got 10');
  });

  it('on the command line are checked before anything runs', async () => {
    const project = await tempProject({ 'briefings/deck.yaml': EXAMPLE });
    for (const [args, message] of [
      [['--images', 'jpg'], '--images takes png or jpeg, got "jpg" (jpeg writes .jpg files)'],
      [['--images', 'png', '--scale', '8'], '--scale takes a number from 0.25 to 4, got "8"'],
      [['--images', 'jpeg', '--jpeg-quality', '101'], '--jpeg-quality takes a whole number from 1 to 100, got "101"'],
    ] as const) {
      const refused = await runCli(['build', ...args], project);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`briefdeck: error: ${message}`);
    }
    expect(await readdir(project)).toEqual(['briefings']);
    // Settings for images no build makes are said to do nothing.
    const unused = await runCli(['build', '--scale', '2'], project);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toContain('briefdeck: warning: --scale only changes slide images and thumbnails, and this build made none (add --images png or --thumbnail)');
  });
});
