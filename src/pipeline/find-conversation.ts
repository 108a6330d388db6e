import { newId } from '../domain/ids.js';
import { CUSTOMER } from '../domain/events.js';
import type { InboundMessage } from '../domain/channel.js';
import { applyTransition, openConversation } from '../lifecycle/apply.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import { pendingCsatScore } from './csat.js';
import { detectLocale } from './intent.js';

export interface FoundConversation {
  /** Locked for the rest of the transaction. */
  conversation: ConversationRow;
  reopened: boolean;
}

/**
 * The conversation a message belongs to: the one its email references point at, else the thread's
 * latest that is not closed. A resolved one reopens — to its last agent within `reopenWindowMs`, to
 * the queue after — unless the message is its rating. Otherwise a new conversation opens.
 */
export async function findOrOpenConversation(
  r: Repos,
  m: InboundMessage,
  customerId: string,
  opts: { reopenWindowMs: number; now: number; joinedId?: string },
): Promise<FoundConversation> {
  const { now } = opts;
  const joinedId = opts.joinedId ?? (await r.conversations.findByMessageExternalIds(m.channel, m.replyToExternalIds ?? []));
  const current = joinedId
    ? await r.conversations.get(joinedId, { lock: true })
    : await r.conversations.latestForThread(m.channel, m.threadKey, { lock: true });
  if (current && current.status !== 'closed') {
    const locked = current;
    if (locked.status !== 'resolved' || pendingCsatScore(locked, m.text) !== undefined) return { conversation: locked, reopened: false };
    const withinWindow = locked.resolvedAt != null && now - locked.resolvedAt <= opts.reopenWindowMs;
    const reopened = await applyTransition(
      r,
      locked,
      { type: 'reopen', agentId: withinWindow ? locked.lastAssigneeId : null },
      { by: CUSTOMER, now },
    );
    return { conversation: reopened, reopened: true };
  }
  // A VIP's conversation starts at high priority; a standard customer's at normal. An agent may change it after.
  const customer = await r.customers.get(customerId);
  const conversation = await openConversation(
    r,
    {
      id: newId(now),
      customerId,
      channel: m.channel,
      threadKey: m.threadKey,
      team: null,
      priority: customer?.tier === 'vip' ? 'high' : 'normal',
      locale: detectLocale(m.text, m.sender.locale),
      subject: m.subject ?? null,
      lastMessageAt: now,
    },
    { by: CUSTOMER, now },
  );
  return { conversation, reopened: false };
}
