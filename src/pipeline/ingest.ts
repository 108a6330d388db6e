import { newId } from '../domain/ids.js';
import type { DeliverResult, InboundMessage } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import type { FaqMatcher } from '../faq/matcher.js';
import type { Repos, Store } from '../store/store.js';
import type { MessageRow } from '../store/ports.js';
import { firstDelivery } from './dedupe.js';
import { findOrOpenConversation } from './find-conversation.js';
import { upsertIdentity } from './identity.js';
import { webchatConversationAnswered } from './webchat-email-join.js';
import { detectLocale } from './intent.js';
import { decide, rules } from './rules/index.js';
import { annotateComplaint } from './complaint.js';
import { endSnooze } from '../queue/annotations.js';
import { CUSTOMER } from '../domain/events.js';
import type { SlaSettings } from '../sla/settings.js';
import { planAhead, type AiAgentDeps, type AiPlan } from '../ai-agent/plan.js';
import {
  dropUnreferenced,
  dailyBytesLeft,
  fetchInbound,
  hasFiles,
  linkInbound,
  type AttachmentMeta,
  type Fetched,
  type InboundFiles,
} from '../attachments/inbound.js';
import { refusalText } from '../attachments/refusal.js';
import { enqueueReply } from '../outbox/enqueue.js';
import { recordModelSpend } from './rules/model-spend.js';

export interface PipelineDeps {
  store: Store;
  clock: Clock;
  faq: () => FaqMatcher;
  /** Resolved conversations reopen to their last agent within this window; after it, to the queue. */
  reopenWindowMs: number;
  /** The SLA settings of the environment (business hours for the holding reply). */
  sla?: SlaSettings;
  /** Called after a hand-off commits; drafting and auto-assignment run there, never inside the customer's transaction. */
  onHandoff?: (conversationId: string, messageId: string) => void;
  /** Each channel's default team (DEFAULT_TEAMS), by id or name. */
  defaultTeams?: Readonly<Record<string, string>>;
  /** Called after commit with what the rules decided for a newly stored message (metrics count it). */
  onDecided?: (channel: InboundMessage['channel'], decision: { kind: string; rule: string }) => void;
  /** The model for AI agent mode and the uncertain FAQ band; absent without an API key. */
  ai?: AiAgentDeps;
  /** The file store and its limits; without it files are kept by name only. */
  files?: InboundFiles;
}

class DuplicateDelivery extends Error {}

/**
 * Ingests one inbound message in one transaction: identity, conversation, message, the decision
 * (src/pipeline/rules/) and any bot reply in the outbox. A re-delivered message (same channel +
 * external id) changes nothing and returns the first result.
 */
export async function ingest(deps: PipelineDeps, m: InboundMessage): Promise<DeliverResult> {
  const faq = matchedAhead(deps, m);
  // Never inside the transaction: the model is slow and may fail (src/ai-agent/plan.ts).
  const ai = await planAhead(deps, m);
  let unrecorded = false;
  try {
    const result = await ingestPlanned(deps, m, faq, ai);
    // Another delivery of the same message was stored first: this one's call was paid all the same.
    if (result.duplicate && ai?.spent) await spentOnDuplicate(deps, ai, result);
    return result;
  } catch (err) {
    // The call was paid but its message not stored, so there is nothing to record its tokens
    // against: its reservation keeps counting, at its worst case, for the rest of its month
    // (`switchboard llm reservations` lists it), rather than the call counting for nothing.
    if (ai?.spent && ai.held) {
      unrecorded = true;
      deps.ai?.log.warn('llm budget: a model call was paid for a message that was not stored; its reservation keeps counting', {
        channel: m.channel,
      });
    }
    throw err;
  } finally {
    // The transaction that records the call's tokens deletes its reservation (rules/model-spend.ts);
    // when there was none (no call, no tokens to record), the reservation goes only now, so until
    // then no call slips in between. A crash first leaves it counting at its worst case too.
    if (!unrecorded) await ai?.held?.release();
  }
}

/** Records a duplicate delivery's model call against the message stored first, so the budget and the LLM report count it. */
async function spentOnDuplicate(deps: PipelineDeps, ai: AiPlan, first: DeliverResult): Promise<void> {
  const now = deps.clock.now().getTime();
  await deps.store
    .tx((r) => recordModelSpend(r, ai, { conversationId: first.conversationId, messageId: first.messageId, now }))
    .catch((err: unknown) => deps.ai?.log.warn("llm budget: the tokens of a duplicate delivery's model call were not recorded", { err }));
}

