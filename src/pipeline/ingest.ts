import { newId } from '../domain/ids.js';
import type { DeliverResult, InboundMessage } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import type { FaqMatcher } from '../faq/matcher.js';
import type { Repos, Store } from '../store/store.js';
import type { MessageRow } from '../store/ports.js';
import { firstDelivery } from './dedupe.js';
import { findOrOpenConversation } from './find-conversation.js';
import { upsertIdentity } from './identity.js';
import { detectLocale } from './intent.js';
import { decide, rules } from './rules/index.js';

export interface PipelineDeps {
  store: Store;
  clock: Clock;
  faq: () => FaqMatcher;
  /** Resolved conversations reopen to their last agent within this window; after it, to the queue. */
  reopenWindowMs: number;
  /** Called after a hand-off commits; drafting runs there, never inside the customer's transaction. */
  onHandoff?: (conversationId: string, messageId: string) => void;
  /** Called after commit with what the rules decided for a newly stored message (metrics count it). */
  onDecided?: (channel: InboundMessage['channel'], decision: { kind: string; rule: string }) => void;
}

class DuplicateDelivery extends Error {}

/**
 * Ingests one inbound message in one transaction: identity, conversation, message, the decision
 * (src/pipeline/rules/) and any bot reply in the outbox. A re-delivered message (same channel +
 * external id) changes nothing and returns the first result.
 */
export async function ingest(deps: PipelineDeps, m: InboundMessage): Promise<DeliverResult> {
  let queued = false;
  let decided: { kind: string; rule: string } | undefined;
  const faq = matchedAhead(deps, m);
  try {
    const result = await deps.store.tx(async (r) => {
      // The cheap common case of a re-delivery: known before any lock is taken or row written.
      const known = await firstDelivery(r, m);
      if (known) return known;
      const now = deps.clock.now().getTime();
      // Concurrent deliveries on one thread (or from one new sender) must not open two conversations or customers.
      await r.lock(`thread:${m.channel}:${m.threadKey}`);
      await r.lock(`identity:${m.channel}:${m.sender.channelUserId}`);
      const identity = await upsertIdentity(r, m, now);
      const { conversation, reopened } = await findOrOpenConversation(r, m, identity.customerId, {
        reopenWindowMs: deps.reopenWindowMs,
        now,
      });
      const inbound = await storeInbound(r, m, conversation.id, newId(now), now);
      const locale = detectLocale(m.text, m.sender.locale ?? conversation.locale);
      const decision = await decide(rules, {
        r,
        faq,
        message: m,
        stored: inbound !== undefined,
        conversation,
        reopened,
        locale,
        now,
        recipient: inbound && { identity, lastIn: inbound },
      });
      // Another instance stored the same message between our check and the insert: undo everything.
      if (decision.kind === 'duplicate' || !inbound) throw new DuplicateDelivery();
      queued = decision.kind === 'queued';
      decided = decision;
      return { messageId: inbound.id, conversationId: conversation.id, duplicate: false };
    });
    if (queued) deps.onHandoff?.(result.conversationId, result.messageId);
    if (decided) deps.onDecided?.(m.channel, decided);
    return result;
  } catch (err) {
    if (!(err instanceof DuplicateDelivery)) throw err;
    return (await deps.store.tx((r) => firstDelivery(r, m)))!;
  }
}

/**
 * Where transactions run side by side (PostgreSQL), one appending events holds the lock that
 * keeps sequence numbers visible in order from its first event to its commit (events-repo.ts),
 * and the rules match the FAQ in that stretch; matching the text before the transaction keeps
 * that CPU time out of it, so the other transactions' turns are not spent waiting on it. The
 * match is kept for the text and locale it was made for; any other question is matched as usual.
 * On SQLite transactions take turns anyway, and a match no rule asks for would be wasted.
 */
function matchedAhead(deps: PipelineDeps, m: InboundMessage): () => FaqMatcher {
  if (deps.store.database.dialect !== 'pg') return deps.faq;
  const matcher = deps.faq();
  const locale = detectLocale(m.text, m.sender.locale);
  const ahead = matcher.match(m.text, { locale });
  const memo: FaqMatcher = {
    match: (text, opts) => (text === m.text && opts?.locale === locale ? ahead : matcher.match(text, opts)),
    entry: (id, l) => matcher.entry(id, l),
  };
  return () => memo;
}

/** Stores the customer's message; undefined when a concurrent delivery stored it first. */
async function storeInbound(
  r: Repos,
  m: InboundMessage,
  conversationId: string,
  messageId: string,
  now: number,
): Promise<MessageRow | undefined> {
  const row: MessageRow = {
    id: messageId,
    conversationId,
    channel: m.channel,
    externalId: m.externalMessageId,
    direction: 'in',
    author: 'customer',
    agentId: null,
    text: m.text,
    meta: JSON.stringify(metaOf(m)),
    createdAt: now,
  };
  if (!(await r.messages.insert(row))) return undefined;
  await r.conversations.update(conversationId, { lastMessageAt: now, updatedAt: now });
  r.events.appendLater(conversationId, { type: 'message', data: { messageId, direction: 'in', author: 'customer' } }, now);
  return row;
}

function metaOf(m: InboundMessage) {
  return {
    sender: m.sender,
    attachments: m.attachments.length ? m.attachments : undefined,
    subject: m.subject,
    references: m.replyToExternalIds,
    fullText: m.fullText,
    autoGenerated: m.autoGenerated || undefined,
    choiceId: m.choiceId,
    raw: m.raw,
  };
}
