/**
 * One load suite for every channel, run against the real app and the channel's peer: many
 * customers writing at once, every message stored once, every answer sent once, and each
 * customer's answers in the order of their questions. Prints throughput.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { ChannelCustomer, ChannelHarness } from './contract.js';

const QUESTIONS = [
  'How do I return an item?',
  'How long does shipping take?',
  'What payment methods do you accept?',
  'What are your opening hours?',
  'How do I cancel my order?',
  'I forgot my password',
  'Do you sell gift cards?',
  'Do your products have a warranty?',
  'How do I know which size to order?',
  'Can I get an invoice?',
];

export interface LoadHarness extends ChannelHarness {
  /** Whether the platform has had every inbound message acknowledged, where it tracks that (Telegram's pending updates). */
  acknowledgedAll?(): boolean;
}

export function channelLoad(name: string, makeHarness: () => Promise<LoadHarness>, size: { customers: number; perCustomer: number }): void {
  const { customers, perCustomer } = size;
  const total = customers * perCustomer;

  describe(`${name} under load (SQLite)`, () => {
    let h: LoadHarness;

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it(`stores ${total} messages from ${customers} customers once, answers each once, in order per customer`, async () => {
      // Learn each question's answer from one customer first, so the check below needs no hard-coded text.
      const probe = await h.newCustomer('Probe');
      for (const q of QUESTIONS) await probe.says(q);
      const probeAnswers = await eventually(
        async () => {
          const texts = await probe.received();
          return texts.length === QUESTIONS.length ? texts : undefined;
        },
        20_000,
        'probe answers',
      );
      const answerOf = new Map(QUESTIONS.map((q, i) => [q, probeAnswers[i]!]));
      expect(new Set(answerOf.values()).size).toBe(QUESTIONS.length);

      const users: { name: string; customer: ChannelCustomer; asked: string[] }[] = [];
      for (let i = 0; i < customers; i++) users.push({ name: `Load ${i}`, customer: await h.newCustomer(`Load ${i}`), asked: [] });
      const started = performance.now();
      for (let round = 0; round < perCustomer; round++) {
        for (const [i, user] of users.entries()) {
          const q = QUESTIONS[(i + round) % QUESTIONS.length]!;
          user.asked.push(q);
          await user.customer.says(q);
        }
      }
      let acknowledged = '';
      if (h.acknowledgedAll) {
        await eventually(() => h.acknowledgedAll!(), 60_000, 'all messages acknowledged');
        const storedMs = performance.now() - started;
        acknowledged = `all stored and acknowledged in ${storedMs.toFixed(0)} ms (${((total / storedMs) * 1000).toFixed(0)} msgs/s in), `;
      }
      const received = await eventually(
        async () => {
          const all = await Promise.all(users.map((u) => u.customer.received()));
          return all.reduce((n, texts) => n + texts.length, 0) >= total ? all : undefined;
        },
        60_000,
        'all answers sent',
      );
      const repliedMs = performance.now() - started;
      console.log(
        `[${h.channel} load] ${total} messages from ${customers} customers: ${acknowledged}` +
          `all answered in ${repliedMs.toFixed(0)} ms (${((total / repliedMs) * 1000).toFixed(0)} msgs/s end to end)`,
      );

      for (const [i, user] of users.entries()) expect(received[i]).toEqual(user.asked.map((q) => answerOf.get(q)));

      const agent = await h.app.createAgent('Load Checker');
      // One page holds them all (at most 200 customers per load run).
      const list = await api(h.app, agent.token, 'GET', '/api/conversations?limit=200');
      const convs = (list.body.items as { id: string; customer: { displayName: string } }[]).filter((c) =>
        c.customer.displayName.startsWith('Load '),
      );
      expect(convs).toHaveLength(customers);
      for (const conv of convs) {
        const user = users.find((u) => u.name === conv.customer.displayName)!;
        const detail = await eventually(
          async () => {
            const d = await api(h.app, agent.token, 'GET', `/api/conversations/${conv.id}`);
            const msgs = d.body.messages as { direction: string; text: string; delivery: string | null }[];
            return msgs.filter((m) => m.direction === 'out').every((m) => m.delivery === 'sent') ? msgs : undefined;
          },
          10_000,
          'deliveries recorded',
        );
        expect(detail.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(user.asked);
        expect(detail.filter((m) => m.direction === 'out')).toHaveLength(perCustomer);
      }
    }, 120_000);
  });
}
