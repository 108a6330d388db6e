import { describe, expect, it } from 'vitest';
import { splitText } from '../../adapters/telegram/split-text.js';

describe('splitText', () => {
  it('keeps a short reply whole', () => {
    expect(splitText('Hello!')).toEqual(['Hello!']);
  });

  it('breaks at a paragraph, then a line, then a word, within the limit', () => {
    expect(splitText('aaaa bbbb\n\ncccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('aaaa bbbb\ncccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('aaaa bbbb cccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
  });

  it('cuts text without spaces hard, but never through an emoji', () => {
    const chunks = splitText('x'.repeat(9) + '😀' + 'y'.repeat(5), 10);
    expect(chunks).toEqual(['x'.repeat(9), '😀' + 'y'.repeat(5)]);
    expect(chunks.every((c) => c.length <= 10)).toBe(true);
  });

  it('sends nothing for a blank reply', () => {
    expect(splitText(' \n ')).toEqual([]);
  });
});
