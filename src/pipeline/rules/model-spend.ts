import { newId } from '../../domain/ids.js';
import type { Repos } from '../../store/store.js';
import type { AiPlan } from '../../ai-agent/plan.js';
import { DRAFT_DEFAULTS_ROW } from '../drafting.js';
import type { RuleContext } from './rule.js';

/**
 * Never decides. The tokens of the model call made before this transaction (AI agent mode, the
 * answer selector: src/ai-agent/plan.ts) are kept as a row beside the drafts whichever rule
 * decides, so LLM_MONTHLY_BUDGET and the LLM report count them. In the message's own transaction:
 * a re-delivery that is rolled back leaves no second row (ingest.ts records that call's tokens
 * against the first delivery instead), and the call's budget reservation is deleted in the same transaction.
 */
export async function modelSpend(ctx: RuleContext): Promise<undefined> {
  if (!ctx.ai?.spent || !ctx.stored) return undefined;
  await recordModelSpend(ctx.r, ctx.ai, { conversationId: ctx.conversation.id, messageId: ctx.recipient?.lastIn.id ?? '', now: ctx.now });
  return undefined;
}

/** The plan's tokens as a row of the message they were spent on, and its reservation gone, in the transaction `r`. */
export async function recordModelSpend(
  r: Repos,
  plan: AiPlan,
  at: { conversationId: string; messageId: string; now: number },
): Promise<void> {
  const spent = plan.spent;
  if (!spent) return;
  await r.drafts.insert({
    ...DRAFT_DEFAULTS_ROW,
    id: newId(at.now),
    conversationId: at.conversationId,
    messageId: at.messageId,
    text: '',
    kind: spent.kind,
    model: spent.model,
    createdAt: at.now,
    ...spent.usage,
  });
  // The tokens recorded and the call's reservation gone in one commit (src/pipeline/drafting.ts).
  await plan.held?.settleIn(r);
}
