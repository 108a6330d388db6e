import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { CustomerTier } from '../domain/conversation.js';
import type { Store } from '../store/store.js';
import type { AgentRow, CustomerRow } from '../store/ports.js';
import { audit } from '../audit/record.js';

export interface ProfilePatch {
  tier?: CustomerTier;
  notes?: string | null;
  displayName?: string | null;
}

/**
 * Edits what agents keep about a customer. Notes and the name are every agent's to fix; the tier
 * is an admin's: VIP changes how the customer is served (routing and priority follow it), which
 * is a lead's decision, not one an agent makes for the customers they happen to be talking to.
 * Audited with the fields changed (never their text).
 */
export async function updateProfile(store: Store, clock: Clock, agent: AgentRow, id: string, patch: ProfilePatch): Promise<CustomerRow> {
  return store.tx(async (r) => {
    await r.lock(`customer:${id}`);
    const c = await r.customers.get(id);
    if (!c || c.mergedInto !== null) throw new NotFoundError(`customer ${id} not found`);
    if (c.erasedAt !== null) throw new ConflictError(`customer ${id} is erased`);
    if (patch.tier !== undefined && patch.tier !== c.tier && agent.role !== 'admin') {
      throw new ForbiddenError('tier: only an admin may change a customer’s tier');
    }
    const changed = (Object.keys(patch) as (keyof ProfilePatch)[]).filter((k) => patch[k] !== undefined && patch[k] !== c[k]);
    if (changed.length === 0) return c;
    const now = clock.now().getTime();
    await r.customers.update(id, patch);
    await audit(r, {
      by: agent.id,
      action: 'customer.update',
      subjectId: id,
      detail: { fields: changed, ...(changed.includes('tier') ? { tier: { from: c.tier, to: patch.tier } } : {}) },
      now,
    });
    await r.events.append(null, { type: 'customer', data: { customerId: id, action: 'update', otherCustomerId: null, by: agent.id } }, now);
    return { ...c, ...patch };
  });
}
