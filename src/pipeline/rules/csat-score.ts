import { pendingCsatScore, recordCsat } from '../csat.js';
import type { Decision, RuleContext } from './rule.js';

/** A bare 1–5 (or stars) to a resolved, unrated conversation is its rating: recorded, thanked, closed. */
export async function csatScore(ctx: RuleContext): Promise<Decision | undefined> {
  const score = pendingCsatScore(ctx.conversation, ctx.message.text, ctx.message.choiceId);
  if (score === undefined) return undefined;
  ctx.conversation = await recordCsat(ctx.r, ctx.conversation, score, ctx.now);
  return { kind: 'replied' };
}
