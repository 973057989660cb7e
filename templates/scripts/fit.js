// Fit: no slide may lose content off its edge. Every deck runs this itself, in every view (the
// presented deck, reveal.js's print view that PDFs are printed from, the speaker view's previews),
// so what the audience sees is what is printed. Once the slides are laid out and the fonts and
// images are loaded, it measures how far each slide's content runs past its box and scales an
// overflowing slide down in steps to a readable minimum. A slide marked `data-fit="off"`
// (`fit: false` in the briefing) is only measured. A light slide marked `data-grow` takes larger
// type while it stays light. A slide marked `data-continue` (a long table or list) that cannot fit
// at the smallest scale gets a plan: how many of its rows or top-level points go on each of the
// slides it continues on, which the build uses to write the deck again (see src/continue.ts).
// The result is `window.briefdeckFit`, a promise of `{ number, scale, overflow, continued? }` per
// slide, which the build reads to report what cannot fit.
(() => {
  'use strict';
  // Scales tried, largest first; the last is the smallest that stays readable (28 px text at 20 px).
  const STEPS = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];
  // Scales tried for a light slide, largest first: it takes the largest at which its content still
  // fits and fills no more than LIGHT of the space under the title.
  const GROW = [1.3, 1.2, 1.1];
  const LIGHT = 0.72;

  // How much of the body's height its content takes (the balancing spacers aside).
  const fullness = (section) => {
    const body = section.querySelector('.slide-body');
    const first = body && body.firstElementChild;
    if (!first || body.clientHeight === 0) return 1;
    const last = body.lastElementChild;
    return (last.getBoundingClientRect().bottom - first.getBoundingClientRect().top) / body.getBoundingClientRect().height;
  };

  // How far a slide's content runs past its box, in slide pixels. reveal.js scales the whole deck
  // to the window; dividing by that scale (`unit`) makes the result the same at every window size.
  const overflowOf = (section, unit) => {
    const body = section.querySelector('.slide-body');
    const main = section.querySelector('.slide-main');
    if (!body || !main) return 0;
    const box = body.getBoundingClientRect();
    const frame = main.getBoundingClientRect();
    // scrollHeight and clientHeight are layout sizes, already in slide pixels.
    let over = Math.max(0, main.scrollHeight - main.clientHeight);
    for (const el of body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      over = Math.max(over, (r.bottom - box.bottom) / unit, (box.top - r.top) / unit, (r.right - frame.right) / unit, (frame.left - r.left) / unit);
      // A table cell whose own content is wider than the cell (a long unbroken word).
      if ((el.tagName === 'TD' || el.tagName === 'TH' || el.tagName === 'DT') && el.scrollWidth > el.clientWidth + 1) {
        over = Math.max(over, el.scrollWidth - el.clientWidth);
      }
    }
    // Inline boxes may reach a pixel or two past their line (font ascent); that is not overflow.
    return over > 2 ? Math.ceil(over) : 0;
  };

  // The rows (or top-level points) of a continuable slide, in order.
  const unitsOf = (section) =>
    section.dataset.continue === 'rows' ? [...section.querySelectorAll('.data-table > tbody > tr')] : [...section.querySelectorAll('.slide-body ul.points > li')];

  // Whether units [start, end) alone fit the slide at the scale set, titled as a continued slide.
  const fitsAlone = (section, units, start, end, unit) => {
    units.forEach((u, i) => (u.style.display = i >= start && i < end ? '' : 'none'));
    return overflowOf(section, unit) === 0;
  };

  // How many units go on each slide a continuable slide continues on, measured at the smallest
  // scale: as few slides as the greedy split needs, then the units spread evenly over them when
  // every share still fits. Undefined when a single unit cannot fit a slide of its own.
  const planContinuation = (section, unit) => {
    const units = unitsOf(section);
    const title = section.querySelector('.slide-title');
    const heading = title && title.innerHTML;
    // The widest mark a continued title gets, so that a title that wraps because of it is measured so.
    if (title) title.insertAdjacentHTML('beforeend', '<span class="continued-mark"> (99/99)</span>');
    try {
      const greedy = [];
      for (let start = 0; start < units.length; ) {
        let end = start;
        while (end < units.length && fitsAlone(section, units, start, end + 1, unit)) end++;
        if (end === start) return undefined;
        greedy.push(end - start);
        start = end;
      }
      if (greedy.length < 2) return undefined;
      const even = greedy.map((_, i) => Math.floor(units.length / greedy.length) + (i < units.length % greedy.length ? 1 : 0));
      let start = 0;
      for (const size of even) {
        if (!fitsAlone(section, units, start, start + size, unit)) return greedy;
        start += size;
      }
      return even;
    } finally {
      units.forEach((u) => (u.style.display = ''));
      if (title) title.innerHTML = heading;
    }
  };

  const fitSlide = (section) => {
    const number = Number(section.dataset.slideNumber);
    // reveal.js keeps slides other than the current ones out of the layout (display: none);
    // such a slide is laid out for as long as it is measured.
    const display = [section.style.getPropertyValue('display'), section.style.getPropertyPriority('display')];
    const hidden = getComputedStyle(section).display === 'none';
    if (hidden) section.style.setProperty('display', 'flex', 'important');
    try {
      // Fitting again (after a live reload) starts from the slide's own size.
      section.classList.remove('fitted');
      section.style.removeProperty('--bd-fit');
      const unit = section.offsetWidth > 0 ? section.getBoundingClientRect().width / section.offsetWidth : 1;
      const allowed = section.dataset.fit !== 'off';
      let scale = 1;
      let overflow = overflowOf(section, unit || 1);
      const setScale = (step) => {
        section.style.setProperty('--bd-fit', String(step));
        section.classList.add('fitted');
      };
      if (overflow === 0 && allowed && 'grow' in section.dataset && fullness(section) < LIGHT) {
        for (const step of GROW) {
          setScale(step);
          if (overflowOf(section, unit || 1) === 0 && fullness(section) <= LIGHT) return { number, scale: step, overflow: 0 };
        }
        section.classList.remove('fitted');
        section.style.removeProperty('--bd-fit');
      }
      for (const step of STEPS.slice(1)) {
        if (overflow === 0 || !allowed) break;
        setScale(step);
        scale = step;
        overflow = overflowOf(section, unit || 1);
      }
      if (overflow > 0 && allowed && section.dataset.continue) {
        const continued = planContinuation(section, unit || 1);
        if (continued) return { number, scale, overflow, continued };
      }
      return { number, scale, overflow };
    } finally {
      if (hidden) section.style.setProperty('display', display[0], display[1]);
    }
  };

  const fitAll = () => [...document.querySelectorAll('.reveal .slides section.slide')].map(fitSlide);

  // Text wraps differently before its font is loaded, and a slide shown later may use a face no
  // slide on screen has used yet: every face of the deck (all inline data) is loaded first.
  const loaded = () =>
    new Promise((resolve) => (document.readyState === 'complete' ? resolve() : window.addEventListener('load', () => resolve(), { once: true })))
      .then(() => {
        // Every face is asked to load, and their loading is polled: a promise of a face
        // that the page drops meanwhile (print view restyles the deck) would never settle.
        for (const face of document.fonts) face.load().catch(() => undefined);
        return fontsLoaded();
      });

  // Polled, not awaited: Chromium may replace document.fonts.ready when the page is restyled, and
  // a promise chained on the old one is then never settled (and collected).
  const fontsLoaded = () =>
    new Promise((resolve) => {
      const check = () => (document.fonts.status === 'loaded' ? resolve() : setTimeout(check, 10));
      check();
    });

  // Slides are laid out at reveal.js's `ready` event, except in print view, where the pages are
  // laid out later (`pdf-ready`).
  const laidOut = new Promise((resolve) => {
    Reveal.on('ready', () => Reveal.isPrintView() || resolve());
    Reveal.on('pdf-ready', () => resolve());
    if (Reveal.isReady() && !Reveal.isPrintView()) resolve();
  });

  const fitWhenLoaded = () => loaded().then(fitAll);
  window.briefdeckFit = laidOut.then(fitWhenLoaded);
  // `briefdeck watch` swaps a rebuilt deck's slides in place: those are fitted again.
  window.briefdeckFit.then(() => {
    const slides = document.querySelector('.reveal .slides');
    if (Reveal.isPrintView() || !slides) return;
    new MutationObserver(() => (window.briefdeckFit = fitWhenLoaded())).observe(slides, { childList: true });
  });
})();
