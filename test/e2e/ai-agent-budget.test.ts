/**
 * LLM_MONTHLY_BUDGET caps the model calls of AI agent mode and the uncertain FAQ band as it caps
 * drafts: each call's tokens are kept beside the drafts (so the budget and GET /api/reports/llm
 * count them), and once the month's estimate reaches the budget the model is not asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { answering, llmEnv, toolOf } from '../support/ai-agent.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import { decodeLogged } from '../../src/domain/events.js';
import type { Running } from '../../src/main.js';
import type { InboundMessage } from '../../src/domain/channel.js';
import { heldFile } from '../attachments/fixtures.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const MODEL = 'claude-test-sonnet';

/** The app for the enclosing describe, with the fake model priced at MODEL's rates and `budget` a month, and an admin. */
function budgetApp(budget: string) {
  const s = {} as { app: Running; llm: FakeAnthropic; boss: { token: string } };
  beforeAll(async () => {
    s.llm = await startFakeAnthropic();
    s.app = await startApp({
      ...llmEnv(s.llm, writeKb(closeEntriesKb)),
      LLM_PRICES: JSON.stringify({ [MODEL]: { input: 3, output: 15 } }),
      LLM_MONTHLY_BUDGET: budget,
    });
    s.boss = await s.app.createAgent('Boss', 'admin');
  });
  afterAll(async () => {
    await s.app?.stop();
    await s.llm?.close();
  });
  return s;
}

describe('the monthly budget over AI agent mode and the answer selector', () => {
  // One call of a few hundred tokens at 3 per million costs about 0.001: the first call spends the budget.
  const s = budgetApp('0.0001');

  const setMode = async (enabled: boolean) =>
    expect((await api(s.app, s.boss.token, 'PUT', '/api/settings/ai-agent', { enabled })).status).toBe(200);

  /** One customer message; resolves with the bot's reply and the conversation id. */
  async function ask(text: string) {
    const c = await WebchatCustomer.open(s.app.url);
    expect((await c.say(text)).status).toBeLessThan(300);
    const reply = await eventually(async () => (await c.history()).items.find((m) => m.author === 'bot'), 8_000, 'bot reply');
    const conv = (await s.app.store.read((r) => r.conversations.latestForThread('webchat', c.sessionId)))!;
    return { reply, conversationId: conv.id };
  }
  const drafting = async () => (await api(s.app, s.boss.token, 'GET', '/api/reports/llm')).body.drafting;

  it('counts an answer selection in the budget and the LLM report, then asks back without the model once spent', async () => {
    await setMode(false);
    s.llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
    const first = await ask('gift card');
    expect(toolOf(s.llm.requests.at(-1)!)).toBe('select_answer');
    expect(first.reply.text).toBe('Gift cards never expire.');

    const rows = await s.app.store.read((r) => r.drafts.list(first.conversationId));
    expect(rows).toEqual([expect.objectContaining({ kind: 'selection', model: MODEL, inputTokens: expect.any(Number) })]);
    expect(rows[0]!.inputTokens).toBeGreaterThan(0);
    const report = (await api(s.app, s.boss.token, 'GET', '/api/reports/llm')).body;
    expect(report.total.inputTokens).toBe(rows[0]!.inputTokens);
    expect(report.total.estimatedCost).toBeGreaterThan(0.0001);
    expect(report.drafting.paused).toBe('budget');
    expect(report.drafting.budget.reserved).toBe(0);

    const calls = s.llm.requests.length;
    const second = await ask('gift card');
    expect(second.reply.choices?.length).toBeGreaterThan(1);
    expect(s.llm.requests.length).toBe(calls);
    expect(await s.app.store.read((r) => r.drafts.list(second.conversationId))).toEqual([]);
  });

  it('declines in AI agent mode without asking the model once the budget is spent', async () => {
    await setMode(true);
    s.llm.reply = answering('Gift cards never expire.');
    expect((await drafting()).paused).toBe('budget');
    const calls = s.llm.requests.length;
    const { reply, conversationId } = await ask('gift card');
    expect(reply.text).not.toBe('Gift cards never expire.');
    expect(s.llm.requests.length).toBe(calls);
    const events = (await s.app.store.read((r) => r.events.after(0, { conversationId, limit: 100 }))).map(decodeLogged);
    expect(events.flatMap((e) => (e.type === 'ai_agent' ? [e.data] : []))).toEqual([
      expect.objectContaining({ decision: 'declined', reason: 'llm_unavailable', detail: 'budget' }),
    ]);
  });
});

