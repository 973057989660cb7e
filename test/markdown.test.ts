import { describe, expect, it } from 'vitest';
import { CitationRegistry, findCitations, plainText, renderBlock, renderInline, type RenderEnv } from '../src/markdown.js';

const env = (): RenderEnv => ({ citations: new CitationRegistry(), citationHref: () => '#/sources' });

describe('inline Markdown', () => {
  it('renders bold, italic, code and safe links', () => {
    expect(renderInline('**b** *i* `c` [x](https://e.org/a?b=1&c=2)', env())).toBe(
      '<strong>b</strong> <em>i</em> <code>c</code> <a href="https://e.org/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">x</a>',
    );
  });

  it('shows raw HTML as text', () => {
    expect(renderInline('<script>alert(1)</script> <b onclick="x()">', env())).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=&quot;x()&quot;&gt;',
    );
  });

  it.each(['javascript:alert(1)', 'vbscript:x', 'data:text/html,<b>', 'file:///etc/passwd', '//evil.example/x'])(
    'does not make a link of %s',
    (url) => {
      expect(renderInline(`[click](${url})`, env())).not.toContain('<a');
    },
  );

  it('allows mailto links', () => {
    expect(renderInline('[mail](mailto:desk@example.org)', env())).toContain('href="mailto:desk@example.org"');
  });

  it('never loads images from Markdown image syntax', () => {
    expect(renderInline('![x](https://e.org/pixel.png)', env())).not.toContain('<img');
  });
});

describe('citations', () => {
  it('numbers sources in order of first use and reuses numbers', () => {
    const e = env();
    expect(renderInline('a [@second]', e)).toContain('>1</a>');
    expect(renderInline('b [@first; @second]', e)).toMatch(/>2<\/a>, <a[^>]*>1<\/a>\]/);
    expect(e.citations.number('third')).toBe(3);
  });

  it('links each marker to the sources slide', () => {
    expect(renderInline('x [@a]', env())).toBe(
      'x <span class="citations">[<a class="citation" href="#/sources" data-source="a" aria-label="Source 1">1</a>]</span>',
    );
  });

  it('finds citations with their offsets, but not inside code', () => {
    expect(findCitations('see [@a] and `[@b]` and [@c; @d]')).toEqual([
      { id: 'a', offset: 4 },
      { id: 'c', offset: 24 },
      { id: 'd', offset: 24 },
    ]);
    expect(findCitations('para [@a]\n\n- item [@b]', true).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('leaves ordinary brackets and e-mail addresses alone', () => {
    expect(findCitations('[not a citation] and user@example.org and [@ spaced]')).toEqual([]);
  });
});

describe('block Markdown and plain text', () => {
  it('renders paragraphs and lists', () => {
    expect(renderBlock('One\n\n- a\n- b', env())).toBe('<p>One</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
  });

  it('strips marks and citations for plain text', () => {
    expect(plainText('**Assad** in *China* [@a] `x`')).toBe('Assad in China x');
  });
});
