import type { InboundMessage } from '../../domain/channel.js';
import type { FaqMatcher } from '../../faq/matcher.js';
import type { Repos } from '../../store/store.js';
import type { ConversationRow } from '../../store/ports.js';
import type { ReplyRecipient } from '../../outbox/enqueue.js';
import type { SlaSettings } from '../../sla/settings.js';
import type { AiPlan } from '../../ai-agent/plan.js';

/** What one inbound message is, as the rules see it: stored (or not), in its conversation, inside the ingest transaction. */
export interface RuleContext {
  r: Repos;
  faq: () => FaqMatcher;
  message: InboundMessage;
  /** False when another delivery stored this message first. */
  stored: boolean;
  conversation: ConversationRow;
  /** The message reopened a resolved conversation. */
  reopened: boolean;
  /** The language the bot answers in. */
  locale: 'en' | 'zh';
  now: number;
  /** The team the FAQ's topic named (earlier rules set it); the hand-off's routing (routing.ts) starts from it. */
  team?: string;
  /** Each channel's default team, by id or name (DEFAULT_TEAMS). */
  defaultTeams?: Readonly<Record<string, string>>;
  /** Whom a bot reply goes to, as ingest read it (so the reply need not read it again); absent when the message was not stored. */
  recipient?: ReplyRecipient;
  /** The SLA settings of the environment (an admin's saved ones win); absent: around the clock in UTC. */
  sla?: SlaSettings;
  /** The customer's IANA time zone, when their channel reports it; times are told in it. */
  customerTimeZone?: string;
  /** What the model said before the transaction (AI agent mode, the uncertain band; src/ai-agent/plan.ts). */
  ai?: AiPlan;
}

/**
 * What became of the message: a re-delivery that must change nothing, the bot stayed quiet, the
 * bot replied, or it waits for a person (agents get a fresh draft).
 */
export type Decision = { kind: 'duplicate' } | { kind: 'quiet' } | { kind: 'replied' } | { kind: 'queued' };

/** Decides, or returns undefined to let the next rule look (grammY's Composer passing to `next`). */
export type Rule = (ctx: RuleContext) => Promise<Decision | undefined>;

/** Runs `rules` in order; the first decision wins. The last rule must always decide. */
export async function decide(rules: readonly Rule[], ctx: RuleContext): Promise<Decision & { rule: string }> {
  for (const rule of rules) {
    const decision = await rule(ctx);
    if (decision) return { ...decision, rule: rule.name };
  }
  throw new Error(`no rule decided on message ${ctx.message.externalMessageId}`);
}
