import { CUSTOMER } from '../../domain/events.js';
import { applyTransition } from '../../lifecycle/apply.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { holdingReply } from '../replies.js';
import { teamHours } from '../team-hours.js';
import type { Decision, RuleContext } from './rule.js';
import { route } from './routing.js';

/** Nothing earlier answered: the conversation goes to the queue. The last rule; it always decides. */
export async function handoff(ctx: RuleContext): Promise<Decision> {
  return handToQueue(ctx);
}

/**
 * Queues the conversation (with the team and priority routing chose) and tells the customer
 * honestly what comes next: in business hours how many are ahead and the usual wait, outside them
 * when the team is back.
 */
export async function handToQueue(ctx: RuleContext): Promise<Decision> {
  const { r, now, locale } = ctx;
  const ahead = await r.conversations.countQueuedBefore(now);
  const { team, priority } = await route(ctx);
  const hours = await teamHours(ctx);
  const also = { team, priority, locale };
  ctx.conversation = await applyTransition(r, ctx.conversation, { type: 'handoff' }, { by: CUSTOMER, now, also });
  await enqueueReply(r, {
    conversation: ctx.conversation,
    author: 'bot',
    text: holdingReply(locale, ahead, hours),
    now,
    recipient: ctx.recipient,
  });
  return { kind: 'queued' };
}
