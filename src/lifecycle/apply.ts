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
  'status' | 'assigneeId' | 'lastAssigneeId' | 'waitingSince' | 'resolvedAt' | 'csat' | 'updatedAt'
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
  };
  await r.conversations.insert(row);
  await r.events.append(row.id, { type: 'status', data: { ...OPENED, action: 'open', by: opts.by } }, now);
  return row;
}

/** An agent answered: the customer is no longer waiting. Not a transition, so no `status` event. */
export async function markAnswered(r: Repos, c: ConversationRow): Promise<void> {
  if (c.waitingSince != null) await r.conversations.update(c.id, { waitingSince: null });
}

function stateOf(c: ConversationRow): ConversationState {
  const status = STATUSES.find((s) => s === c.status);
  if (!status) throw new Error(`conversation ${c.id} has an unknown status "${c.status}"`);
  return { status, assigneeId: c.assigneeId };
}
