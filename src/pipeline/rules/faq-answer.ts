import { botMaySpeak } from '../../domain/conversation.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { mayBePick } from './ask-back.js';
import type { Decision, RuleContext } from './rule.js';

/**
 * The FAQ answers when it is confident and the entry is not one that asks for a person. When it
 * does not, its topic's team (if any) is kept for the hand-off that follows. A pick from offered
 * choices is left to askBack (ask-back.ts), which records it.
 */
export async function faqAnswer(ctx: RuleContext): Promise<Decision | undefined> {
  if (mayBePick(ctx.message)) return undefined;
  return answerIfSure(ctx);
}

/** The plain FAQ answer, for any message. */
export async function answerIfSure(ctx: RuleContext): Promise<Decision | undefined> {
  if (!botMaySpeak(ctx.conversation.status)) return undefined;
  const faq = ctx.faq();
  const result = faq.match(ctx.message.text, { locale: ctx.locale });
  const handoffEntry = result.entryId ? faq.entry(result.entryId, result.locale)?.tags.includes('handoff') : false;
  if (result.answered && result.answer && !handoffEntry) {
    await enqueueReply(ctx.r, {
      conversation: ctx.conversation,
      author: 'bot',
      text: result.answer,
      now: ctx.now,
      recipient: ctx.recipient,
    });
    return { kind: 'replied' };
  }
  if (result.team) ctx.team = result.team;
  return undefined;
}
