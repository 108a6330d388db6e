import { CUSTOMER } from '../domain/events.js';
import { applyTransition } from '../lifecycle/apply.js';
import { enqueueReply } from '../outbox/enqueue.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import { csatScore } from './intent.js';
import { csatThanks } from './replies.js';

/** The score this message gives, when it answers the rating question of a resolved, not yet rated conversation. */
export function pendingCsatScore(c: ConversationRow, text: string): number | undefined {
  return c.status === 'resolved' && c.csat == null ? csatScore(text) : undefined;
}

/** The customer rated the help they got: recorded, thanked, and the conversation closes. */
export async function recordCsat(r: Repos, c: ConversationRow, score: number, now: number): Promise<ConversationRow> {
  await r.events.append(c.id, { type: 'csat', data: { score, assigneeId: c.lastAssigneeId } }, now);
  const closed = await applyTransition(r, c, { type: 'close' }, { by: CUSTOMER, now, csat: score });
  await enqueueReply(r, { conversation: closed, author: 'bot', text: csatThanks(c.locale === 'zh' ? 'zh' : 'en'), now });
  return closed;
}
