import { newId } from '../domain/ids.js';
import type { OutboundMessage } from '../domain/channel.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow, MessageRow } from '../store/rows.js';

export interface ReplyInput {
  conversation: ConversationRow;
  author: 'bot' | 'agent';
  agentId?: string | null;
  text: string;
  now: number;
}

/**
 * Writes an outbound message and its outbox row in the caller's transaction — before any network
 * call — so a reply is either durably queued with its conversation change or not at all.
 */
export async function enqueueReply(r: Repos, input: ReplyInput): Promise<MessageRow> {
  const { conversation: c, now } = input;
  const [customer, identity, lastIn, pendingUntil] = await Promise.all([
    r.conversations.getCustomer(c.customerId),
    r.conversations.identitiesOf(c.customerId).then((ids) => ids.find((i) => i.channel === c.channel)),
    r.messages.lastInbound(c.id),
    r.outbox.pendingUntil(c.id),
  ]);
  const messageId = newId(now);
  const outboxId = newId(now);
  const lastMeta = lastIn?.meta ? (JSON.parse(lastIn.meta) as { subject?: string; references?: string[] }) : {};
  const payload: Omit<OutboundMessage, 'outboxId'> = {
    conversationId: c.id,
    channel: c.channel as OutboundMessage['channel'],
    threadKey: c.threadKey,
    to: {
      channelUserId: identity?.channelUserId ?? c.threadKey,
      displayName: identity?.displayName ?? customer?.displayName ?? undefined,
      username: identity?.username ?? undefined,
      email: customer?.email ?? undefined,
      locale: customer?.locale ?? undefined,
    },
    text: input.text,
    replyTo: lastIn?.externalId
      ? { externalMessageId: lastIn.externalId, subject: lastMeta.subject ?? c.subject ?? undefined, references: lastMeta.references }
      : undefined,
  };
  const message: MessageRow = {
    id: messageId,
    conversationId: c.id,
    channel: c.channel,
    externalId: null,
    direction: 'out',
    author: input.author,
    agentId: input.agentId ?? null,
    text: input.text,
    meta: null,
    createdAt: now,
  };
  await r.messages.insert(message);
  await r.outbox.insert({
    id: outboxId,
    messageId,
    conversationId: c.id,
    channel: c.channel,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    // Behind any earlier reply still waiting for a retry, so the customer reads them in order.
    nextAttemptAt: Math.max(now, pendingUntil ?? now),
    leaseUntil: null,
    lastError: null,
    externalId: null,
    createdAt: now,
    sentAt: null,
  });
  await r.conversations.update(c.id, { lastMessageAt: now, updatedAt: now });
  await r.events.append(c.id, 'message', { messageId, direction: 'out', author: input.author }, now);
  return message;
}
