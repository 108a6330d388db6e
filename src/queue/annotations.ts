import { PRIORITIES, type Priority } from '../domain/conversation.js';
import { ConflictError } from '../domain/errors.js';
import { MAX_LABELS_PER_CONVERSATION } from '../domain/labels.js';
import type { Actor } from '../domain/events.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';

/*
 * Writes of what annotates a conversation without deciding anything about it: its priority, its
 * labels, its snooze. Agents' actions (src/queue/actions.ts), the pipeline's complaint detection
 * and the snooze timer all go through these, so each change has its one event. None of these is a
 * lifecycle field (src/lifecycle/apply.ts owns those).
 */

export const priorityRank = (p: Priority): number => PRIORITIES.indexOf(p);

/** Sets the priority and appends its event; the row must be locked by the caller. A priority already set writes nothing. */
export async function writePriority(r: Repos, c: ConversationRow, priority: Priority, by: Actor, now: number): Promise<ConversationRow> {
  if (c.priority === priority) return c;
  await r.conversations.update(c.id, { priority, updatedAt: now });
  await r.events.append(c.id, { type: 'priority', data: { priority, from: c.priority, by } }, now);
  return { ...c, priority, updatedAt: now };
}

/** Raises the priority to at least `floor`, never lowering it. */
export async function raisePriority(r: Repos, c: ConversationRow, floor: Priority, by: Actor, now: number): Promise<ConversationRow> {
  return priorityRank(c.priority) >= priorityRank(floor) ? c : writePriority(r, c, floor, by, now);
}

/**
 * Adds a normalised label and its event; false when it was there already. Agents are held to
 * MAX_LABELS_PER_CONVERSATION; the pipeline's own labels (`system`) are always added.
 */
export async function writeLabel(r: Repos, c: ConversationRow, label: string, by: Actor, now: number): Promise<boolean> {
  if (by !== 'system') {
    const current = (await r.labels.of([c.id])).get(c.id) ?? [];
    if (!current.includes(label) && current.length >= MAX_LABELS_PER_CONVERSATION)
      throw new ConflictError(`a conversation carries at most ${MAX_LABELS_PER_CONVERSATION} labels`);
  }
  if (!(await r.labels.add({ conversationId: c.id, label, createdBy: by, createdAt: now }))) return false;
  await r.events.append(c.id, { type: 'label', data: { label, action: 'add', by } }, now);
  return true;
}

export async function dropLabel(r: Repos, c: ConversationRow, label: string, by: Actor, now: number): Promise<boolean> {
  if (!(await r.labels.remove(c.id, label))) return false;
  await r.events.append(c.id, { type: 'label', data: { label, action: 'remove', by } }, now);
  return true;
}

/** Back in the lists: `wake` when its time came or the customer wrote, `unsnooze` when an agent brought it back. */
export async function endSnooze(
  r: Repos,
  c: ConversationRow,
  action: 'wake' | 'unsnooze',
  by: Actor,
  now: number,
): Promise<ConversationRow> {
  if (c.snoozedUntil === null) return c;
  await r.conversations.update(c.id, { snoozedUntil: null, updatedAt: now });
  await r.events.append(c.id, { type: 'snooze', data: { action, until: null, by } }, now);
  return { ...c, snoozedUntil: null, updatedAt: now };
}
