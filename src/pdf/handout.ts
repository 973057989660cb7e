// The notes handout: every slide as a picture at the top of its place with its speaker notes under
// it, on portrait A4 pages that several short ones share, each page with the deck's banners and a
// page number. The pages are laid out in the browser, in the deck's own page (its fonts and
// styles), after its slides are printed; each slide's picture is then that slide's page of the
// slides PDF, drawn into its place as a vector form XObject (pdf-lib embedPdf), not a screenshot.

import { PDFDocument } from 'pdf-lib';

/** A4 portrait in CSS px (96 per inch); the printed page is 595.5 x 842.25 pt. */
export const HANDOUT_PAGE = { width: 794, height: 1123 } as const;

/** Where a slide's picture goes: its page in the handout and its box there, in CSS px. */
export interface PicturePlace {
  /** 1-based slide number (the page of the slides PDF). */
  slide: number;
  /** 0-based handout page. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HandoutLayout {
  pages: number;
  places: PicturePlace[];
}

/**
 * Runs in the deck's page once its slides are printed: replaces the view with the handout's pages
 * and says where each slide's picture goes. A block (picture and notes) moves whole to the next
 * page when it does not fit what is left of one; notes too long for a page of their own continue
 * on the next, paragraph by paragraph.
 */
export function layoutHandout(options: { width: number; height: number; title: string; pictureWidth: number }): HandoutLayout {
  const slides = [...document.querySelectorAll<HTMLElement>('.reveal .slides section.slide')];
  const banners = slides[0] ? [...slides[0].querySelectorAll<HTMLElement>('.banner')] : [];
  // Measured while the slides are still shown.
  const pictureHeight = Math.round((options.pictureWidth * (slides[0]?.offsetHeight ?? 9)) / Math.max(1, slides[0]?.offsetWidth ?? 16));
  document.documentElement.classList.add('handout-view');
  // reveal.js's print view sizes the paper to the slide; the handout is portrait paper.
  for (const style of document.querySelectorAll('style')) if (style.textContent?.includes('@page')) style.remove();
  const paper = document.createElement('style');
  paper.textContent = `@page { size: ${options.width}px ${options.height}px; margin: 0; }`;
  document.head.append(paper);
  // reveal.js gives the body the slide's size; the handout is as wide as its paper.
  document.body.style.width = `${options.width}px`;
  document.body.style.height = 'auto';
  const root = document.createElement('div');
  root.className = 'handout';
  document.body.append(root);
  const pages: HTMLElement[] = [];
  const newPage = (): HTMLElement => {
    const page = document.createElement('div');
    page.className = 'handout-page';
    page.style.width = `${options.width}px`;
    // A pixel short of the paper, so that rounding never spills a page onto a blank one.
    page.style.height = `${options.height - 1}px`;
    const top = banners.find((b) => b.classList.contains('banner-top'));
    if (top) page.append(top.cloneNode(true));
    const content = document.createElement('div');
    content.className = 'handout-content';
    page.append(content);
    const footer = document.createElement('div');
    footer.className = 'handout-footer';
    const title = document.createElement('span');
    title.className = 'handout-title';
    title.textContent = options.title;
    const number = document.createElement('span');
    number.className = 'handout-number';
    footer.append(title, number);
    page.append(footer);
    const bottom = banners.find((b) => b.classList.contains('banner-bottom'));
    if (bottom) page.append(bottom.cloneNode(true));
    root.append(page);
    pages.push(page);
    return content;
  };
  const overflows = (content: HTMLElement) => content.scrollHeight > content.clientHeight + 1;
  let content = newPage();
  const pictures: { slide: number; box: HTMLElement }[] = [];
  for (const slide of slides) {
    const block = document.createElement('div');
    block.className = 'handout-slide';
    const box = document.createElement('div');
    box.className = 'handout-picture';
    box.style.width = `${options.pictureWidth}px`;
    box.style.height = `${pictureHeight}px`;
    block.append(box);
    const notes = slide.querySelector('aside.notes');
    let text: HTMLElement | undefined;
    if (notes) {
      text = document.createElement('div');
      text.className = 'handout-notes';
      text.innerHTML = notes.innerHTML;
      block.append(text);
    }
    content.append(block);
    if (overflows(content) && content.children.length > 1) {
      content = newPage();
      content.append(block);
    }
    // Notes longer than a page: what does not fit goes on, paragraph by paragraph, to the next.
    while (overflows(content) && text !== undefined && text.children.length > 1) {
      const rest = document.createElement('div');
      rest.className = 'handout-notes handout-notes-continued';
      while (overflows(content) && text.children.length > 1) rest.prepend(text.lastElementChild!);
      content = newPage();
      content.append(rest);
      text = rest;
    }
    pictures.push({ slide: Number(slide.dataset.slideNumber), box });
  }
  pages.forEach((page, i) => {
    page.querySelector('.handout-number')!.textContent = `Page ${i + 1} of ${pages.length}`;
  });
  pages.at(-1)!.classList.add('handout-last');
  const places = pictures.map(({ slide, box }) => {
    const page = box.closest<HTMLElement>('.handout-page')!;
    const outer = page.getBoundingClientRect();
    const r = box.getBoundingClientRect();
    return { slide, page: pages.indexOf(page), x: r.left - outer.left, y: r.top - outer.top, width: r.width, height: r.height };
  });
  return { pages: pages.length, places };
}

/** Draws each slide's page of the slides PDF into its place on the printed handout pages. */
export async function drawSlides(handout: Uint8Array, slides: Uint8Array, layout: HandoutLayout): Promise<Uint8Array> {
  const doc = await PDFDocument.load(handout, { updateMetadata: false });
  const source = await PDFDocument.load(slides, { updateMetadata: false });
  const pictures = await doc.embedPdf(source, layout.places.map((p) => p.slide - 1));
  layout.places.forEach((place, i) => {
    const page = doc.getPage(place.page);
    const { width, height } = page.getSize();
    const k = width / HANDOUT_PAGE.width;
    page.drawPage(pictures[i]!, { x: place.x * k, y: height - (place.y + place.height) * k, width: place.width * k, height: place.height * k });
  });
  return doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
}
