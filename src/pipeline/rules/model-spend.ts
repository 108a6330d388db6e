import { newId } from '../../domain/ids.js';
import { DRAFT_DEFAULTS_ROW } from '../drafting.js';
import type { RuleContext } from './rule.js';

/**
 * Never decides. The tokens of the model call made before this transaction (AI agent mode, the
 * answer selector: src/ai-agent/plan.ts) are kept as a row beside the drafts whichever rule
 * decides, so LLM_MONTHLY_BUDGET and the LLM report count them. In the message's own transaction:
 * a re-delivery that is rolled back leaves no second row, and
 * the call's budget reservation is deleted in the same transaction.
 */
export async function modelSpend(ctx: RuleContext): Promise<undefined> {
  const spent = ctx.ai?.spent;
  if (!spent || !ctx.stored) return undefined;
  await ctx.r.drafts.insert({
    ...DRAFT_DEFAULTS_ROW,
    id: newId(ctx.now),
    conversationId: ctx.conversation.id,
    messageId: ctx.recipient?.lastIn.id ?? '',
    text: '',
    kind: spent.kind,
    model: spent.model,
    createdAt: ctx.now,
    ...spent.usage,
  });
  // The tokens recorded and the call's reservation gone in one commit (src/pipeline/drafting.ts).
  await ctx.ai?.held?.settleIn(ctx.r);
  return undefined;
}
