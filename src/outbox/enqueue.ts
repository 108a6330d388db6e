import { newId } from '../domain/ids.js';
import type { Choice, OutboundMessage } from '../domain/channel.js';
import type { Repos } from '../store/store.js';
import type { AttachmentRow, ConversationRow, CustomerRow, IdentityRow, MessageRow } from '../store/ports.js';
import { payloadAttachments } from '../attachments/outbound.js';

/** What the ingest transaction already holds about whom a reply goes to: the sender's identity, their customer (when read), and the message it answers. */
export interface ReplyRecipient {
  identity: IdentityRow;
  customer?: CustomerRow;
  lastIn: MessageRow;
}

export interface ReplyInput {
  conversation: ConversationRow;
  author: 'bot' | 'agent';
  agentId?: string | null;
  text: string;
  now: number;
  /** Offered with the reply; kept in the message's meta too, so agents see them and the next message can be read as a pick. */
  choices?: Choice[];
  /** More to remember on the outbound message (what the offer was about). */
  meta?: Record<string, unknown>;
  /** Known already (an inbound message being answered); read from the store when absent or not this conversation's. */
  recipient?: ReplyRecipient;
  /** Checked uploads sent with the reply (src/attachments/outbound.ts); linked to the message here. */
  attachments?: AttachmentRow[];
}

/**
 * Writes an outbound message and its outbox row in the caller's transaction — before any network
 * call — so a reply is either durably queued with its conversation change or not at all.
 */
export async function enqueueReply(r: Repos, input: ReplyInput): Promise<MessageRow> {
  const { conversation: c, now } = input;
  // Sequential on purpose: a transaction is one connection, which runs one query at a time.
  const known = input.recipient;
  const fits =
    known && known.identity.customerId === c.customerId && known.identity.channel === c.channel && known.lastIn.conversationId === c.id;
  const customer = fits && known.customer ? known.customer : await r.customers.get(c.customerId);
  const identity = fits ? known.identity : (await r.customers.identitiesOf(c.customerId)).find((i) => i.channel === c.channel);
  const lastIn = fits ? known.lastIn : await r.messages.lastInbound(c.id);
  const messageId = newId(now);
  const outboxId = newId(now);
  const lastMeta = lastIn?.meta ? (JSON.parse(lastIn.meta) as { subject?: string; references?: string[] }) : {};
  // Files are listed without their open(): the outbox worker gives them one when it sends (src/attachments/outbound.ts).
  const payload: Omit<OutboundMessage, 'outboxId' | 'attachments'> & { attachments?: ReturnType<typeof payloadAttachments> } = {
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
    author: input.author,
    ...(input.choices?.length ? { choices: input.choices } : {}),
    ...(input.attachments?.length ? { attachments: payloadAttachments(input.attachments) } : {}),
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
    meta:
      input.choices?.length || input.meta || input.attachments?.length
        ? JSON.stringify({
            ...input.meta,
            ...(input.choices?.length ? { choices: input.choices } : {}),
            ...(input.attachments?.length ? { attachments: payloadAttachments(input.attachments) } : {}),
          })
        : null,
    createdAt: now,
  };
  await r.messages.insert(message);
  if (input.attachments?.length)
    await r.attachments.link(
      input.attachments.map((a) => a.id),
      messageId,
      c.customerId,
    );
  await r.outbox.insert({
    id: outboxId,
    messageId,
    conversationId: c.id,
    channel: c.channel,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    leaseUntil: null,
    leaseOwner: null,
    lastError: null,
    externalId: null,
    createdAt: now,
    sentAt: null,
  });
  // `c` is the row as this transaction wrote it: when the inbound message being answered already
  // set both times to `now`, writing them again would change nothing.
  if (c.lastMessageAt !== now || c.updatedAt !== now) await r.conversations.update(c.id, { lastMessageAt: now, updatedAt: now });
  const event = { type: 'message', data: { messageId, direction: 'out', author: input.author } } as const;
  // A bot reply's event may wait for the end of the transaction (one insert with the inbound's); an
  // agent's reply is written now, because the reports attribute it to the conversation's team and
  // assignee as they are at the reply, before anything later in the transaction changes them.
  if (input.author === 'bot') r.events.appendLater(c.id, event, now);
  else await r.events.append(c.id, event, now);
  return message;
}
