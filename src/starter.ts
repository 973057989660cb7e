// The starter briefing written by `briefdeck new`: short, valid, and showing the common types.

export function starterBriefing(name: string, date: string): string {
  const title = name.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  return `# yaml-language-server: $schema=../node_modules/briefdeck/schema/briefing.schema.json
# A briefdeck briefing. Build it with: npx briefdeck build briefings/${name}.yaml
title: ${JSON.stringify(title)}
subtitle: What happened, why it matters, what comes next
date: ${date}
author: Your Name
classification: UNCLASSIFIED // FOR TRAINING
summary: One paragraph that says what this briefing concludes.
sources:
  - id: example
    title: The article or report this briefing draws on
    publisher: Publisher
    url: https://example.org/article
    date: ${date}
slides:
  - type: summary
    title: Bottom line
    points:
      - The single most important conclusion, stated plainly [@example]
      - The second conclusion
    notes: |
      Speaker notes are Markdown. Press **S** in the deck to open the speaker view.
  - type: bullets
    title: Key points
    points:
      - A point with **bold** and *italic* text
      - text: A point with sub-points
        points:
          - First detail
          - Second detail
  - type: timeline
    title: How we got here
    events:
      - { date: "Jan", text: First event }
      - { date: "Feb", text: Second event }
  - type: figures
    title: By the numbers
    figures:
      - { value: "3", label: Things that matter }
      - { value: "42%", label: A share of something }
`;
}

/** The config written by `briefdeck init`: every key, commented, with its default. */
export const STARTER_CONFIG = `# briefdeck project config. Briefings may override theme, brand, aspect, classification and lang.
# Merge order: built-in defaults, then this file, then each briefing, then command-line flags.
theme: light                 # light, dark, high-contrast, print, or a local .css file
aspect: "16:9"               # "16:9", "4:3" or "16:10"
classification: UNCLASSIFIED // FOR TRAINING
lang: en
# brand:
#   logo: brand/logo.svg     # shown on the title slide and in every footer
#   primary: "#1f4e8c"       # hex colours or CSS colour names only
#   accent: "#b35900"
#   font: brand/font.woff2
# templates: templates       # partials here override the built-in ones of the same name
out: dist
# url: https://briefs.example.org/weekly/  # where out is published: link previews name absolute addresses
pdf:
  notes: false               # true prints notes handouts
`;
