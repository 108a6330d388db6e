/**
 * LLM_MONTHLY_BUDGET's reservations are rows in the database (llm_reservations), not a number in
 * one process: a model call whose tokens were never recorded because the process stopped after
 * paying for it still counts after a restart, and instances sharing one PostgreSQL count each
 * other's calls in flight, so together they cannot pass the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { answering, llmEnv } from '../support/ai-agent.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import type { Running } from '../../src/main.js';
import type { InboundMessage } from '../../src/domain/channel.js';
import { heldFile } from '../attachments/fixtures.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const MODEL = 'claude-test-sonnet';
// One selection call of a few hundred tokens at 3 per million costs about 0.001, and its worst case
// more: one call reserved pauses the next, one call spent pauses every later one.
const BUDGET_ENV = { LLM_PRICES: JSON.stringify({ [MODEL]: { input: 3, output: 15 } }), LLM_MONTHLY_BUDGET: '0.0001' };

const drafting = async (app: Running, token: string) => (await api(app, token, 'GET', '/api/reports/llm')).body.drafting;
const setSelectionMode = async (app: Running, token: string) =>
  expect((await api(app, token, 'PUT', '/api/settings/ai-agent', { enabled: false })).status).toBe(200);

/** One customer question whose file download, after the model call and before the message's transaction, waits for `finish`. */
async function heldQuestion(app: Running) {
  const receipt = heldFile('receipt.txt', Buffer.from('receipt'));
  const c = await WebchatCustomer.open(app.url);
  const m: InboundMessage = {
    channel: 'webchat',
    externalMessageId: `${c.sessionId}:slow-file`,
    threadKey: c.sessionId,
    sender: { channelUserId: c.sessionId },
    text: 'gift card',
    attachments: [receipt.file],
    receivedAt: new Date(),
  };
  const delivered = app.deliver(m);
  // Whatever becomes of it (the store it was made on may be closed by then), never an unhandled rejection.
  delivered.catch(() => undefined);
  await receipt.started;
  return { delivered, finish: receipt.finish };
}

/** A second customer's question: asked back with choices, and whether the model was asked meanwhile. */
async function askedBack(app: Running, llm: FakeAnthropic): Promise<{ modelCalls: number; choices: number }> {
  const calls = llm.requests.length;
  const b = await WebchatCustomer.open(app.url);
  expect((await b.say('gift card')).status).toBeLessThan(300);
  const reply = await eventually(async () => (await b.history()).items.find((x) => x.author === 'bot'), 8_000, 'bot reply');
  return { modelCalls: llm.requests.length - calls, choices: reply.choices?.length ?? 0 };
}

const backends = [
  { name: 'SQLite', data: async () => ({ env: {}, dir: await tempDir(), drop: async () => {} }) },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          data: async () => {
            const db = await createTestDatabase();
            return { env: { DATABASE_URL: db.url }, dir: await tempDir(), drop: () => db.drop() };
          },
        },
      ]
    : []),
];

