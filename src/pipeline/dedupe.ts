import type { DeliverResult, InboundMessage } from '../domain/channel.js';
import type { Repos } from '../store/store.js';

/**
 * A message is known by its channel and external id: a re-delivery returns the first result. Checked
 * before the ingest transaction (the cheap common case) and again after a concurrent delivery won the
 * insert (the `duplicate` rule rolls the loser back).
 */
export async function firstDelivery(r: Repos, m: InboundMessage): Promise<DeliverResult | undefined> {
  const existing = await r.messages.findByExternal(m.channel, m.externalMessageId);
  return existing ? { messageId: existing.id, conversationId: existing.conversationId, duplicate: true } : undefined;
}
