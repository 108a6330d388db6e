import { describe, expect, it } from 'vitest';
import { DISCORD_TEXT_LIMIT, splitText } from '../../adapters/discord/split-text.js';

describe('splitText (Discord)', () => {
  it('keeps a short reply whole and splits a long one at paragraph breaks under 2,000 characters', () => {
    expect(splitText(' Hi there ')).toEqual(['Hi there']);
    const para = 'x'.repeat(1200);
    expect(splitText(`${para}\n\n${para}`)).toEqual([para, para]);
  });

  it('never cuts an emoji in half when it must cut hard', () => {
    const text = 'a'.repeat(DISCORD_TEXT_LIMIT - 1) + '😀' + 'b'.repeat(10);
    const parts = splitText(text);
    expect(parts.every((p) => p.length <= DISCORD_TEXT_LIMIT)).toBe(true);
    expect(parts.join('')).toBe(text);
    expect(parts[1]!.startsWith('😀')).toBe(true);
  });
});
