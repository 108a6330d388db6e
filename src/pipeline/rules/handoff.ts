import { CUSTOMER } from '../../domain/events.js';
import { applyTransition } from '../../lifecycle/apply.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { holdingReply } from '../replies.js';
import type { Decision, RuleContext } from './rule.js';
import { route } from './routing.js';

/** Nothing earlier answered: the conversation goes to the queue. The last rule; it always decides. */
export async function handoff(ctx: RuleContext): Promise<Decision> {
  return handToQueue(ctx);
}

/** Queues the conversation (with the team and priority routing chose) and tells the customer how many are ahead. */
export async function handToQueue(ctx: RuleContext): Promise<Decision> {
  const { r, now, locale } = ctx;
  const ahead = await r.conversations.countQueuedBefore(now);
  const { team, priority } = await route(ctx);
  const also = { team, priority, locale };
  ctx.conversation = await applyTransition(r, ctx.conversation, { type: 'handoff' }, { by: CUSTOMER, now, also });
  await enqueueReply(r, {
    conversation: ctx.conversation,
    author: 'bot',
    text: holdingReply(locale, ahead),
    now,
    recipient: ctx.recipient,
  });
  return { kind: 'queued' };
}
