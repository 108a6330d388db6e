import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/kit/split-text.js';
import { DISCORD_TEXT_LIMIT } from '../../adapters/discord/send-reply.js';
import { TELEGRAM_TEXT_LIMIT } from '../../adapters/telegram/send-reply.js';

describe('splitText', () => {
  it('keeps a short reply whole, trimmed', () => {
    expect(splitText('Hello!', TELEGRAM_TEXT_LIMIT)).toEqual(['Hello!']);
    expect(splitText(' Hi there ', DISCORD_TEXT_LIMIT)).toEqual(['Hi there']);
  });

  it('breaks at a paragraph, then a line, then a word, within the limit', () => {
    expect(splitText('aaaa bbbb\n\ncccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('aaaa bbbb\ncccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('aaaa bbbb cccc', 12)).toEqual(['aaaa bbbb', 'cccc']);
    const para = 'x'.repeat(1200);
    expect(splitText(`${para}\n\n${para}`, DISCORD_TEXT_LIMIT)).toEqual([para, para]);
  });

  it('cuts text without spaces hard, but never through an emoji', () => {
    const chunks = splitText('x'.repeat(9) + '😀' + 'y'.repeat(5), 10);
    expect(chunks).toEqual(['x'.repeat(9), '😀' + 'y'.repeat(5)]);
    const text = 'a'.repeat(DISCORD_TEXT_LIMIT - 1) + '😀' + 'b'.repeat(10);
    const parts = splitText(text, DISCORD_TEXT_LIMIT);
    expect(parts.every((p) => p.length <= DISCORD_TEXT_LIMIT)).toBe(true);
    expect(parts.join('')).toBe(text);
  });

  it('sends nothing for a blank reply', () => {
    expect(splitText(' \n ', TELEGRAM_TEXT_LIMIT)).toEqual([]);
  });
});
