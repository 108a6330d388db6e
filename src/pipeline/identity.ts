import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/channel.js';
import type { Repos } from '../store/store.js';
import type { IdentityRow } from '../store/ports.js';

/** The sender's channel identity, created with its customer on first contact. Caller holds the identity lock. */
export async function upsertIdentity(r: Repos, m: InboundMessage, now: number): Promise<IdentityRow> {
  const found = await r.customers.findIdentity(m.channel, m.sender.channelUserId);
  if (found) return found;
  const customerId = newId(now);
  await r.customers.insert({
    id: customerId,
    displayName: m.sender.displayName ?? m.sender.username ?? null,
    email: m.sender.email ?? null,
    locale: m.sender.locale ?? null,
    createdAt: now,
    erasedAt: null,
    tier: 'standard',
    notes: null,
    mergedInto: null,
  });
  const identity: IdentityRow = {
    id: newId(now),
    customerId,
    channel: m.channel,
    channelUserId: m.sender.channelUserId,
    displayName: m.sender.displayName ?? null,
    username: m.sender.username ?? null,
    createdAt: now,
  };
  await r.customers.insertIdentity(identity);
  return identity;
}
