import type { InboundMessage } from '../domain/channel.js';
import { conversationOfRoot } from '../outbox/email-copies.js';
import type { Repos } from '../store/store.js';

/**
 * A visitor's answer to an email copy of a web chat reply (src/outbox/email-copies.ts) joins that
 * web chat conversation, and only when it comes from the address the copies went to: anyone can
 * write a References header, not everyone receives the visitor's mail.
 */
export async function webchatConversationAnswered(
  r: Repos,
  m: InboundMessage,
): Promise<{ conversationId: string; customerId: string } | undefined> {
  if (m.channel !== 'email') return undefined;
  for (const id of m.replyToExternalIds ?? []) {
    const conversationId = conversationOfRoot(id);
    if (!conversationId) continue;
    const c = await r.conversations.get(conversationId);
    if (!c || c.channel !== 'webchat') continue;
    const customer = await r.customers.get(c.customerId);
    const from = (m.sender.email ?? m.sender.channelUserId).toLowerCase();
    if (customer?.email && customer.erasedAt === null && customer.email.toLowerCase() === from) {
      return { conversationId, customerId: customer.id };
    }
  }
  return undefined;
}
