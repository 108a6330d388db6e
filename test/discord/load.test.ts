import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';

const CHANNELS = 30;
const PER_CHANNEL = 10;
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
 * 300 gateway messages from 30 DM channels through the running app: every message stored
 * once, every answer sent once, each channel's answers in the order of its questions. Prints
 * throughput, which Discord's global limit of 50 requests per second bounds (discord.js keeps to it).
 */
describe('Discord under load (SQLite)', () => {
  let fake: FakeDiscordApi;
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    fake = await FakeDiscordApi.start();
    dir = await tempDir();
    app = await startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl }, dir.path);
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await dir?.rm();
  });

  it('stores 300 messages from 30 channels once, answers each once, in order per channel', async () => {
    // Learn each question's answer from one channel first, so the check below needs no hard-coded text.
    const probe = { id: '400000000000000000', username: 'probe', global_name: 'Probe' };
    const probeDm = fake.dmChannel(probe);
    for (const q of QUESTIONS) fake.pushMessage(probe, q);
    await fake.waitFor(() => fake.sentTo(probeDm).length === QUESTIONS.length, 20_000, 'probe answers');
    const answerOf = new Map(QUESTIONS.map((q, i) => [q, fake.sentTo(probeDm)[i]!.content]));
    expect(new Set(answerOf.values()).size).toBe(QUESTIONS.length);

    const users = Array.from({ length: CHANNELS }, (_, i) => ({ id: String(410_000_000_000_000_000n + BigInt(i)), username: `load${i}`, global_name: `Load ${i}` }));
    const dms = new Map(users.map((u) => [u.id, fake.dmChannel(u)]));
    const asked = new Map<string, string[]>();
    const started = performance.now();
    for (let round = 0; round < PER_CHANNEL; round++) {
      for (const [i, user] of users.entries()) {
        const q = QUESTIONS[(i + round) % QUESTIONS.length]!;
        asked.set(user.id, [...(asked.get(user.id) ?? []), q]);
        fake.pushMessage(user, q);
      }
    }
    const total = CHANNELS * PER_CHANNEL;
    const answered = () => users.reduce((n, u) => n + fake.sentTo(dms.get(u.id)!).length, 0);
    await fake.waitFor(() => answered() >= total, 60_000, 'all answers sent');
    const repliedMs = performance.now() - started;
    console.log(`[discord load] ${total} messages from ${CHANNELS} DM channels: all answered in ${repliedMs.toFixed(0)} ms (${((total / repliedMs) * 1000).toFixed(0)} msgs/s end to end)`);

    for (const user of users) {
      expect(fake.sentTo(dms.get(user.id)!).map((s) => s.content)).toEqual(asked.get(user.id)!.map((q) => answerOf.get(q)));
    }

    const agent = await app.createAgent('Load Checker');
    const list = await api(app, agent.token, 'GET', '/api/conversations');
    const convs = (list.body.items as { id: string; customer: { displayName: string } }[]).filter((c) => c.customer.displayName.startsWith('Load '));
    expect(convs).toHaveLength(CHANNELS);
    for (const conv of convs) {
      const user = users.find((u) => u.global_name === conv.customer.displayName)!;
      const detail = await eventually(async () => {
        const d = await api(app, agent.token, 'GET', `/api/conversations/${conv.id}`);
        const msgs = d.body.messages as { direction: string; text: string; delivery: string | null }[];
        return msgs.filter((m) => m.direction === 'out').every((m) => m.delivery === 'sent') ? msgs : undefined;
      }, 10_000, 'deliveries recorded');
      expect(detail.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(asked.get(user.id));
      expect(detail.filter((m) => m.direction === 'out')).toHaveLength(PER_CHANNEL);
    }
  }, 120_000);
});
