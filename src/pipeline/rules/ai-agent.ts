import { botMaySpeak } from '../../domain/conversation.js';
import { COMPLAINT_LABEL } from '../../domain/labels.js';
import { decodeEvent } from '../../domain/events.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { coversConversation, readAiAgentSettings } from '../../ai-agent/settings.js';
import type { DeclineReason } from '../../ai-agent/plan.js';
import { mayBePick } from './ask-back.js';
import { handToQueue } from './handoff.js';
import { route } from './routing.js';
import type { Decision, RuleContext } from './rule.js';

/**
 * AI agent mode (src/ai-agent/): the model's answer, asked for before this transaction, is sent
 * only if every guardrail holds against the conversation as it is now — decided here in code,
 * never by the model's words. Every decision leaves an `ai_agent` event saying why. A decline
 * lets the rules go on as without the mode (ask back when unsure, else hand off); past the
 * per-conversation cap, the conversation goes to a person.
 */
export async function aiAgent(ctx: RuleContext): Promise<Decision | undefined> {
  const plan = ctx.ai;
  if (plan?.kind !== 'agent' || !botMaySpeak(ctx.conversation.status) || mayBePick(ctx.message)) return undefined;
  const { settings } = await readAiAgentSettings(ctx.r);
  const { team } = await route(ctx);
  // Turned off (or not for this team) since the model was asked: as if it never was.
  if (!coversConversation(settings, ctx.message.channel, team)) return undefined;
  const messageId = ctx.recipient?.lastIn.id ?? null;
  const decline = async (reason: DeclineReason, detail?: string) => {
    await ctx.r.events.append(
      ctx.conversation.id,
      { type: 'ai_agent', data: { decision: 'declined', reason, messageId, ...(detail ? { detail: detail.slice(0, 300) } : {}) } },
      ctx.now,
    );
    return reason === 'cap' ? handToQueue(ctx) : undefined;
  };
  const c = ctx.conversation;
  const labels = (await ctx.r.labels.of([c.id])).get(c.id) ?? [];
  if (labels.includes(COMPLAINT_LABEL)) return decline('complaint');
  const customer = await ctx.r.customers.get(c.customerId);
  if (customer?.tier === 'vip') return decline('vip');
  if (c.priority === 'high' || c.priority === 'urgent') return decline('high_priority');
  if (plan.declined) return decline(plan.declined, plan.detail);
  if (!plan.answer) return undefined;
  if ((await answeredCount(ctx)) >= settings.maxAnswersPerConversation) return decline('cap');
  const a = plan.answer;
  const reply = await enqueueReply(ctx.r, {
    conversation: c,
    author: 'bot',
    text: a.text,
    now: ctx.now,
    meta: { automatic: true, aiAgent: { entryIds: a.entryIds, model: a.model } },
    recipient: ctx.recipient,
  });
  await ctx.r.events.append(
    c.id,
    {
      type: 'ai_agent',
      data: {
        decision: 'answered',
        reason: 'answered',
        messageId,
        replyId: reply.id,
        entryIds: a.entryIds,
        model: a.model,
        inputTokens: a.inputTokens,
        outputTokens: a.outputTokens,
      },
    },
    ctx.now,
  );
  return { kind: 'replied' };
}

/** Automatic answers this conversation already had (the cap counts them, across reopenings). */
async function answeredCount(ctx: RuleContext): Promise<number> {
  let n = 0;
  for (let seq = 0; ;) {
    const rows = await ctx.r.events.after(seq, { conversationId: ctx.conversation.id, limit: 1000 });
    for (const row of rows) {
      if (row.type !== 'ai_agent') continue;
      const e = decodeEvent(row);
      if (e.type === 'ai_agent' && e.data.decision === 'answered') n++;
    }
    if (rows.length < 1000) return n;
    seq = Number(rows.at(-1)!.seq);
  }
}
