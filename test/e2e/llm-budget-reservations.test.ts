/**
 * LLM_MONTHLY_BUDGET with drafts in flight: each draft reserves its worst-case cost when it
 * starts (every prompt character a cache-write token, max_tokens out) and settles with the real
 * usage when it ends, so drafts started together cannot all slip under the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { queuedConversation } from '../support/conversations.js';
import type { Running } from '../../src/main.js';

const MODEL = 'claude-test-sonnet';
const sourceIds = (req: RecordedRequest) =>
  [...((req.body.system as { text: string }[])[1]?.text ?? '').matchAll(/<entry id="([^"]+)">/g)].map((m) => m[1]!);

/** The fake model, its prices, and LLM_MONTHLY_BUDGET at `monthly`. */
const budgetEnv = (llm: FakeAnthropic, monthly: string) => ({
  ANTHROPIC_API_KEY: llm.apiKey,
  ANTHROPIC_BASE_URL: llm.url,
  ANTHROPIC_MODEL: MODEL,
  LLM_PRICES: JSON.stringify({ [MODEL]: { input: 3, output: 15 } }),
  LLM_MONTHLY_BUDGET: monthly,
  DRAFT_TIMEOUT_MS: '5000',
});

describe('the monthly budget with drafts in flight', () => {
  let llm: FakeAnthropic;
  let app: Running;
  let ann: { token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    // One draft's real cost is well under 0.01; its worst case (about 4,000 prompt characters at 3.75 and 1,024 tokens at 15 per million) is about 0.03.
    app = await startApp(budgetEnv(llm, '0.01'));
    ann = await app.createAgent('Ann');
    llm.reply = (req) => ({ toolInput: { reply: 'A draft.', cited_entry_ids: sourceIds(req).slice(0, 1), needs_human_check: false } });
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
  });

  async function handOff(text: string): Promise<string> {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    return eventually(
      async () => {
        const c = await app.store.read((r) => r.conversations.latestForThread('webchat', customer.sessionId));
        return c?.status === 'queued' ? c.id : undefined;
      },
      5_000,
      'hand-off',
    );
  }

  it('two drafts started together: one is written, the other is skipped for the budget; once settled, drafting goes on', async () => {
    llm.delayMs = 600;
    const calls = llm.requests.length;
    const [a, b] = await Promise.all([handOff('Do you sell purple giraffes?'), handOff('Could a penguin rent my garage?')]);
    const during = (await api(app, ann.token, 'GET', `/api/conversations/${a}`)).body.drafting;
    expect(during.paused).toBe('budget');
    expect(during.budget.reserved).toBeGreaterThan(0.01);
    expect(during.budget.spentThisMonth).toBe(0);
    await app.draftsIdle();
    llm.delayMs = 0;
    const drafts = await app.store.read(async (r) => [...(await r.drafts.list(a)), ...(await r.drafts.list(b))]);
    expect(drafts.map((d) => d.status).sort()).toEqual(['ready', 'skipped']);
    expect(drafts.find((d) => d.status === 'skipped')?.statusReason).toBe('budget');
    expect(llm.requests.length).toBe(calls + 1);

    const after = (await api(app, ann.token, 'GET', `/api/conversations/${a}`)).body.drafting;
    expect(after.budget.reserved).toBe(0);
    expect(after.budget.spentThisMonth).toBeGreaterThan(0);
    expect(after.budget.spentThisMonth).toBeLessThan(0.01);
    expect(after.paused).toBeNull();
    const c = await handOff('Can my hamster borrow your forklift?');
    await app.draftsIdle();
    expect((await app.store.read((r) => r.drafts.list(c)))[0]?.status).toBe('ready');
  });
});

describe('the monthly budget with a translation or a summary in flight', () => {
  let llm: FakeAnthropic;
  let app: Running;
  let ann: { token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    app = await startApp(budgetEnv(llm, '100'));
    ann = await app.createAgent('Ann');
    llm.reply = (req) => {
      const tool = req.body.tool_choice?.type === 'tool' ? req.body.tool_choice.name : '';
      if (tool === 'translation') return { toolInput: { translation: 'My order has not arrived.' } };
      if (tool === 'conversation_summary')
        return { toolInput: { problem: 'Late order.', bot_said: 'Nothing yet.', open_points: 'Where it is.' } };
      return { toolInput: { reply: 'A draft.', cited_entry_ids: [], needs_human_check: true } };
    };
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
  });

  const budget = async (id: string) => (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body.drafting.budget;

  it('each call is reserved at its worst case while the model works, and settled with its tokens', async () => {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('我的订单还没到，能帮我查一下吗？');
    const id = await queuedConversation(app, customer);
    await app.draftsIdle();
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    const messageId = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body.messages.find(
      (m: { author: string }) => m.author === 'customer',
    ).id;

    llm.delayMs = 500;
    for (const call of [
      () => api(app, ann.token, 'POST', `/api/conversations/${id}/messages/${messageId}/translate`, { to: 'en' }),
      () => api(app, ann.token, 'POST', `/api/conversations/${id}/summary`),
    ]) {
      const before = await budget(id);
      expect(before.reserved).toBe(0);
      const calls = llm.requests.length;
      const done = call();
      await eventually(async () => llm.requests.length > calls || undefined, 5_000, 'the model call');
      const during = await budget(id);
      expect(during.reserved).toBeGreaterThan(0);
      expect(during.spentThisMonth).toBe(before.spentThisMonth);
      expect((await done).status).toBeLessThan(300);
      const after = await budget(id);
      expect(after.reserved).toBe(0);
      expect(after.spentThisMonth).toBeGreaterThan(before.spentThisMonth);
    }
    llm.delayMs = 0;
  });
});
