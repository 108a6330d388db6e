import { z } from 'zod';
import { hashToken, newId, newSecret } from '../domain/ids.js';
import { ValidationError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';

export const agentRole = z.enum(['agent', 'admin']);
export type AgentRole = z.infer<typeof agentRole>;

/** Creates an agent and returns its token once; only the token's hash is stored. */
export async function createAgent(
  store: Store,
  clock: Clock,
  name: string,
  role: AgentRole = 'agent',
): Promise<{ id: string; token: string }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new ValidationError('name: must be 1–100 characters', 'name');
  const id = newId(clock.now().getTime());
  const token = `sb_${newSecret()}`;
  await store.tx((r) => r.agents.insert({ id, name: trimmed, role, tokenHash: hashToken(token), createdAt: clock.now().getTime() }));
  return { id, token };
}
