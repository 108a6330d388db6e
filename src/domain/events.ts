import { z } from 'zod';
import { PRIORITIES, STATUSES } from './conversation.js';

/**
 * Every event the log holds, one schema per type. Writers append these typed values; readers
 * (reports, /api/events, web chat, tests) get them back through `decodeEvent`, never by casting
 * JSON. A new event type is one schema and one entry in `storedEvent`; a reader that switches on
 * `type` is checked by the compiler.
 */

/** What happened to a conversation's lifecycle: opened, or one transition of the state machine. */
export const LIFECYCLE_ACTIONS = ['open', 'handoff', 'claim', 'assign', 'release', 'transfer', 'resolve', 'reopen', 'close'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Who caused a change: an agent (by id), the customer writing, or the system on its own (timeouts). */
export type Actor = string;
export const CUSTOMER: Actor = 'customer';
export const SYSTEM: Actor = 'system';

const statusChange = z.object({
  status: z.enum(STATUSES),
  assigneeId: z.string().nullable(),
  action: z.enum(LIFECYCLE_ACTIONS),
  by: z.string().min(1),
});

/**
 * Status events written before `action`/`by` existed carried a `reason` (ingest) instead; they
 * are read as the action they recorded so reports over old windows keep counting them.
 */
const LEGACY_REASONS: Record<string, { action: LifecycleAction; by: Actor }> = {
  opened: { action: 'open', by: CUSTOMER },
  handoff: { action: 'handoff', by: CUSTOMER },
  reopened: { action: 'reopen', by: CUSTOMER },
  csat: { action: 'close', by: CUSTOMER },
  timeout: { action: 'close', by: SYSTEM },
};

function upgradeLegacyStatus(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || 'action' in raw || !('reason' in raw)) return raw;
  const { reason, ...rest } = raw as Record<string, unknown>;
  const known = typeof reason === 'string' ? LEGACY_REASONS[reason] : undefined;
  return known ? { assigneeId: null, ...rest, ...known } : raw;
}

const statusData = z.preprocess(upgradeLegacyStatus, statusChange);

const message = z.object({ messageId: z.string(), direction: z.enum(['in', 'out']), author: z.enum(['customer', 'bot', 'agent']) });
const csat = z.object({ score: z.number().int().min(1).max(5), assigneeId: z.string().nullable() });
const draft = z.object({
  draftId: z.string(),
  kind: z.enum(['llm', 'faq']),
  /** Absent on events written before drafts streamed (they were ready when logged). */
  status: z.enum(['streaming', 'ready', 'failed', 'cancelled', 'skipped']).optional(),
});
const delivery = z.union([
  z.object({ messageId: z.string(), status: z.literal('sent') }),
  z.object({ messageId: z.string(), status: z.literal('failed'), error: z.string() }),
]);
/** A generated note (a summary, a translation) has no agent. */
const note = z.object({ messageId: z.string(), agentId: z.string().nullable(), generated: z.enum(['summary', 'translation']).optional() });
/** A customer question proposed for the FAQ (by an agent or a customer's pick), and an admin's decision on it. */
const faqSuggestion = z.object({
  suggestionId: z.string(),
  action: z.enum(['suggest', 'approve', 'reject']),
  by: z.string().min(1),
  entryId: z.string().nullable(),
});

/** A customer picked an entry the bot offered when unsure; `question` is what they had asked. */
const faqPicked = z.object({ entryId: z.string(), locale: z.string(), question: z.string() });

/** An agent changed how soon a conversation needs a person, or the pipeline raised it (a complaint, a VIP); `by` as in status. */
const priority = z.object({ priority: z.enum(PRIORITIES), from: z.enum(PRIORITIES), by: z.string().min(1) });
const label = z.object({ label: z.string(), action: z.enum(['add', 'remove']), by: z.string().min(1) });
/**
 * Set aside until `until` (`snooze`), back in the lists (`wake`: its time came, `by` system, or the
 * customer wrote, `by` customer), or brought back early by an agent (`unsnooze`).
 */
