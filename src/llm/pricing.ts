/**
 * Estimated LLM cost: a price table per model, in one currency per million tokens. These are
 * estimates from the configured table (LLM_PRICES), not the invoice: the provider's bill is the
 * truth, and prices change.
 */
import { z } from 'zod';
import type { DraftUsage } from './drafter.js';

export const modelPrice = z.strictObject({
  /** Per million uncached input tokens. */
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /** Per million tokens written to the prompt cache; the API bills 1.25 × input for the 5-minute cache. */
  cacheWrite: z.number().nonnegative().optional(),
  /** Per million tokens read from the prompt cache; the API bills 0.1 × input. */
  cacheRead: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof modelPrice>;
export const priceTable = z.record(z.string().min(1), modelPrice);
export type PriceTable = z.infer<typeof priceTable>;

/** Anthropic's list prices (USD per million tokens) by model family, for models the table does not name. */
export const DEFAULT_FAMILY_PRICES: Record<string, ModelPrice> = {
  opus: { input: 5, output: 25 },
  sonnet: { input: 3, output: 15 },
  haiku: { input: 1, output: 5 },
};

/** The price for a model: the table's own row, else by family (a name containing opus/sonnet/haiku), else none. */
export function priceFor(table: PriceTable, model: string | null | undefined): ModelPrice | undefined {
  if (!model) return undefined;
  const own = table[model];
  if (own) return own;
  const family = Object.keys(DEFAULT_FAMILY_PRICES).find((f) => model.includes(f));
  return family ? DEFAULT_FAMILY_PRICES[family] : undefined;
}

/** Estimated cost of some usage, or null when the model has no price. */
export function estimateCost(table: PriceTable, model: string | null | undefined, u: DraftUsage): number | null {
  const p = priceFor(table, model);
  if (!p) return null;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  const cost =
    u.inputTokens * perToken(p.input) +
    u.outputTokens * perToken(p.output) +
    u.cacheWriteTokens * perToken(p.cacheWrite ?? p.input * 1.25) +
    u.cacheReadTokens * perToken(p.cacheRead ?? p.input * 0.1);
  return roundCost(cost);
}

/** Six decimals: a single draft costs fractions of a cent. */
export function roundCost(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Parses LLM_PRICES (JSON: {"model": {"input": 3, "output": 15, "cacheWrite": 3.75, "cacheRead": 0.3}}). */
export function parsePriceTable(raw: string | undefined): PriceTable {
  if (!raw?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('LLM_PRICES must be JSON: {"model": {"input": 3, "output": 15}} (per million tokens)');
  }
  const parsed = priceTable.safeParse(json);
  if (!parsed.success) throw new Error(`LLM_PRICES: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
