import { botMaySpeak } from '../../domain/conversation.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { holdingReply } from '../replies.js';
import { teamHours } from '../team-hours.js';
import type { Decision, RuleContext } from './rule.js';

/**
 * A person or the queue owns the conversation: the bot stays quiet, except telling a customer whose
 * resolved conversation went back to the queue that a person will pick it up (and, as on hand-off, when
 * out of hours, when the team is back). A queued conversation
 * gets a fresh draft for the new message.
 */
export async function assigned(ctx: RuleContext): Promise<Decision | undefined> {
  const c = ctx.conversation;
  if (botMaySpeak(c.status)) return undefined;
  if (c.status !== 'queued') return { kind: 'quiet' };
  if (ctx.reopened) {
    const ahead = await ctx.r.conversations.countQueuedBefore(ctx.now);
    await enqueueReply(ctx.r, {
      conversation: c,
      author: 'bot',
      text: holdingReply(ctx.locale, ahead, await teamHours(ctx)),
      now: ctx.now,
      recipient: ctx.recipient,
    });
  }
  return { kind: 'queued' };
}
