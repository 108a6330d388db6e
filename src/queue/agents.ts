import { z } from 'zod';
import { hashToken, newId, newSecret } from '../domain/ids.js';
import { ValidationError } from '../domain/errors.js';
import { checkName } from '../kit/clean-text.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';

export const agentRole = z.enum(['agent', 'admin']);
export type AgentRole = z.infer<typeof agentRole>;

/** An agent's name: one line of 1–100 characters, no control or bidi control characters (src/kit/clean-text.ts). */
export const cleanAgentName = z
  .string()
  .transform((s, ctx) => {
    const checked = checkName(s, 'refuse');
    if (checked.ok) return checked.text;
    ctx.addIssue({ code: 'custom', message: checked.reason });
    return z.NEVER;
  })
  .pipe(z.string().max(100, 'must be at most 100 characters'));

/** Creates an agent and returns its token once; only the token's hash is stored. */
export async function createAgent(
  store: Store,
  clock: Clock,
  name: string,
  role: AgentRole = 'agent',
): Promise<{ id: string; token: string }> {
  const parsed = cleanAgentName.safeParse(name);
  if (!parsed.success) throw new ValidationError(`name: ${parsed.error.issues[0]!.message}`, 'name');
  const trimmed = parsed.data;
  const id = newId(clock.now().getTime());
  const token = `sb_${newSecret()}`;
  await store.tx((r) => r.agents.insert({ id, name: trimmed, role, tokenHash: hashToken(token), createdAt: clock.now().getTime() }));
  return { id, token };
}
