import type { Store } from '../../src/store/store.js';
import type { Repos } from '../../src/store/ports.js';
import type { ConversationRow } from '../../src/store/ports.js';
import { CUSTOMER, type DomainEvent } from '../../src/domain/events.js';
import { newId } from '../../src/domain/ids.js';
import { applyTransition, openConversation } from '../../src/lifecycle/apply.js';
import { enqueueReply } from '../../src/outbox/enqueue.js';
import { recordCsat } from '../../src/pipeline/csat.js';
import { seededRandom } from '../../src/faq/seeded-random.js';

export const CHANNELS = ['webchat', 'telegram', 'email', 'discord'] as const;
export const TEAMS = ['billing', 'tech', 'sales'] as const;
const MINUTE = 60_000;

/** What the generator did to one conversation, beside the events it wrote: who wrote each agent reply, and the team over time. */
export interface GeneratedConversation {
  id: string;
  channel: string;
  /** Team from each time on (the first entry is the opening). */
  teams: { at: number; team: string | null }[];
  agentReplies: Map<string, string>;
}

/**
 * Conversations opened over `days` days from `start`, driven through the code production runs
 * (lifecycle writer, reply enqueue, CSAT): bot-only ones, hand-offs answered or not, transfers
 * between agents and teams, resolutions, reopenings, ratings, and — by type name — SLA breaches.
 */
export async function generateConversations(
  store: Store,
  opts: { start: number; days: number; count: number; seed: number; agents: string[] },
): Promise<GeneratedConversation[]> {
  const random = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: GeneratedConversation[] = [];
  for (let i = 0; i < opts.count; i++) {
    let now = opts.start + Math.floor(random() * opts.days * 24 * 60) * MINUTE;
    const step = (maxMinutes: number) => (now += (1 + Math.floor(random() * maxMinutes)) * MINUTE);
    const channel = pick(CHANNELS);
    const gen: GeneratedConversation = { id: '', channel, teams: [], agentReplies: new Map() };
    await store.tx(async (r) => {
      let c = await seed(r, channel, random() < 0.2 ? pick(TEAMS) : null, now);
      gen.id = c.id;
      gen.teams.push({ at: now, team: c.team });
      const customerSays = () =>
        r.events.append(c.id, { type: 'message', data: { messageId: newId(now), direction: 'in', author: 'customer' } }, now);
      const bot = () => enqueueReply(r, { conversation: c, author: 'bot', text: 'From the FAQ…', now });
      const agentReply = async (agentId: string) => {
        const m = await enqueueReply(r, { conversation: c, author: 'agent', agentId, text: 'Hello, this is support.', now });
        gen.agentReplies.set(m.id, agentId);
      };
      const transition = async (e: Parameters<typeof applyTransition>[2], by: string, team?: string | null) => {
        c = await applyTransition(r, c, e, { by, now, ...(team !== undefined ? { also: { team } } : {}) });
        // A transfer to the agent who holds it already changes nothing, its team included.
        if (c.team !== gen.teams.at(-1)!.team) gen.teams.push({ at: now, team: c.team });
      };

      await customerSays();
      step(2);
      await bot();
      const kind = random();
      if (kind < 0.35) {
        // The bot's alone; sometimes an agent tidies it up by resolving it.
        if (random() < 0.2) {
          step(60);
          await transition({ type: 'resolve' }, pick(opts.agents));
        }
        return;
      }
      step(5);
      await customerSays();
      await transition({ type: 'handoff' }, CUSTOMER, pick(TEAMS));
      step(3);
      await bot(); // "someone will be with you": never a first response
      if (kind < 0.45) return; // still waiting
      step(90);
      let agent = pick(opts.agents);
      await transition({ type: 'claim', agentId: agent }, agent);
      if (random() < 0.25) {
        // Passed on before anyone answered: to another agent, often of another team.
        step(20);
        agent = pick(opts.agents);
        await transition({ type: 'transfer', agentId: agent }, agent, random() < 0.6 ? pick(TEAMS) : undefined);
      }
      step(30);
      await agentReply(agent);
      if (random() < 0.2) {
        // Moved after the first reply: the conversation stays counted where it was answered.
        step(10);
        const other = pick(opts.agents);
        await transition({ type: 'transfer', agentId: other }, agent, pick(TEAMS));
        agent = other;
        step(10);
        await agentReply(agent);
      }
      if (random() < 0.1) {
        step(30);
        await r.events.append(c.id, slaBreached(), now);
      }
      if (random() < 0.15) return; // answered, not resolved yet
      step(240);
      await transition({ type: 'resolve' }, agent);
      if (random() < 0.15) {
        step(600);
        await customerSays();
        await transition({ type: 'reopen', agentId: agent }, CUSTOMER);
        if (random() < 0.5) return; // reopened and open still
        step(60);
        await agentReply(agent);
        step(30);
        await transition({ type: 'resolve' }, agent);
      }
      if (random() < 0.6) {
        step(30);
        c = await recordCsat(r, c, 1 + Math.floor(random() * 5), now);
      }
    });
    out.push(gen);
  }
  return out;
}

/** The event the SLA timer (src/sla/breaches.ts) records when a conversation misses a target. */
export function slaBreached(at = 0): DomainEvent {
  return { type: 'sla.breached', data: { target: 'first_response', dueAt: at, startedAt: at, priority: 'normal' } };
}

async function seed(r: Repos, channel: string, team: string | null, now: number): Promise<ConversationRow> {
  const customerId = newId(now);
  const threadKey = newId(now);
  await r.customers.insert({
    id: customerId,
    displayName: 'Cai',
    email: null,
    locale: null,
    createdAt: now,
    erasedAt: null,
    tier: 'standard',
    notes: null,
    mergedInto: null,
  });
  await r.customers.insertIdentity({
    id: newId(now),
    customerId,
    channel,
    channelUserId: threadKey,
    displayName: null,
    username: null,
    createdAt: now,
  });
  return openConversation(
    r,
    { id: newId(now), customerId, channel, threadKey, team, priority: 'normal', locale: 'en', subject: null, lastMessageAt: now },
    { by: CUSTOMER, now },
  );
}