async function ingestPlanned(
  deps: PipelineDeps,
  m: InboundMessage,
  faq: ReturnType<typeof matchedAhead>,
  ai: AiPlan | undefined,
): Promise<DeliverResult> {
  let queued = false;
  let decided: { kind: string; rule: string } | undefined;
  let fetched: Fetched[] = [];
  if (deps.files && hasFiles(m)) {
    // Downloaded before the transaction (never holding a lock on a slow CDN), and not at all for a re-delivery.
    const files = deps.files;
    const ahead = await deps.store.read(async (r) => {
      const known = await firstDelivery(r, m);
      return known ? { known } : { left: await dailyBytesLeft(files.policy, r, m, deps.clock.now().getTime()) };
    });
    if (ahead.known) return ahead.known;
    fetched = await fetchInbound(files, ahead.left, m);
  }
  try {
    const result = await deps.store.tx(async (r) => {
      // The cheap common case of a re-delivery: known before any lock is taken or row written.
      const known = await firstDelivery(r, m);
      if (known) return known;
      const now = deps.clock.now().getTime();
      // Concurrent deliveries on one thread must not open two conversations (a new sender's
      // identity has its own lock, taken by upsertIdentity only when it creates one).
      await r.lock(`thread:${m.channel}:${m.threadKey}`);
      const answered = await webchatConversationAnswered(r, m);
      const { identity, customer } = await upsertIdentity(r, m, now, answered?.customerId);
      const { conversation, reopened } = await findOrOpenConversation(r, m, identity.customerId, {
        reopenWindowMs: deps.reopenWindowMs,
        now,
        joinedId: answered?.conversationId,
      });
      const messageId = newId(now);
      const linked = fetched.length
        ? await linkInbound(r, fetched, { messageId, customerId: identity.customerId, owner: `${m.channel}:${m.threadKey}`, now })
        : undefined;
      const inbound = await storeInbound(r, m, conversation.id, messageId, now, linked?.meta);
      // The customer wrote (not their mail server's auto-reply): a snoozed conversation is back in the agents' lists at once.
      // As storeInbound left the row, so a reply in this transaction need not write the same times again.
      const touched = inbound ? { ...conversation, lastMessageAt: now, updatedAt: now } : conversation;
      const awake = inbound && !m.autoGenerated ? await endSnooze(r, touched, 'wake', CUSTOMER, now) : touched;
      // Beside the decision, never part of it (see complaint.ts): a complaint raises the priority and
      // labels it before the rules run, so a hand-off queues and times it at that priority.
      const current = inbound ? await annotateComplaint(r, awake, m, now) : awake;
      const locale = detectLocale(m.text, m.sender.locale ?? conversation.locale);
      const decision = await decide(rules, {
        r,
        faq,
        message: m,
        stored: inbound !== undefined,
        conversation: current,
        reopened,
        locale,
        now,
        defaultTeams: deps.defaultTeams,
        recipient: inbound && { identity, customer, lastIn: inbound },
        sla: deps.sla,
        ai,
      });
      // Another instance stored the same message between our check and the insert: undo everything.
      if (decision.kind === 'duplicate' || !inbound) throw new DuplicateDelivery();
      if (linked?.refused.length) {
        // The customer hears which file was not kept and why, on their own channel.
        const text = refusalText(linked.refused, locale);
        await enqueueReply(r, {
          conversation: current,
          author: 'bot',
          text,
          now,
          meta: { attachmentRefusal: true },
          recipient: { identity, customer, lastIn: inbound },
        });
      }
      queued = decision.kind === 'queued';
      decided = decision;
      return { messageId: inbound.id, conversationId: conversation.id, duplicate: false };
    });
    if (queued) deps.onHandoff?.(result.conversationId, result.messageId);
    if (decided) deps.onDecided?.(m.channel, decided);
    return result;
  } catch (err) {
    // Bytes downloaded for a message that was not kept are not left behind.
    if (fetched.length && deps.files) await deps.store.read((r) => dropUnreferenced(deps.files!, r, fetched)).catch(() => undefined);
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
  files?: AttachmentMeta[],
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
    meta: JSON.stringify(metaOf(m, files)),
    createdAt: now,
  };
  if (!(await r.messages.insert(row))) return undefined;
  await r.conversations.update(conversationId, { lastMessageAt: now, updatedAt: now });
  r.events.appendLater(conversationId, { type: 'message', data: { messageId, direction: 'in', author: 'customer' } }, now);
  return row;
}

function metaOf(m: InboundMessage, files?: AttachmentMeta[]) {
  const attachments = files ?? m.attachments.map(({ name, mime, size, url, inline }) => ({ name, mime, size, url, inline }));
  return {
    sender: m.sender,
    attachments: attachments.length ? attachments : undefined,
    subject: m.subject,
    references: m.replyToExternalIds,
    fullText: m.fullText,
    autoGenerated: m.autoGenerated || undefined,
    choiceId: m.choiceId,
    raw: m.raw,
  };
}