const snooze = z.object({ action: z.enum(['snooze', 'wake', 'unsnooze']), until: z.number().nullable(), by: z.string().min(1) });
/** An agent invited into a conversation they do not hold, or taken out of it. */
const participant = z.object({ agentId: z.string(), action: z.enum(['add', 'remove']), by: z.string().min(1) });
/** `@name` in an internal note: for the named agent's stream only (src/domain/visibility.ts). */
const mention = z.object({ messageId: z.string(), agentId: z.string(), by: z.string().min(1) });
/**
 * A conversation passed an SLA target unmet (src/sla/breaches.ts): which one, when it was due (in
 * business time from `startedAt`, the hand-off), at which priority. Written once per target and cycle.
 */
const slaBreached = z.object({
  target: z.enum(['first_response', 'resolution']),
  dueAt: z.number().int(),
  startedAt: z.number().int(),
  priority: z.enum(PRIORITIES),
});
/**
 * A customer's record changed: tier, notes or name edited, another customer merged into it, or an
 * identity split back out (`otherCustomerId` is the customer merged in or split out to).
 */
const customerChange = z.object({
  customerId: z.string(),
  action: z.enum(['update', 'merge', 'split']),
  otherCustomerId: z.string().nullable(),
  by: z.string().min(1),
});

/**
 * AI agent mode's decision on a customer message (src/pipeline/rules/ai-agent.ts): answered
 * automatically (`replyId`, the entries cited), or declined and why (`reason`).
 */
const aiAgent = z.object({
  decision: z.enum(['answered', 'declined']),
  reason: z.string(),
  messageId: z.string().nullable(),
  detail: z.string().optional(),
  replyId: z.string().optional(),
  entryIds: z.array(z.string()).optional(),
  model: z.string().nullable().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
});

const storedEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), data: message }),
  z.object({ type: z.literal('status'), data: statusData }),
  z.object({ type: z.literal('csat'), data: csat }),
  z.object({ type: z.literal('draft'), data: draft }),
  z.object({ type: z.literal('delivery'), data: delivery }),
  z.object({ type: z.literal('note'), data: note }),
  z.object({ type: z.literal('faq_suggestion'), data: faqSuggestion }),
  z.object({ type: z.literal('faq_picked'), data: faqPicked }),
  z.object({ type: z.literal('priority'), data: priority }),
  z.object({ type: z.literal('label'), data: label }),
  z.object({ type: z.literal('snooze'), data: snooze }),
  z.object({ type: z.literal('participant'), data: participant }),
  z.object({ type: z.literal('mention'), data: mention }),
  z.object({ type: z.literal('sla.breached'), data: slaBreached }),
  z.object({ type: z.literal('customer'), data: customerChange }),
  z.object({ type: z.literal('ai_agent'), data: aiAgent }),
]);

/** Every event type name, in the order of `storedEvent` (webhooks subscribe by these). */
export const EVENT_TYPES = storedEvent.options.map((o) => o.shape.type.value);

/** One event as written and as read back: its type and its payload. */
export type DomainEvent = z.output<typeof storedEvent>;
export type EventType = DomainEvent['type'];
export type EventData<T extends EventType> = Extract<DomainEvent, { type: T }>['data'];
export type StatusChange = EventData<'status'>;

export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
}

/** Reads a stored event (its type column and JSON data) back into the typed union, or says exactly what is wrong. */
export function decodeEvent(row: { type: string; data: string; seq?: number }): DomainEvent {
  const where = row.seq === undefined ? `event of type "${row.type}"` : `event ${row.seq} (${row.type})`;
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw new EventDecodeError(`${where}: data is not JSON`);
  }
  const parsed = storedEvent.safeParse({ type: row.type, data });
  if (!parsed.success) throw new EventDecodeError(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The JSON stored for an event; the type goes in its own column. */
export function encodeEventData(event: DomainEvent): string {
  return JSON.stringify(event.data);
}

/** An event as the log holds it: its place in the sequence, its conversation and time, and the typed event. */
export type LoggedEvent = DomainEvent & { seq: number; conversationId: string | null; createdAt: number };

/** Decodes a stored row (an EventRow) into a LoggedEvent. */
export function decodeLogged(row: {
  seq: number;
  conversationId: string | null;
  type: string;
  data: string;
  createdAt: number;
}): LoggedEvent {
  return { ...decodeEvent(row), seq: row.seq, conversationId: row.conversationId, createdAt: row.createdAt };
}
