import { describe, expect, it } from 'vitest';
import { estimateCost, parsePriceTable, priceFor } from '../../src/llm/pricing.js';
import { normalisedEditDistance } from '../../src/kit/edit-distance.js';

const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheWriteTokens: 200_000, cacheReadTokens: 2_000_000 };

describe('LLM price table', () => {
  it('prices a model from the table, cache writes and reads at their own prices', () => {
    const table = parsePriceTable('{"m": {"input": 2, "output": 10, "cacheWrite": 2.5, "cacheRead": 0.2}}');
    expect(estimateCost(table, 'm', usage)).toBeCloseTo(2 + 1 + 0.5 + 0.4, 6);
  });

  it('falls back to the family list price, with the API cache multipliers, and to none for an unknown model', () => {
    expect(priceFor({}, 'claude-sonnet-5-5')).toEqual({ input: 3, output: 15 });
    expect(estimateCost({}, 'claude-haiku-4-5', usage)).toBeCloseTo(1 + 0.5 + 0.2 * 1.25 + 2 * 0.1, 6);
    expect(estimateCost({}, 'gpt-x', usage)).toBeNull();
  });

  it('rejects a table that is not JSON or not per-model prices, naming the setting', () => {
    expect(() => parsePriceTable('{oops')).toThrow(/LLM_PRICES/);
    expect(() => parsePriceTable('{"m": {"input": -1, "output": 1}}')).toThrow(/LLM_PRICES/);
    expect(parsePriceTable('')).toEqual({});
  });
});

describe('normalised edit distance', () => {
  it('is 0 for the same text (whitespace aside), small for an edit, near 1 for another text; counts characters, not bytes', () => {
    expect(normalisedEditDistance('Hello  there ', 'Hello there')).toBe(0);
    expect(normalisedEditDistance('within three days', 'within 3 days')).toBeCloseTo(5 / 17, 6);
    expect(normalisedEditDistance('你好世界', '你好')).toBe(0.5);
    expect(normalisedEditDistance('abc', 'xyz')).toBe(1);
    expect(normalisedEditDistance('', '')).toBe(0);
  });
});
