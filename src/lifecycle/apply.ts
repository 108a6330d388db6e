import { OPENED, STATUSES, transition, type ConversationEvent, type ConversationState } from '../domain/conversation.js';
import type { Actor, LifecycleAction } from '../domain/events.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';

/**
 * The one writer of a conversation's lifecycle. The state machine (src/domain/conversation.ts)
 * decides a transition; these functions write it: the lifecycle columns below and one `status`
 * event, in the caller's transaction, so a change and its event commit together or not at all.
 *
 * Nothing else writes `status`, `assigneeId`, `lastAssigneeId`, `waitingSince`, `resolvedAt` or
 * `csat` (test/lifecycle/single-writer.test.ts greps src/ to keep it so). To add a lifecycle
 * field, add it to `LifecycleFields` and `lifecyclePatch`, and every transition writes it.
 */

export type LifecycleFields = Pick<
  ConversationRow,
  | 'status'
  | 'assigneeId'
  | 'lastAssigneeId'
  | 'waitingSince'
  | 'resolvedAt'
  | 'csat'
  | 'updatedAt'
  | 'slaStartedAt'
  | 'firstRespondedAt'
  | 'firstResponseBreachedAt'
  | 'resolutionBreachedAt'
>;

/** Conversation fields that are not lifecycle but may change in the same write (a hand-off's team, priority and locale). */
export type AlongsideFields = Partial<Pick<ConversationRow, 'team' | 'priority' | 'locale'>>;

export interface ApplyOptions {
  by: Actor;
  now: number;
  /** The customer's rating, recorded with the close it causes. */
  csat?: number;
  also?: AlongsideFields;
}

/** Every transition writes this same complete set of fields, computed from the row before and the state after. */
export function lifecyclePatch(
  c: ConversationRow,
  next: ConversationState,
  action: LifecycleAction,
  opts: Pick<ApplyOptions, 'now' | 'csat'>,
): LifecycleFields {
  const { now } = opts;
  return {
    status: next.status,
    assigneeId: next.assigneeId,
    lastAssigneeId: next.assigneeId ?? c.lastAssigneeId,
    waitingSince: waitingSince(c, next, action, now),
    resolvedAt: next.status === 'resolved' ? now : action === 'reopen' ? null : c.resolvedAt,
    csat: opts.csat ?? c.csat,
    updatedAt: now,
    ...slaCycle(c, next, action, now),
  };
}

/**
 * The SLA clock (src/sla/policy.ts): a hand-off, or a reopen that puts the conversation back
 * before a person, starts a new cycle with nothing answered or breached yet; going back to the
 * bot ends it. A release or transfer keeps the clock running: the customer is still waiting.
 */
function slaCycle(
  c: ConversationRow,
  next: ConversationState,
  action: LifecycleAction,
  now: number,
): Pick<LifecycleFields, 'slaStartedAt' | 'firstRespondedAt' | 'firstResponseBreachedAt' | 'resolutionBreachedAt'> {
  const starts = action === 'handoff' || (action === 'reopen' && (next.status === 'queued' || next.status === 'assigned'));
  if (starts) return { slaStartedAt: now, firstRespondedAt: null, firstResponseBreachedAt: null, resolutionBreachedAt: null };
  if (next.status === 'bot')
    return { slaStartedAt: null, firstRespondedAt: null, firstResponseBreachedAt: null, resolutionBreachedAt: null };
  return {
    slaStartedAt: c.slaStartedAt,
    firstRespondedAt: c.firstRespondedAt,
    firstResponseBreachedAt: c.firstResponseBreachedAt,
    resolutionBreachedAt: c.resolutionBreachedAt,
  };
}

/** Since when the customer has been waiting for a person, or null when nobody is expected to answer. */
function waitingSince(c: ConversationRow, next: ConversationState, action: LifecycleAction, now: number): number | null {
  if (next.status === 'queued') return now;
  // The customer wrote again to a resolved conversation that went back to its agent.
  if (action === 'reopen' && next.status === 'assigned') return now;
  if (next.status === 'resolved' || next.status === 'bot') return null;
  return c.waitingSince;
}

/**
 * Applies `event` to `c` — the row as read with `{ lock: true }` in `r`'s transaction — and appends
 * its `status` event. Refused transitions throw ConflictError before anything is written; a
 * transition that changes nothing (claiming what one already holds) writes nothing.
 */
export async function applyTransition(
  r: Repos,
  c: ConversationRow,
  event: ConversationEvent,
  opts: ApplyOptions,
): Promise<ConversationRow> {
  const next = transition(stateOf(c), event);
  if (next.status === c.status && next.assigneeId === c.assigneeId && opts.csat === undefined) return c;
  const patch = { ...opts.also, ...lifecyclePatch(c, next, event.type, opts) };
  await r.conversations.update(c.id, patch);
  await r.events.append(
    c.id,
    { type: 'status', data: { status: next.status, assigneeId: next.assigneeId, action: event.type, by: opts.by } },
    opts.now,
  );
  return { ...c, ...patch };
}

/** Opens a conversation in its first state (the bot's) and appends its `status` event. */
export async function openConversation(
  r: Repos,
  fields: Omit<ConversationRow, keyof LifecycleFields | 'createdAt' | 'redactedAt' | 'snoozedUntil'>,
  opts: Pick<ApplyOptions, 'by' | 'now'>,
): Promise<ConversationRow> {
  const { now } = opts;
  const row: ConversationRow = {
    ...fields,
    ...OPENED,
    lastAssigneeId: null,
    waitingSince: null,
    resolvedAt: null,
    csat: null,
    createdAt: now,
    updatedAt: now,
    redactedAt: null,
    snoozedUntil: null,
    slaStartedAt: null,
    firstRespondedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
  };
  await r.conversations.insert(row);
  await r.events.append(row.id, { type: 'status', data: { ...OPENED, action: 'open', by: opts.by } }, now);
  return row;
}

/**
 * An agent answered: the customer is no longer waiting, and the first reply of the SLA cycle
 * meets its first-response target. Not a transition, so no `status` event.
 */
export async function markAnswered(r: Repos, c: ConversationRow, now: number): Promise<void> {
  const firstReply = c.slaStartedAt != null && c.firstRespondedAt == null;
  if (c.waitingSince != null || firstReply)
    await r.conversations.update(c.id, { waitingSince: null, ...(firstReply ? { firstRespondedAt: now } : {}) });
}

function stateOf(c: ConversationRow): ConversationState {
  const status = STATUSES.find((s) => s === c.status);
  if (!status) throw new Error(`conversation ${c.id} has an unknown status "${c.status}"`);
  return { status, assigneeId: c.assigneeId };
}
