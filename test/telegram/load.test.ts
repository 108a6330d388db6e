import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';

const CHATS = 100;
const PER_CHAT = 10;
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

/**
 * 1,000 updates from 100 chats through the running app: every message stored once, every
 * answer sent once, and each chat's answers in the order of its questions. Prints throughput.
 */
describe('Telegram under load (long polling, SQLite)', () => {
  let fake: FakeTelegramBotApi;
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    fake = await FakeTelegramBotApi.start();
    dir = await tempDir();
    app = await startApp({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }, dir.path);
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await dir?.rm();
  });

  it('stores 1,000 updates from 100 chats once, answers each once, in order per chat', async () => {
    // Learn each question's answer from one chat first, so the check below needs no hard-coded text.
    const probe = { id: 9_000, first_name: 'Probe' };
    for (const q of QUESTIONS) fake.pushMessage(probe, { text: q });
    await fake.waitFor(() => fake.sentTo(probe.id).length === QUESTIONS.length, 20_000, 'probe answers');
    const answerOf = new Map(QUESTIONS.map((q, i) => [q, fake.sentTo(probe.id)[i]!.text]));
    expect(new Set(answerOf.values()).size).toBe(QUESTIONS.length);

    const users = Array.from({ length: CHATS }, (_, i) => ({ id: 10_000 + i, first_name: `Load ${i}`, language_code: 'en' }));
    const asked = new Map<number, string[]>();
    const started = performance.now();
    for (let round = 0; round < PER_CHAT; round++) {
      for (const [i, user] of users.entries()) {
        const q = QUESTIONS[(i + round) % QUESTIONS.length]!;
        asked.set(user.id, [...(asked.get(user.id) ?? []), q]);
        fake.pushMessage(user, { text: q });
      }
    }
    const total = CHATS * PER_CHAT;
    const answered = () => users.reduce((n, u) => n + fake.sentTo(u.id).length, 0);
    await fake.waitFor(() => fake.pendingCount === 0, 60_000, 'all updates acknowledged');
    const storedMs = performance.now() - started;
    await fake.waitFor(() => answered() >= total, 60_000, 'all answers sent');
    const repliedMs = performance.now() - started;

    console.log(
      `[telegram load] ${total} updates from ${CHATS} chats: all stored and acknowledged in ${storedMs.toFixed(0)} ms ` +
        `(${((total / storedMs) * 1000).toFixed(0)} msgs/s in), all answered in ${repliedMs.toFixed(0)} ms ` +
        `(${((total / repliedMs) * 1000).toFixed(0)} msgs/s end to end)`,
    );

    for (const user of users) {
      expect(fake.sentTo(user.id).map((s) => s.text)).toEqual(asked.get(user.id)!.map((q) => answerOf.get(q)));
    }

    const agent = await app.createAgent('Load Checker');
    const list = await api(app, agent.token, 'GET', '/api/conversations');
    const convs = (list.body.items as { id: string; channel: string; customer: { displayName: string } }[]).filter((c) => c.customer.displayName.startsWith('Load '));
    expect(convs).toHaveLength(CHATS);
    for (const conv of convs) {
      const user = users.find((u) => u.first_name === conv.customer.displayName)!;
      const detail = await eventually(async () => {
        const d = await api(app, agent.token, 'GET', `/api/conversations/${conv.id}`);
        const msgs = d.body.messages as { direction: string; text: string; delivery: string | null }[];
        return msgs.filter((m) => m.direction === 'out').every((m) => m.delivery === 'sent') ? msgs : undefined;
      }, 10_000, 'deliveries recorded');
      expect(detail.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(asked.get(user.id));
      expect(detail.filter((m) => m.direction === 'out')).toHaveLength(PER_CHAT);
    }
  }, 120_000);
});
