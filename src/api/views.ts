import { isQuestion } from '../pipeline/asked-question.js';
import { isoTime } from '../domain/iso-time.js';
import { conversationSla, type SlaPolicy, type TargetState } from '../sla/policy.js';
import type {
  CannedResponseRow,
  ConversationRow,
  CustomerCard,
  DraftRow,
  EmailCopyRow,
  IdentityRow,
  ListedRow,
  MessageRow,
  OutboxRow,
} from '../store/ports.js';

/** JSON shapes the agent API returns. Timestamps are ISO strings. */

const iso = (ms: number | null | undefined) => (ms == null ? null : isoTime(ms));

/** What annotates a conversation beyond its row, shown where it was read (lists, detail, the tools' answers). */
export interface ConversationAnnotations {
  labels: string[];
  participantIds: string[];
}

/** A target's due time while it is still owed: not met, and the conversation waits for an agent. */
function openDueAt(c: ListedRow, t: TargetState | undefined): number | null {
  return t && t.metAt == null && (c.status === 'queued' || c.status === 'assigned') ? t.dueAt : null;
}

/**
 * A conversation with its SLA (src/sla/policy.ts): due times while a target is open (null once
 * met or when no hand-off started the clock), when the first reply came, and which targets were
 * breached when. `slaDueAt`/`overdue` are the first-response target's older names, kept for clients.
 */
export function conversationView(c: ConversationRow, policy: SlaPolicy, now: number, annotations?: ConversationAnnotations) {
  const sla = conversationSla(c, policy, now);
  const firstResponseDueAt = openDueAt(c, sla?.firstResponse);
  const view = {
    id: c.id,
    channel: c.channel,
    status: c.status,
    assigneeId: c.assigneeId,
    team: c.team,
    priority: c.priority,
    locale: c.locale,
    subject: c.subject,
    waitingSince: iso(c.waitingSince),
    slaStartedAt: iso(c.slaStartedAt),
    firstResponseDueAt: iso(firstResponseDueAt),
    firstRespondedAt: iso(c.firstRespondedAt),
    resolutionDueAt: iso(openDueAt(c, sla?.resolution)),
    /** Each target passed unmet, with the time it was due (it stays after a late reply or resolve). */
    breached: {
      firstResponse: iso(sla?.firstResponse.breachedAt),
      resolution: iso(sla?.resolution.breachedAt),
    },
    slaDueAt: iso(firstResponseDueAt),
    overdue: firstResponseDueAt != null && now > firstResponseDueAt,
    lastMessageAt: iso(c.lastMessageAt),
    createdAt: iso(c.createdAt),
    resolvedAt: iso(c.resolvedAt),
    csat: c.csat,
    /** Set aside until then (snooze); null when it is in the lists. */
    snoozedUntil: iso(c.snoozedUntil),
  };
  // The annotations' keys come first, as a spread in front would put them. A spread in front of
  // this many literal properties cost V8 several times the rest of the view (a list page's 50 rows).
  return annotations ? Object.assign({}, annotations, view) : view;
}

/** The last lines a list shows with a conversation. */
export interface ListLines {
  lastMessage: { text: string; author: string; createdAt: string } | null;
  lastCustomerMessage: { text: string; createdAt: string } | null;
}

/**
 * A conversation as a list shows it: its annotations, `conversationView`'s keys in its order,
 * then the customer and the last lines. One object literal: building the view and then copying
 * it twice with Object.assign (annotations in front, list fields after) was a list page's largest
 * share of view building (a page cost 13 % more CPU that way: bench/list-cpu.ts), and a
 * literal's in-object properties also serialise faster. test/api/list-item.test.ts keeps the keys
 * and values the same as that composition's, so the two field lists cannot drift apart.
 */
export function conversationListItem(
  c: ListedRow,
  policy: SlaPolicy,
  now: number,
  annotations: ConversationAnnotations,
  customer: ReturnType<typeof customerView>,
  lines: ListLines,
) {
  const sla = conversationSla(c, policy, now);
  const firstResponseDueAt = openDueAt(c, sla?.firstResponse);
  const firstResponseDue = iso(firstResponseDueAt);
  return {
    labels: annotations.labels,
    participantIds: annotations.participantIds,
    id: c.id,
    channel: c.channel,
    status: c.status,
    assigneeId: c.assigneeId,
    team: c.team,
    priority: c.priority,
    locale: c.locale,
    subject: c.subject,
    waitingSince: iso(c.waitingSince),
    slaStartedAt: iso(c.slaStartedAt),
    firstResponseDueAt: firstResponseDue,
    firstRespondedAt: iso(c.firstRespondedAt),
    resolutionDueAt: iso(openDueAt(c, sla?.resolution)),
    breached: {
      firstResponse: iso(sla?.firstResponse.breachedAt),
      resolution: iso(sla?.resolution.breachedAt),
    },
    slaDueAt: firstResponseDue,
    overdue: firstResponseDueAt != null && now > firstResponseDueAt,
    lastMessageAt: iso(c.lastMessageAt),
    createdAt: iso(c.createdAt),
    resolvedAt: iso(c.resolvedAt),
    csat: c.csat,
    snoozedUntil: iso(c.snoozedUntil),
    customer,
    lastMessage: lines.lastMessage,
    lastCustomerMessage: lines.lastCustomerMessage,
  };
}

