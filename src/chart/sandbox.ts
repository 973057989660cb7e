// The `vega-lite` escape hatch may shape a chart but not reach outside the briefing: a spec that
// names a URL, a link, an image or data of its own is refused here, at its key. Rendering is
// sandboxed as well (see vega.ts), so what this check misses still loads and runs nothing.

type Path = (string | number)[];

export interface SpecProblem {
  path: Path;
  message: string;
}

/** Keys that load or link something, with why each is refused. */
const REFUSED: Readonly<Record<string, string>> = {
  url: 'loads a URL; a chart draws only the slide\'s own data',
  href: 'makes a link; a chart in a deck is a picture',
  data: "gives data of its own; a chart's data comes only from the slide's `data`",
  datasets: "gives data of its own; a chart's data comes only from the slide's `data`",
};

export function checkSpec(spec: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const walk = (value: unknown, path: Path) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const reason = Object.hasOwn(REFUSED, key) ? REFUSED[key] : undefined;
        if (reason !== undefined) {
          problems.push({ path: [...path, key], message: `"${key}" ${reason}` });
          continue;
        }
        if (key === 'mark' && (item === 'image' || (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'image'))) {
          problems.push({ path: [...path, key], message: 'an image mark loads a picture; a chart draws only the slide\'s own data' });
          continue;
        }
        walk(item, [...path, key]);
      }
    }
  };
  walk(spec, []);
  return problems;
}
