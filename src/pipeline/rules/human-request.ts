import { botMaySpeak } from '../../domain/conversation.js';
import { asksForHuman } from '../intent.js';
import { handToQueue } from './handoff.js';
import type { Decision, RuleContext } from './rule.js';

/** "human", "人工", /human: straight to the queue, even for a question the FAQ knows. */
export async function humanRequest(ctx: RuleContext): Promise<Decision | undefined> {
  if (!botMaySpeak(ctx.conversation.status) || !asksForHuman(ctx.message.text)) return undefined;
  return handToQueue(ctx);
}
