import { botMaySpeak } from '../../domain/conversation.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { isStartCommand } from '../intent.js';
import { greeting } from '../replies.js';
import type { Decision, RuleContext } from './rule.js';

/** Telegram's /start: a greeting, not a question for the FAQ. */
export async function startCommand(ctx: RuleContext): Promise<Decision | undefined> {
  if (!botMaySpeak(ctx.conversation.status) || !isStartCommand(ctx.message.text)) return undefined;
  await enqueueReply(ctx.r, {
    conversation: ctx.conversation,
    author: 'bot',
    text: greeting(ctx.locale),
    now: ctx.now,
    recipient: ctx.recipient,
  });
  return { kind: 'replied' };
}