export function cannedView(c: CannedResponseRow) {
  return {
    id: c.id,
    shortcut: c.shortcut,
    text: c.text,
    locale: c.locale,
    teamId: c.teamId,
    ownerId: c.ownerId,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function customerView(c: CustomerCard | undefined, identities: IdentityRow[]) {
  if (!c) return null;
  return {
    id: c.id,
    displayName: c.displayName,
    email: c.email,
    locale: c.locale,
    identities: identities.map((i) => ({
      channel: i.channel,
      channelUserId: i.channelUserId,
      displayName: i.displayName,
      username: i.username,
    })),
  };
}

export function messageView(m: MessageRow, delivery: OutboxRow | undefined, copy?: EmailCopyRow) {
  const meta = m.meta
    ? (JSON.parse(m.meta) as {
        attachments?: unknown;
        subject?: string;
        fullText?: string;
        autoGenerated?: boolean;
        raw?: { problems?: unknown };
        choices?: { id: string; label: string }[];
        choiceId?: string;
        generated?:
          | { kind: 'summary'; trigger: string; model: string }
          | { kind: 'translation'; from: string; to: string; messageId: string; model: string };
        translation?: { original: string; from: string; to: string; model: string };
        automatic?: boolean;
      })
    : {};
  return {
    id: m.id,
    direction: m.direction,
    author: m.author,
    agentId: m.agentId,
    text: m.text,
    fullText: meta.fullText ?? null,
    subject: meta.subject ?? null,
    attachments: meta.attachments ?? [],
    autoGenerated: meta.autoGenerated ?? false,
    /** Sent by AI agent mode: the model's answer, sent without a person (src/pipeline/rules/ai-agent.ts). */
    automatic: meta.automatic === true,
    /** A note written by the model (a summary), not by an agent: `{kind, trigger, model}`. */
    generated: meta.generated ?? null,
    /** A reply sent translated into the customer's language: what the agent wrote, `{original, from, to, model}`. */
    translation: meta.translation ?? null,
    /** What the bot offered the customer to pick (ask back when unsure), and which one an inbound message picked. */
    choices: meta.choices ?? [],
    choiceId: meta.choiceId ?? null,
    /** A customer message that asks something, not a pick, "人工" or /start that steers the bot. */
    isQuestion: m.author === 'customer' && isQuestion(m),
    /** What the channel could not read cleanly (broken MIME, no text part), for the agent to know. */
    problems: Array.isArray(meta.raw?.problems) ? (meta.raw.problems as string[]) : [],
    createdAt: iso(m.createdAt),
    externalId: m.externalId,
    delivery: delivery ? delivery.status : null,
    deliveryError: delivery?.status === 'failed' ? delivery.lastError : null,
    deliveryAttempts: delivery?.attempts ?? null,
    /** An agent's web chat reply copied by email to a visitor who did not see it in the chat: pending, sent, skipped or failed; null when none was queued. */
    emailCopy: copy?.status ?? null,
    emailCopyReason: copy && copy.status !== 'sent' ? copy.lastError : null,
  };
}

export function draftView(d: DraftRow) {
  return {
    id: d.id,
    text: d.text,
    kind: d.kind,
    /** streaming | ready | failed | cancelled | skipped, with why for the last three. */
    status: d.status,
    reason: d.statusReason,
    /** The FAQ entries the draft cites: only ids that were among the sources sent. */
    entryIds: JSON.parse(d.entryIds) as string[],
    sourceIds: JSON.parse(d.sourceIds) as string[],
    /** Cites no FAQ entry: nothing in it is backed by the FAQ. */
    ungrounded: d.status === 'ready' && d.ungrounded === 1,
    needsHumanCheck: d.needsCheck === 1,
    needsHumanCheckReason: d.needsCheckReason,
    model: d.model,
    usage: {
      inputTokens: d.inputTokens,
      outputTokens: d.outputTokens,
      cacheWriteTokens: d.cacheWriteTokens,
      cacheReadTokens: d.cacheReadTokens,
    },
    outcome: d.outcome
      ? {
          kind: d.outcome,
          editDistance: (d.editPermille ?? 0) / 1000,
          agentId: d.outcomeAgentId,
          at: d.outcomeAt === null ? null : iso(d.outcomeAt),
        }
      : null,
    createdAt: iso(d.createdAt),
    messageId: d.messageId,
  };
}
