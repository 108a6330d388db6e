/**
 * One contract for every channel, run against the real app and the channel's loopback peer
 * (as drizzle runs one `tests()` against every driver): what a customer sees must not depend
 * on where they write from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Running } from '../../src/main.js';
import { decodeLogged } from '../../src/domain/events.js';
import { handedOffQuestions } from '../../src/faq-learning/gaps.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import { api } from '../support/app.js';
import { eventually } from '../support/eventually.js';

/** One person writing on the channel; each test gets a new one so conversations stay apart. */
export interface ChannelCustomer {
  /** Sends a message as this customer; resolves with the external id the app stores it under. */
  says(text: string): Promise<string>;
  /** Delivers this customer's last message again under the same external id, as a platform retrying would. */
  redeliverLast(): Promise<void>;
  /** The texts this customer has received on the channel, oldest first. */
  received(): Promise<string[]>;
  /** The labels of the choices offered with the last message received, in order, as the channel shows them. */
  lastChoices(): Promise<string[]>;
  /**
   * Picks the offered choice with this label the channel's own way (a button; by email, a reply
   * with its number) and resolves once the platform has its acknowledgement, with the external id.
   */
  picks(label: string): Promise<string>;
}

export interface ChannelHarness {
  channel: ChannelId;
  /** The running app (a harness that restarts it puts the new one here). */
  app: Running;
  /** A new customer; `name` is the display name the channel shows, where it has one. */
  newCustomer(name?: string): Promise<ChannelCustomer>;
  close(): Promise<void>;
}

export interface ConversationView {
  conversation: { id: string; channel: string; status: string };
  messages: {
    direction: 'in' | 'out';
    author: string;
    text: string;
    externalId: string | null;
    delivery: string | null;
    deliveryError: string | null;
    choices: { id: string; label: string }[];
    isQuestion: boolean;
  }[];
}

export const WAIT_MS = 15_000;

export async function conversationIdOf(h: ChannelHarness, externalId: string): Promise<string> {
  const row = await eventually(
    () => h.app.store.tx((r) => r.messages.findByExternal(h.channel, externalId)),
    WAIT_MS,
    `${externalId} stored`,
  );
  return row.conversationId;
}

/** The conversation once `ready` holds for it; by default, once no reply is still waiting in the outbox. */
export function settled(
  h: ChannelHarness,
  token: string,
  id: string,
  ready: (view: ConversationView) => boolean = (view) => !view.messages.some((m) => m.delivery === 'pending'),
): Promise<ConversationView> {
  return eventually(
    async () => {
      const view = (await api(h.app, token, 'GET', `/api/conversations/${id}`)).body as ConversationView;
      return ready(view) ? view : undefined;
    },
    WAIT_MS,
    `conversation ${id} settled`,
  );
}

/** The texts the customer has received once there are at least `count`. */
export function replies(customer: ChannelCustomer, count: number): Promise<string[]> {
  return eventually(
    async () => {
      const texts = await customer.received();
      return texts.length >= count ? texts : undefined;
    },
    WAIT_MS,
    `${count} replies to the customer`,
  );
}

/** The FAQ events (picks) of a conversation, decoded. */
async function picksOf(h: ChannelHarness, conversationId: string) {
  const rows = await h.app.store.tx((r) => r.events.after(0, { conversationId, limit: 1000 }));
  return rows.map(decodeLogged).flatMap((e) => (e.type === 'faq_picked' ? [e.data] : []));
}

/**
 * `makeHarness` starts the app with the environment given (the contract's FAQ: the small test
 * knowledge base with two close gift-card entries, so "gift card" is deterministically unsure).
 */