describe('a model call made for a delivery that lost to another of the same message', () => {
  // A budget far above a few calls: both deliveries are let call the model.
  const s = budgetApp('100');

  it('is still counted: its tokens are recorded against the message stored first, and nothing stays reserved', async () => {
    expect((await api(s.app, s.boss.token, 'PUT', '/api/settings/ai-agent', { enabled: false })).status).toBe(200);
    s.llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
    const c = await WebchatCustomer.open(s.app.url);
    const m: InboundMessage = {
      channel: 'webchat',
      externalMessageId: `${c.sessionId}:twice`,
      threadKey: c.sessionId,
      sender: { channelUserId: c.sessionId },
      text: 'gift card',
      attachments: [],
      receivedAt: new Date(),
    };
    const calls = s.llm.requests.length;
    // Both look for the message before either stores it (as two instances, or a channel's retry, can), so both ask the model.
    const results = await Promise.all([s.app.deliver(m), s.app.deliver(m)]);
    expect(s.llm.requests.length).toBe(calls + 2);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);

    const rows = await s.app.store.read((r) => r.drafts.list(results[0].conversationId));
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'selection', model: MODEL, messageId: results[0].messageId }),
      expect.objectContaining({ kind: 'selection', model: MODEL, messageId: results[0].messageId }),
    ]);
    const report = (await api(s.app, s.boss.token, 'GET', '/api/reports/llm')).body;
    expect(report.total.inputTokens).toBe(rows[0]!.inputTokens + rows[1]!.inputTokens);
    expect(report.drafting.budget.reserved).toBe(0);
  });
});

/** On PostgreSQL: a message's file download, before its transaction, holds the call's reservation open meanwhile. */
describe.skipIf(!TEST_DATABASE_URL)('a model call stays reserved until its tokens are recorded (PostgreSQL)', () => {
  let app: Running;
  let llm: FakeAnthropic;
  let boss: { token: string };
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  /** Lets the held download finish, so a failed test does not leave it holding the app's stop. */
  let finishDownload = () => {};

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    db = await createTestDatabase();
    // As above: the worst case of one call is over the budget, so one call reserved pauses the next.
    app = await startApp({
      ...llmEnv(llm, writeKb(closeEntriesKb)),
      DATABASE_URL: db.url,
      LLM_PRICES: JSON.stringify({ [MODEL]: { input: 3, output: 15 } }),
      LLM_MONTHLY_BUDGET: '0.0001',
    });
    boss = await app.createAgent('Boss', 'admin');
  });
  afterAll(async () => {
    finishDownload();
    await app?.stop();
    await llm?.close();
    await db?.drop();
  });

  const drafting = async () => (await api(app, boss.token, 'GET', '/api/reports/llm')).body.drafting;

  it('between the call and the commit of its message (a slow file download) the budget counts it, so a second call is not made', async () => {
    expect((await api(app, boss.token, 'PUT', '/api/settings/ai-agent', { enabled: false })).status).toBe(200);
    llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
    expect((await drafting()).paused).toBe(null);

    // The first message's file downloads after the selection call and before its transaction, until the test lets it.
    const receipt = heldFile('receipt.txt', Buffer.from('receipt'));
    finishDownload = receipt.finish;
    const a = await WebchatCustomer.open(app.url);
    const m: InboundMessage = {
      channel: 'webchat',
      externalMessageId: `${a.sessionId}:slow-file`,
      threadKey: a.sessionId,
      sender: { channelUserId: a.sessionId },
      text: 'gift card',
      attachments: [receipt.file],
      receivedAt: new Date(),
    };
    const calls = llm.requests.length;
    const first = app.deliver(m);
    await receipt.started;
    expect(llm.requests.length).toBe(calls + 1);
    const during = await drafting();
    expect(during.budget.spentThisMonth).toBe(0);
    expect(during.budget.reserved).toBeGreaterThan(0.0001);
    expect(during.paused).toBe('budget');

    // Another customer meanwhile: asked back without the model.
    const b = await WebchatCustomer.open(app.url);
    expect((await b.say('gift card')).status).toBeLessThan(300);
    const reply = await eventually(async () => (await b.history()).items.find((x) => x.author === 'bot'), 8_000, 'bot reply');
    expect(llm.requests.length, 'the model was asked again while the first call was unrecorded').toBe(calls + 1);
    expect(reply.choices?.length).toBeGreaterThan(1);

    finishDownload();
    const { conversationId } = await first;
    const rows = await app.store.read((r) => r.drafts.list(conversationId));
    expect(rows).toEqual([expect.objectContaining({ kind: 'selection', model: MODEL })]);
    const after = await drafting();
    expect(after.budget.reserved).toBe(0);
    expect(after.budget.spentThisMonth).toBeGreaterThan(0);
    expect(after.paused).toBe('budget');
  });
});
