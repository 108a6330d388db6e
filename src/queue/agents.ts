import { z } from 'zod';
import { newId } from '../domain/ids.js';
import { ValidationError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { issueToken, type TokenPolicy } from '../access/tokens.js';
import { audit, CLI_ACTOR } from '../audit/record.js';

export const agentRole = z.enum(['agent', 'admin']);
export type AgentRole = z.infer<typeof agentRole>;

/** Creates an agent with its first token and returns that token once; only the token's hash is stored. */
export async function createAgent(
  store: Store,
  clock: Clock,
  name: string,
  role: AgentRole = 'agent',
  opts: { by?: string; policy?: TokenPolicy } = {},
): Promise<{ id: string; token: string; tokenId: string }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new ValidationError('name: must be 1–100 characters', 'name');
  const now = clock.now().getTime();
  const id = newId(now);
  const by = opts.by ?? CLI_ACTOR;
  return store.tx(async (r) => {
    await r.agents.insert({ id, name: trimmed, role, createdAt: now });
    await audit(r, { by, action: 'agent.create', subjectId: id, detail: { name: trimmed, role }, now });
    const issued = await issueToken(r, opts.policy ?? {}, { agentId: id, by, now, label: 'initial' });
    return { id, token: issued.token, tokenId: issued.row.id };
  });
}
