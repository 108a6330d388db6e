import { z } from 'zod';
import { newId } from '../domain/ids.js';
import { ValidationError } from '../domain/errors.js';
import { checkName } from '../kit/clean-text.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { issueToken, type TokenPolicy } from '../access/tokens.js';
import { audit, CLI_ACTOR } from '../audit/record.js';

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

/** Creates an agent with its first token and returns that token once; only the token's hash is stored. */
export async function createAgent(
  store: Store,
  clock: Clock,
  name: string,
  role: AgentRole = 'agent',
  opts: { by?: string; policy?: TokenPolicy } = {},
): Promise<{ id: string; token: string; tokenId: string }> {
  const parsed = cleanAgentName.safeParse(name);
  if (!parsed.success) throw new ValidationError(`name: ${parsed.error.issues[0]!.message}`, 'name');
  const trimmed = parsed.data;
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
