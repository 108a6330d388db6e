import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from '../../web/console/conversation/markdown-parse.js';

// The parser has no DOM; the browser test checks the rendered nodes (console-conv-view.test.ts).
describe('console Markdown parser', () => {
  it('parses bold, italics, code and line breaks', () => {
    expect(parseInline('**Returns** take *3* days, run `npm start`\nthen _wait_')).toEqual([
      { t: 'strong', c: [{ t: 'text', v: 'Returns' }] },
      { t: 'text', v: ' take ' },
      { t: 'em', c: [{ t: 'text', v: '3' }] },
      { t: 'text', v: ' days, run ' },
      { t: 'code', v: 'npm start' },
      { t: 'br' },
      { t: 'text', v: 'then ' },
      { t: 'em', c: [{ t: 'text', v: 'wait' }] },
    ]);
  });

  it('keeps snake_case, lone stars and unclosed markers as text', () => {
    expect(parseInline('order_id_here 2 * 3 **open')).toEqual([{ t: 'text', v: 'order_id_here 2 * 3 **open' }]);
  });

  it('links only http, https and mailto; any other scheme stays as its source text', () => {
    expect(parseInline('[help](https://example.com/a?b=1)')).toEqual([
      { t: 'link', href: 'https://example.com/a?b=1', c: [{ t: 'text', v: 'help' }] },
    ]);
    expect(parseInline('[mail](mailto:help@example.com)')[0]).toMatchObject({ t: 'link', href: 'mailto:help@example.com' });
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', 'java%0ascript:x']) {
      expect(parseInline(`[x](${bad})`)).toEqual([{ t: 'text', v: `[x](${bad})` }]);
    }
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
  });

  it('links bare URLs without the sentence’s closing punctuation', () => {
    expect(parseInline('see https://example.com/x.')).toEqual([
      { t: 'text', v: 'see ' },
      { t: 'link', href: 'https://example.com/x', c: [{ t: 'text', v: 'https://example.com/x' }] },
      { t: 'text', v: '.' },
    ]);
  });

  it('keeps raw HTML as text', () => {
    expect(parseMarkdown('<img src=x onerror=alert(1)>')).toEqual([{ t: 'p', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] }]);
  });

  it('parses paragraphs, lists and fenced code', () => {
    expect(parseMarkdown('Steps:\n\n1. Open **Orders**\n2. Click return\n\n- a\n- b\n  more\n\n```\n<b>x</b>\n```')).toEqual([
      { t: 'p', c: [{ t: 'text', v: 'Steps:' }] },
      {
        t: 'ol',
        start: 1,
        items: [
          [
            { t: 'text', v: 'Open ' },
            { t: 'strong', c: [{ t: 'text', v: 'Orders' }] },
          ],
          [{ t: 'text', v: 'Click return' }],
        ],
      },
      { t: 'ul', items: [[{ t: 'text', v: 'a' }], [{ t: 'text', v: 'b' }, { t: 'br' }, { t: 'text', v: 'more' }]] },
      { t: 'pre', v: '<b>x</b>' },
    ]);
  });

  it('honours backslash escapes', () => {
    expect(parseInline('\\*not italic\\*')).toEqual([{ t: 'text', v: '*not italic*' }]);
  });
});
