import { z } from 'zod';
import type { Repos, Store } from '../store/store.js';

/**
 * Proactive chat invitations (issue 15): rules an admin sets, kept as one JSON value in the
 * settings store (a few dozen rules at most, read by every instance), and evaluated by widget.js
 * on the shop's page: the page URL matches, the visitor has been on it long enough, and has
 * visited often enough.
 */
export const INVITE_RULES_KEY = 'widget.inviteRules';
export const MAX_RULES = 50;
const MAX_PATTERN = 300;
const MAX_MESSAGE = 300;

const message = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_MESSAGE, `must be at most ${MAX_MESSAGE} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'must not hold control characters');

/** A URL substring, or a glob where `*` stands for anything (`/products/*`, `*checkout*`). */
const pattern = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_PATTERN, `must be at most ${MAX_PATTERN} characters`)
  .refine((s) => !/\s/.test(s), 'must not contain spaces');

export const inviteRuleInput = z.strictObject({
  pattern,
  minSeconds: z.number().int().min(0).max(3600),
  minVisits: z.number().int().min(1).max(1000).default(1),
  message: z.strictObject({ en: message, zh: message }),
  enabled: z.boolean().default(true),
});

export type InviteRuleInput = z.infer<typeof inviteRuleInput>;
export interface InviteRule extends InviteRuleInput {
  id: string;
  createdAt: number;
}

export async function readRules(r: Repos): Promise<InviteRule[]> {
  const row = await r.settings.get(INVITE_RULES_KEY);
  return row ? (JSON.parse(row.value) as InviteRule[]) : [];
}

export async function writeRules(r: Repos, rules: InviteRule[], by: string, now: number): Promise<void> {
  await r.settings.set({ key: INVITE_RULES_KEY, value: JSON.stringify(rules), updatedAt: now, updatedBy: by });
}

/** What widget.js gets (public: patterns and messages only, of enabled rules). */
export async function publicRules(
  store: Store,
): Promise<{ id: string; pattern: string; minSeconds: number; minVisits: number; message: { en: string; zh: string } }[]> {
  const rules = await store.read(readRules);
  return rules
    .filter((x) => x.enabled)
    .map(({ id, pattern, minSeconds, minVisits, message }) => ({ id, pattern, minSeconds, minVisits, message }));
}
