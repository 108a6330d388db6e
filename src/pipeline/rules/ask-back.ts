import { z } from 'zod';
import type { Choice, InboundMessage } from '../../domain/channel.js';
import { botMaySpeak } from '../../domain/conversation.js';
import { enqueueReply } from '../../outbox/enqueue.js';
import { digitOf } from '../asked-question.js';
import { choicesPrompt, personChoiceLabel, type Locale } from '../replies.js';
import { answerIfSure } from './faq-answer.js';
import { handToQueue } from './handoff.js';
import type { Decision, RuleContext } from './rule.js';
import { addPickSuggestion } from '../../faq-learning/suggestions.js';

/** The choice id of "talk to a person"; FAQ entries are `faq:<entryId>`. */
export const PERSON_CHOICE = 'person';
const ENTRY_PREFIX = 'faq:';
/** How far back a button pick may reach for the offer it came from (its buttons stay on screen). */
const OFFER_LOOKBACK = 20;

/** What the bot offered, as remembered in the outbound message's meta. */
const offerMeta = z.object({
  offer: z.object({ question: z.string(), locale: z.enum(['en', 'zh']) }),
  choices: z.array(z.object({ id: z.string(), label: z.string() })).min(1),
});
type Offer = z.infer<typeof offerMeta>;

/**
 * Between "sure" and "no idea": the FAQ's closest entries are offered as choices plus "talk to a
 * person", and the customer's pick (a button, or a digit by email) is answered at once. Text
 * that is not a pick is a fresh question.
 */
export async function askBack(ctx: RuleContext): Promise<Decision | undefined> {
  if (!botMaySpeak(ctx.conversation.status)) return undefined;
  if (mayBePick(ctx.message)) {
    const picked = await findPick(ctx);
    if (picked) return answerPick(ctx, picked.offer, picked.choice);
    // Not a pick after all (a stale button, a digit with no list): read it as a question.
    const answered = await answerIfSure(ctx);
    if (answered) return answered;
  }
  return offerChoices(ctx);
}

/**
 * A button pick, or a bare digit by email (full-width too): such messages are this rule's,
 * so the plain FAQ answer (faq-answer.ts) leaves them alone.
 */
export function mayBePick(m: InboundMessage): boolean {
  return m.choiceId !== undefined || (m.channel === 'email' && digitOf(m.text) !== undefined);
}

/** The one place a customer's pick is written down (picks become FAQ suggestions from here). */
export async function recordPick(ctx: RuleContext, pick: { entryId: string; locale: string; question: string }): Promise<void> {
  await ctx.r.events.append(ctx.conversation.id, { type: 'faq_picked', data: pick }, ctx.now);
  await addPickSuggestion(ctx.r, { conversationId: ctx.conversation.id, ...pick, at: ctx.now });
}

async function offerChoices(ctx: RuleContext): Promise<Decision | undefined> {
  // The text is then the channel's description of what it could not read (an email without text), not a question.
  const problems = ctx.message.raw?.problems;
  if (Array.isArray(problems) && problems.length > 0) return undefined;
  const faq = ctx.faq();
  const result = faq.match(ctx.message.text, { locale: ctx.locale });
  const entries = (result.suggestions ?? []).flatMap((id) => {
    const e = faq.entry(id, result.locale);
    return e && e.locale === result.locale && e.questions[0] ? [e] : [];
  });
  if (entries.length === 0) return undefined;
  const locale: Locale = result.locale === 'zh' ? 'zh' : 'en';
  // The model picked one of these entries before the transaction (src/ai-agent/plan.ts): its own answer, never model text.
  const picked =
    ctx.ai?.kind === 'pick' && ctx.ai.entryId ? entries.find((e) => e.id === (ctx.ai as { entryId: string }).entryId) : undefined;
  if (picked) {
    if (picked.team) ctx.team = picked.team;
    const meta = { selected: { entryId: picked.id, by: 'llm' } };
    await enqueueReply(ctx.r, {
      conversation: ctx.conversation,
      author: 'bot',
      text: picked.answer,
      now: ctx.now,
      meta,
      recipient: ctx.recipient,
    });
    return { kind: 'replied' };
  }
  const choices: Choice[] = [
    ...entries.map((e) => ({ id: ENTRY_PREFIX + e.id, label: e.questions[0]! })),
    { id: PERSON_CHOICE, label: personChoiceLabel(locale) },
  ];
  const offer: Offer['offer'] = { question: ctx.message.text, locale };
  await enqueueReply(ctx.r, {
    conversation: ctx.conversation,
    author: 'bot',
    text: choicesPrompt(locale),
    now: ctx.now,
    choices,
    meta: { offer },
    recipient: ctx.recipient,
  });
  return { kind: 'replied' };
}

/** The offer this message picks from: by choice id among recent offers, or by digit from the last reply if it was one. */
async function findPick(ctx: RuleContext): Promise<{ offer: Offer; choice: Choice } | undefined> {
  const recent = await ctx.r.messages.recent(ctx.conversation.id, OFFER_LOOKBACK);
  const sent = recent.filter((m) => m.direction === 'out').reverse();
  const { choiceId } = ctx.message;
  if (choiceId !== undefined) {
    for (const m of sent) {
      const offer = readOffer(m.meta);
      const choice = offer?.choices.find((c) => c.id === choiceId);
      if (offer && choice) return { offer, choice };
    }
    return undefined;
  }
  const offer = readOffer(sent[0]?.meta ?? null);
  const n = digitOf(ctx.message.text);
  const choice = n === undefined ? undefined : offer?.choices[n - 1];
  return offer && choice ? { offer, choice } : undefined;
}

function readOffer(meta: string | null): Offer | undefined {
  if (!meta) return undefined;
  const parsed = offerMeta.safeParse(JSON.parse(meta));
  return parsed.success ? parsed.data : undefined;
}

async function answerPick(ctx: RuleContext, offer: Offer, choice: Choice): Promise<Decision> {
  const { locale, question } = offer.offer;
  ctx.locale = locale;
  if (choice.id === PERSON_CHOICE || !choice.id.startsWith(ENTRY_PREFIX)) return handToQueue(ctx);
  const entryId = choice.id.slice(ENTRY_PREFIX.length);
  const entry = ctx.faq().entry(entryId, locale);
  // The entry went away since it was offered: a person answers instead.
  if (!entry) return handToQueue(ctx);
  if (entry.team) ctx.team = entry.team;
  await enqueueReply(ctx.r, { conversation: ctx.conversation, author: 'bot', text: entry.answer, now: ctx.now, recipient: ctx.recipient });
  await recordPick(ctx, { entryId, locale, question });
  return { kind: 'replied' };
}