export function channelContract(name: string, makeHarness: (env: Record<string, string>) => Promise<ChannelHarness>): void {
  describe(`${name}: the channel contract`, () => {
    let h: ChannelHarness;
    let agent: { token: string };

    beforeAll(async () => {
      h = await makeHarness({ FAQ_DIR: writeKb(closeEntriesKb) });
      agent = await h.app.createAgent('Contract Agent');
    });
    afterAll(async () => {
      await h?.close();
    });

    it('answers an FAQ question from the FAQ, once', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('How do I return an item?');
      const [answer] = await replies(customer, 1);
      expect(answer).toContain('30 days');

      const view = await settled(h, agent.token, await conversationIdOf(h, id));
      expect(view.conversation).toMatchObject({ channel: h.channel, status: 'bot' });
      expect(view.messages.map((m) => [m.author, m.delivery])).toEqual([
        ['customer', null],
        ['bot', 'sent'],
      ]);
      expect(await customer.received()).toEqual([answer]);
    });

    it('queues an unknown question with a holding reply, and brings the agent reply back on the channel', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('My toaster sings opera at night, is that covered?');
      const [holding] = await replies(customer, 1);
      expect(holding).toMatch(/person will reply/i);

      const conversationId = await conversationIdOf(h, id);
      const queued = await api(h.app, agent.token, 'GET', '/api/conversations?status=queued');
      expect((queued.body.items as { id: string }[]).map((c) => c.id)).toContain(conversationId);

      expect((await api(h.app, agent.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);
      const text = 'Singing toasters are covered for two years; we will send you a quieter one.';
      expect((await api(h.app, agent.token, 'POST', `/api/conversations/${conversationId}/messages`, { text })).status).toBe(201);
      expect(await replies(customer, 2)).toEqual([holding, text]);

      const view = await settled(h, agent.token, conversationId);
      expect(view.conversation.status).toBe('assigned');
      expect(view.messages.map((m) => [m.author, m.delivery])).toEqual([
        ['customer', null],
        ['bot', 'sent'],
        ['agent', 'sent'],
      ]);
    });

    it('stores a redelivered message once and answers it once', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('How do I return an item?');
      await replies(customer, 1);
      await customer.redeliverLast();
      // The channel handles one customer's messages in order: once this is answered, the redelivery has been dealt with.
      await customer.says('How long does shipping take?');
      await replies(customer, 2);

      const view = await settled(h, agent.token, await conversationIdOf(h, id));
      expect(view.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(view.messages.filter((m) => m.externalId === id)).toHaveLength(1);
      expect(await customer.received()).toHaveLength(2);
    });

    it('asks back when unsure: a picked entry is answered at once and recorded, and the agent sees what was offered', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('gift card');
      const [offer] = await replies(customer, 1);
      expect(offer).toMatch(/pick one/i);
      const labels = await customer.lastChoices();
      expect([...labels].sort()).toEqual(['Does my gift card expire?', 'How do I check my gift card balance?', 'Talk to a person'].sort());
      expect(labels.at(-1)).toBe('Talk to a person');

      await customer.picks('Does my gift card expire?');
      const [, answer] = await replies(customer, 2);
      expect(answer).toContain('Gift cards never expire.');
      expect(await customer.lastChoices()).toEqual([]);

      const conversationId = await conversationIdOf(h, id);
      const view = await settled(h, agent.token, conversationId);
      expect(view.conversation.status).toBe('bot');
      expect(view.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(view.messages[1]!.choices.map((c) => c.label)).toEqual(labels);
      expect(await picksOf(h, conversationId)).toEqual([{ entryId: 'gift-card-expiry', locale: 'en', question: 'gift card' }]);
    });

    it('asks back when unsure: "talk to a person" hands off with the holding reply', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('my gift card');
      await replies(customer, 1);
      expect(await customer.lastChoices()).toContain('Talk to a person');
      await customer.picks('Talk to a person');
      const [, holding] = await replies(customer, 2);
      expect(holding).toMatch(/person will reply/i);
      const conversationId = await conversationIdOf(h, id);
      const view = await settled(h, agent.token, conversationId);
      expect(view.conversation.status).toBe('queued');
      expect(await picksOf(h, conversationId)).toEqual([]);
      // The question is what the customer asked, not the pick that followed the offer: for the agent and the gaps report.
      expect(view.messages.filter((m) => m.author === 'customer').map((m) => m.isQuestion)).toEqual([true, false]);
      const gaps = (await handedOffQuestions(h.app.store, 0)).filter((q) => q.conversationId === conversationId);
      expect(gaps.map((q) => q.text)).toEqual(['my gift card']);
    });

    it('hands off on "人工" with the Chinese holding reply', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('人工');
      const [holding] = await replies(customer, 1);
      expect(holding).toContain('人工客服');
      const view = await settled(h, agent.token, await conversationIdOf(h, id));
      expect(view.conversation.status).toBe('queued');
      expect(await customer.received()).toEqual([holding]);
    });
  });
}
