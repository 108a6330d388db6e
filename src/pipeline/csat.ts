import type { Choice } from '../domain/channel.js';
import { CUSTOMER } from '../domain/events.js';
import { applyTransition } from '../lifecycle/apply.js';
import { enqueueReply } from '../outbox/enqueue.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import { csatScore } from './intent.js';
import { csatThanks } from './replies.js';

/** Channels with buttons show the rating question's 1–5 as buttons; mail reads the digit the customer writes back. */
const BUTTON_CHANNELS = new Set(['telegram', 'discord', 'webchat']);

/** The rating question's answers as buttons, where the channel has them. */
export function csatChoices(channel: string): Choice[] | undefined {
  return BUTTON_CHANNELS.has(channel) ? [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${n}`, label: String(n) })) : undefined;
}

/**
 * The score this message gives, when it answers the rating question of a resolved, not yet rated
 * conversation: a pressed rating button (`csat:N`), or a bare 1–5 or stars written back.
 */
export function pendingCsatScore(c: ConversationRow, text: string, choiceId?: string): number | undefined {
  if (c.status !== 'resolved' || c.csat != null) return undefined;
  const pressed = choiceId === undefined ? undefined : /^csat:([1-5])$/.exec(choiceId);
  return pressed ? Number(pressed[1]) : csatScore(text);
}

/** The customer rated the help they got: recorded, thanked, and the conversation closes. */
export async function recordCsat(r: Repos, c: ConversationRow, score: number, now: number): Promise<ConversationRow> {
  await r.events.append(c.id, { type: 'csat', data: { score, assigneeId: c.lastAssigneeId } }, now);
  const closed = await applyTransition(r, c, { type: 'close' }, { by: CUSTOMER, now, csat: score });
  await enqueueReply(r, { conversation: closed, author: 'bot', text: csatThanks(c.locale === 'zh' ? 'zh' : 'en'), now });
  return closed;
}
