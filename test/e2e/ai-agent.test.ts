/**
 * AI agent mode and the uncertain FAQ band through the real app and the real SDK against the
 * loopback Messages API fake: what is answered automatically, what is declined and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { answering, llmEnv, sourceIds, toolOf } from '../support/ai-agent.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import { decodeLogged } from '../../src/domain/events.js';
import type { Running } from '../../src/main.js';

const backends = [
  { name: 'SQLite', database: async () => ({ env: {}, drop: async () => {} }) },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          database: async () => {
            const db = await createTestDatabase();
            return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
          },
        },
      ]
    : []),
];

async function aiEvents(app: Running, conversationId: string) {
  const rows = await app.store.read((r) => r.events.after(0, { conversationId, limit: 1000 }));
  return rows.map(decodeLogged).flatMap((e) => (e.type === 'ai_agent' ? [e.data] : []));
}

describe.each(backends)('AI agent mode ($name)', (backend) => {
  let app: Running;
  let llm: FakeAnthropic;
  let drop: () => Promise<void>;
  let boss: { token: string };
  let ann: { token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    const db = await backend.database();
    drop = db.drop;
    app = await startApp({ ...db.env, ...llmEnv(llm, writeKb(closeEntriesKb)) });
    boss = await app.createAgent('Boss', 'admin');
    ann = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
    await drop?.();
  });

  const setMode = async (body: Record<string, unknown>) => {
    const res = await api(app, boss.token, 'PUT', '/api/settings/ai-agent', body);
    expect(res.status).toBe(200);
    return res.body;
  };

  /** One customer message; resolves with the conversation id once the bot has replied or handed off. */
  async function ask(text: string, customer?: WebchatCustomer) {
    const c = customer ?? (await WebchatCustomer.open(app.url));
    const before = (await c.history()).items.length;
    expect((await c.say(text)).status).toBeLessThan(300);
    const items = await eventually(
      async () => {
        const h = (await c.history()).items;
        return h.length >= before + 2 ? h : undefined;
      },
      8_000,
      'bot reply',
    );
    const conv = (await app.store.read((r) => r.conversations.latestForThread('webchat', c.sessionId)))!;
    return { customer: c, conversationId: conv.id, reply: items.at(-1)!, conv };
  }

  it('is off by default, and the settings API checks its input and who asks', async () => {
    expect((await api(app, boss.token, 'GET', '/api/settings/ai-agent')).body).toMatchObject({
      enabled: false,
      channels: [],
      teams: [],
      maxAnswersPerConversation: 3,
      modelAvailable: true,
      updatedAt: null,
    });
    expect((await api(app, ann.token, 'GET', '/api/settings/ai-agent')).status).toBe(403);
    expect((await api(app, ann.token, 'PUT', '/api/settings/ai-agent', { enabled: true })).status).toBe(403);
    for (const bad of [
      {},
      { enabled: 'yes' },
      { enabled: true, channels: ['fax'] },
      { enabled: true, maxAnswersPerConversation: 0 },
      { enabled: true, maxAnswersPerConversation: 2.5 },
      { enabled: true, teams: ['no-such-team'] },
      { enabled: true, extra: 1 },
    ]) {
      const res = await api(app, boss.token, 'PUT', '/api/settings/ai-agent', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api(app, boss.token, 'GET', '/api/settings/ai-agent')).body.enabled).toBe(false);
    const saved = await setMode({ enabled: true, channels: ['webchat'] });
    expect(saved).toMatchObject({ enabled: true, channels: ['webchat'], maxAnswersPerConversation: 3, updatedBy: expect.any(String) });
    const audit = await api(app, boss.token, 'GET', '/api/audit?action=settings.update');
    expect(JSON.stringify(audit.body)).toContain('ai_agent');
  });

  it('answers an FAQ-grounded question automatically, labelled automatic, with an answered event', async () => {
    await setMode({ enabled: true });
    const reply = 'Gift cards never expire, and the balance is shown at checkout.';
    llm.reply = answering(reply);
    const calls = llm.requests.length;
    const { conversationId, reply: got } = await ask('gift card');
    expect(got.text).toBe(reply);
    expect(llm.requests.length).toBe(calls + 1);
    const req = llm.requests.at(-1)!;
    expect(toolOf(req)).toBe('draft_reply');
    const detail = (await api(app, ann.token, 'GET', `/api/conversations/${conversationId}`)).body;
    expect(detail.conversation.status).toBe('bot');
    const out = detail.messages.find((m: { author: string }) => m.author === 'bot');
    expect(out).toMatchObject({ text: reply, automatic: true });
    const events = detail.events.filter((e: { type: string }) => e.type === 'ai_agent');
    expect(events).toEqual([expect.objectContaining({ decision: 'answered', reason: 'answered', entryIds: [sourceIds(req)[0]] })]);
    const report = (await api(app, boss.token, 'GET', '/api/reports/llm')).body;
    expect(report.aiAgent.answered).toBeGreaterThanOrEqual(1);
    // Its tokens sit beside the drafts, where the budget and the report's totals count them.
    const spent = (await app.store.read((r) => r.drafts.list(conversationId))).filter((d) => d.kind === 'ai_agent');
    expect(spent).toEqual([expect.objectContaining({ model: 'claude-test-sonnet', text: '' })]);
    expect(spent[0]!.inputTokens).toBeGreaterThan(0);
  });

  it.each([
    ['needs_human_check', answering('Your balance is 42 dollars.', { needsCheck: true })],
    ['no_citation', answering('Gift cards are magic.', { cite: () => ['ghost-entry'] })],
  ])('declines when the result says %s, and asks back as without the mode', async (reason, script) => {
    await setMode({ enabled: true });
    llm.reply = script;
    const { conversationId, reply } = await ask('gift card');
    expect(reply.choices?.length).toBeGreaterThan(1);
    expect(await aiEvents(app, conversationId)).toEqual([expect.objectContaining({ decision: 'declined', reason })]);
  });

  it('declines an out-of-scope question without asking the model, and hands off', async () => {
    await setMode({ enabled: true });
    llm.reply = answering('We engrave toasters.', { cite: (ids) => ids });
    const calls = llm.requests.filter((r) => toolOf(r) === 'draft_reply').length;
    const { conversationId, conv } = await ask('My toaster sings opera at night, is that covered?');
    expect(conv.status).toBe('queued');
    await app.draftsIdle();
    expect(await aiEvents(app, conversationId)).toEqual([expect.objectContaining({ decision: 'declined', reason: 'out_of_scope' })]);
    // Only the agents' draft asked the model.
    expect(llm.requests.filter((r) => toolOf(r) === 'draft_reply').length).toBe(calls + 1);
    const msgs = (await api(app, ann.token, 'GET', `/api/conversations/${conversationId}`)).body.messages;
    expect(msgs.some((m: { automatic: boolean }) => m.automatic)).toBe(false);
  });

  it('declines a complaint', async () => {
    await setMode({ enabled: true });
    llm.reply = answering('Gift cards never expire.');
    const { conversationId, reply } = await ask('this gift card is a scam');
    expect(reply.text).not.toBe('Gift cards never expire.');
    expect(await aiEvents(app, conversationId)).toEqual([expect.objectContaining({ decision: 'declined', reason: 'complaint' })]);
  });

  it('declines for a VIP customer', async () => {
    await setMode({ enabled: true });
    llm.reply = answering('Gift cards never expire.');
    const first = await ask('How do I return an item?');
    expect(first.reply.text).toContain('30 days');
    await app.store.tx((r) => r.customers.update(first.conv.customerId, { tier: 'vip' }));
    const { conversationId, reply } = await ask('gift card', first.customer);
    expect(reply.text).not.toBe('Gift cards never expire.');
    expect(await aiEvents(app, conversationId)).toEqual([expect.objectContaining({ decision: 'declined', reason: 'vip' })]);
  });

  it('stops at the per-conversation cap and hands the conversation to a person', async () => {
    await setMode({ enabled: true, maxAnswersPerConversation: 2 });
    llm.reply = answering('Gift cards never expire.');
    const one = await ask('gift card');
    const two = await ask('gift card please', one.customer);
    const three = await ask('gift card again', one.customer);
    expect([one.reply.text, two.reply.text]).toEqual(['Gift cards never expire.', 'Gift cards never expire.']);
    expect(three.conv.status).toBe('queued');
    expect(three.reply.text).toMatch(/person will reply|passed your message/i);
    expect((await aiEvents(app, one.conversationId)).map((e) => e.reason)).toEqual(['answered', 'answered', 'cap']);
  });

  it('"talk to a person" is always honoured', async () => {
    await setMode({ enabled: true });
    llm.reply = answering('Gift cards never expire.');
    const { conv, conversationId } = await ask('human');
    expect(conv.status).toBe('queued');
    expect(await aiEvents(app, conversationId)).toEqual([]);
  });

  it('counts answers and declines by reason in the LLM report', async () => {
    const report = (await api(app, boss.token, 'GET', '/api/reports/llm')).body;
    expect(report.aiAgent.answered).toBe(3);
    expect(report.aiAgent.declinedByReason).toMatchObject({
      needs_human_check: 1,
      no_citation: 1,
      out_of_scope: 1,
      complaint: 1,
      vip: 1,
      cap: 1,
    });
  });

  describe('the uncertain band with the mode off', () => {
    it('a pick sends that entry’s own answer, not model text', async () => {
      await setMode({ enabled: false });
      llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: 'gift-card-expiry' });
      const { reply, conversationId } = await ask('gift card');
      expect(toolOf(llm.requests.at(-1)!)).toBe('select_answer');
      expect(reply.text).toBe('Gift cards never expire.');
      expect(reply.choices ?? []).toEqual([]);
      expect(await aiEvents(app, conversationId)).toEqual([]);
    });

    it('none (null) keeps the ask-back', async () => {
      await setMode({ enabled: false });
      llm.reply = answering('MODEL TEXT MUST NOT BE SENT', { pick: null });
      const { reply } = await ask('gift card');
      expect(reply.choices?.map((c) => c.id)).toEqual(expect.arrayContaining(['faq:gift-card-balance', 'faq:gift-card-expiry', 'person']));
    });

    it('an id never offered counts as none; an API failure keeps the ask-back', async () => {
      await setMode({ enabled: false });
      llm.reply = answering('x', { pick: 'returns' });
      expect((await ask('gift card')).reply.choices?.length).toBeGreaterThan(1);
      llm.faults.push({ status: 400 });
      expect((await ask('gift card')).reply.choices?.length).toBeGreaterThan(1);
    });
  });
});