for (const backend of backends) {
  describe(`a reservation survives the process that made it (${backend.name})`, () => {
    let llm: FakeAnthropic;
    let data: Awaited<ReturnType<(typeof backend)['data']>>;
    let first: Running | undefined;
    let second: Running | undefined;
    let finishDownload = () => {};

    beforeAll(async () => {
      llm = await startFakeAnthropic();
      data = await backend.data();
    });
    afterAll(async () => {
      finishDownload();
      await first?.stop();
      await second?.stop();
      await llm?.close();
      await data?.drop();
      await data?.dir.rm();
    });

    it('stopped between the paid call and the commit that records its tokens: after the restart the budget still counts the call', async () => {
      const env = { ...llmEnv(llm, writeKb(closeEntriesKb)), ...BUDGET_ENV, ...data.env };
      first = await startApp(env, data.dir.path);
      const boss = await first.createAgent('Boss', 'admin');
      await setSelectionMode(first, boss.token);
      llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
      expect((await drafting(first, boss.token)).paused).toBe(null);

      const calls = llm.requests.length;
      const held = await heldQuestion(first);
      finishDownload = held.finish;
      expect(llm.requests.length).toBe(calls + 1);
      const during = await drafting(first, boss.token);
      expect(during.budget.reserved).toBeGreaterThan(0.0001);
      expect(during.budget.spentThisMonth).toBe(0);

      // The process goes away with the call paid for and its message's transaction never run.
      await first.stop();
      second = await startApp(env, data.dir.path);
      // The message was never stored, so nothing records the call's tokens: only its reservation counts it.
      expect(await second.store.read((r) => r.drafts.usageSince(0))).toEqual([]);
      const after = await drafting(second, boss.token);
      expect(after.budget.spentThisMonth).toBe(0);
      expect(after.budget.reserved).toBe(during.budget.reserved);
      expect(after.paused).toBe('budget');
      const next = await askedBack(second, llm);
      expect(next.modelCalls, 'the model was asked although the unrecorded call used up the budget').toBe(0);
      expect(next.choices).toBeGreaterThan(1);

      // The old process's message, let go now, cannot settle anything on the store it has closed.
      held.finish();
      await expect(held.delivered).rejects.toThrow();
      expect((await drafting(second, boss.token)).budget.reserved).toBe(during.budget.reserved);
    });
  });
}

/** Two instances on one PostgreSQL (as test/e2e/instances-wake.test.ts starts them). */
describe.skipIf(!TEST_DATABASE_URL)('two instances on one PostgreSQL share the budget’s reservations', () => {
  let llm: FakeAnthropic;
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let boss: { token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    db = await createTestDatabase();
    const env = { ...llmEnv(llm, writeKb(closeEntriesKb)), ...BUDGET_ENV, DATABASE_URL: db.url };
    a = await startApp(env);
    b = await startApp(env);
    boss = await a.createAgent('Boss', 'admin');
    await setSelectionMode(a, boss.token);
    llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await llm?.close();
    await db?.drop();
  });

  it('questions arriving together on both instances: one model call is made, the others are asked back; B reports A’s reservation', async () => {
    expect((await drafting(a, boss.token)).paused).toBe(null);
    expect((await drafting(b, boss.token)).paused).toBe(null);
    llm.delayMs = 800;
    const calls = llm.requests.length;
    const customers = await Promise.all([a, a, a, b, b, b].map(async (app) => ({ app, c: await WebchatCustomer.open(app.url) })));
    const said = customers.map(({ c }) => c.say('gift card'));
    await eventually(() => llm.requests.length > calls || undefined, 5_000, 'the model call');
    // While it is in flight both instances report the one reservation.
    const reserved = await Promise.all([a, b].map(async (app) => (await drafting(app, boss.token)).budget.reserved));
    expect(reserved[0]).toBeGreaterThan(0.0001);
    expect(reserved[1]).toBe(reserved[0]);
    for (const r of await Promise.all(said)) expect(r.status).toBeLessThan(300);
    const replies = await Promise.all(
      customers.map(({ c }) => eventually(async () => (await c.history()).items.find((x) => x.author === 'bot'), 8_000, 'bot reply')),
    );
    llm.delayMs = 0;
    expect(llm.requests.length, 'model calls made by the two instances together').toBe(calls + 1);
    expect(replies.filter((r) => r.text === 'Gift cards never expire.')).toHaveLength(1);
    expect(replies.filter((r) => (r.choices?.length ?? 0) > 1)).toHaveLength(5);

    // Settled in the message's transaction: spent, no longer reserved, on both.
    for (const app of [a, b]) {
      const after = await drafting(app, boss.token);
      expect(after.budget.reserved).toBe(0);
      expect(after.budget.spentThisMonth).toBeGreaterThan(0.0001);
      expect(after.paused).toBe('budget');
    }
  });
});
