/**
 * LLM drafts through the real app and the real SDK against the loopback Messages API fake:
 * streamed to the agent over SSE, cited truthfully, cached, costed, budgeted, and judged by the
 * reply the agent sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest, type ScriptedReply } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';

const MODEL = 'claude-test-sonnet';
const PRICES = { [MODEL]: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } };
const llmEnv = (llm: FakeAnthropic, extra: Record<string, string> = {}) => ({
  ANTHROPIC_API_KEY: llm.apiKey,
  ANTHROPIC_BASE_URL: llm.url,
  ANTHROPIC_MODEL: MODEL,
  LLM_PRICES: JSON.stringify(PRICES),
  DRAFT_TIMEOUT_MS: '3000',
  ...extra,
});

/** The FAQ entry ids the request offered as sources, in order. */
function sourceIds(req: RecordedRequest): string[] {
  const system = req.body.system as { text: string }[];
  return [...(system[1]?.text ?? '').matchAll(/<entry id="([^"]+)">/g)].map((m) => m[1]!);
}

/** A reply citing the first source and an id never sent. */
const citing =
  (reply: string, extra: Partial<ScriptedReply> = {}) =>
  (req: RecordedRequest): ScriptedReply => ({
    toolInput: { reply, cited_entry_ids: [...sourceIds(req).slice(0, 1), 'ghost-entry'], needs_human_check: false },
    ...extra,
  });

async function handOff(app: Running, text: string) {
  const customer = await WebchatCustomer.open(app.url);
  await customer.say(text);
  const conv = await eventually(
    async () => {
      const c = await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId));
      return c?.status === 'queued' ? c : undefined;
    },
    5_000,
    'hand-off',
  );
  return conv.id;
}

async function firstDraftId(app: Running, conversationId: string): Promise<string> {
  return eventually(async () => (await app.store.read((r) => r.drafts.list(conversationId)))[0]?.id, 5_000, 'draft row');
}

/** Reads a draft's SSE stream to its `end` event. */
async function readDraftStream(app: Running, token: string, conversationId: string, draftId: string) {
  const res = await fetch(`${app.url}/api/conversations/${conversationId}/drafts/${draftId}/stream`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const decoder = new TextDecoder();
  let buffer = '';
  const deltas: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (!event || !data) continue;
      const parsed = JSON.parse(data);
      if (event === 'delta') deltas.push(parsed.text);
      if (event === 'end') return { deltas, end: parsed };
    }
  }
  throw new Error('stream closed without an end event');
}

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

describe.each(backends)('LLM drafts for agents ($name)', (backend) => {
  let app: Running;
  let llm: FakeAnthropic;
  let drop: () => Promise<void>;
  let ann: { id: string; token: string };
  let boss: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    const db = await backend.database();
    drop = db.drop;
    // A budget well above what these tests spend: under budget, drafting goes on.
    app = await startApp({ ...db.env, ...llmEnv(llm, { LLM_MONTHLY_BUDGET: '100' }) });
    ann = await app.createAgent('Ann');
    boss = await app.createAgent('Boss', 'admin');
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
    await drop?.();
  });

  it('streams the deltas to the agent in order; the stored draft is their concatenation, citing only sources', async () => {
    const reply =
      'Thanks for asking! Items can go back within thirty days of delivery, unused and in their box, and the refund reaches you within a week.';
    llm.reply = citing(reply);
    llm.deltaDelayMs = 40;
    const id = await handOff(app, 'Can you engrave a dragon on my toaster?');
    const draftId = await firstDraftId(app, id);
    const { deltas, end } = await readDraftStream(app, ann.token, id, draftId);
    llm.deltaDelayMs = 0;

    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(reply);
    expect(end.status).toBe('ready');
    const detail = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
    const draft = detail.drafts.find((d: { id: string }) => d.id === draftId);
    expect(draft.text).toBe(deltas.join(''));
    const sent = sourceIds(llm.requests.at(-1)!);
    expect(sent.length).toBeGreaterThan(0);
    expect(draft.sourceIds).toEqual(sent);
    // The invented id is dropped; the real one kept, with what the console links it to.
    expect(draft.entryIds).toEqual([sent[0]]);
    expect(draft.citations).toEqual([{ entryId: sent[0], question: expect.any(String), locale: 'en' }]);
    expect(draft.ungrounded).toBe(false);
    expect(draft.status).toBe('ready');
    expect(draft.model).toBe(MODEL);
    expect(draft.usage.inputTokens).toBeGreaterThan(0);
    expect(draft.usage.outputTokens).toBeGreaterThan(0);
    expect(draft.usage.cacheWriteTokens + draft.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(detail.drafting).toMatchObject({ mode: 'llm', paused: null, budget: { monthly: 100 } });
    // The request carried cache_control on the stable part, the sources and the fenced history.
    const body = llm.requests.at(-1)!.body;
    expect((body.system as { cache_control?: unknown }[]).map((b) => b.cache_control)).toEqual([
      { type: 'ephemeral' },
      { type: 'ephemeral' },
    ]);
    expect((body.messages[0]!.content as { cache_control?: unknown }[])[0]!.cache_control).toEqual({ type: 'ephemeral' });
  });

  it('marks a draft citing nothing it was given as ungrounded', async () => {
    llm.reply = () => ({ toolInput: { reply: 'We can engrave anything!', cited_entry_ids: ['made-up'], needs_human_check: false } });
    const id = await handOff(app, 'Do you sell purple giraffes?');
    await app.draftsIdle();
    const draft = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body.drafts[0];
    expect(draft).toMatchObject({ status: 'ready', entryIds: [], ungrounded: true });
  });

  it('a stream that fails part-way leaves a failed draft with the reason, and the SSE client is told', async () => {
    llm.reply = citing('This reply will break off in the middle of the stream, sorry.', {
      midStream: { afterDeltas: 2, action: 'error' },
    });
    const id = await handOff(app, 'My toaster sings opera at night, is that covered?');
    const draftId = await firstDraftId(app, id);
    const { end } = await readDraftStream(app, ann.token, id, draftId);
    expect(end.status).toBe('failed');
    await app.draftsIdle();
    const draft = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body.drafts[0];
    expect(draft.status).toBe('failed');
    expect(draft.reason).toBeTruthy();
    expect(draft.text).toBe('');
  });

  it('a stream that stalls part-way is stopped at DRAFT_TIMEOUT_MS and left failed, reason timeout', async () => {
    llm.reply = citing('one two three four five', { midStream: { afterDeltas: 2, action: 'stall' } });
    const id = await handOff(app, 'Could a penguin rent my garage?');
    const draftId = await firstDraftId(app, id);
    const { deltas, end } = await readDraftStream(app, ann.token, id, draftId);
    expect(end).toMatchObject({ status: 'failed', reason: 'timeout' });
    expect(deltas.join('').length).toBeGreaterThan(0);
  });

  it('an agent can cancel a draft being written; it stays as cancelled', async () => {
    llm.reply = citing('one two three four five', { midStream: { afterDeltas: 1, action: 'stall' } });
    const id = await handOff(app, 'Can my hamster borrow your forklift?');
    const draftId = await firstDraftId(app, id);
    const cancelled = await api(app, ann.token, 'POST', `/api/conversations/${id}/drafts/${draftId}/cancel`);
    expect(cancelled).toEqual({ status: 200, body: { cancelled: true } });
    await app.draftsIdle();
    const draft = (await app.store.read((r) => r.drafts.get(draftId)))!;
    expect(draft).toMatchObject({ status: 'cancelled', statusReason: 'agent' });
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/drafts/${draftId}/cancel`)).status).toBe(409);
  });

  it('records whether the reply used the draft as is, edited it or was the agent’s own, and reports the rates', async () => {
    llm.reply = citing('Your parcel is on its way and should arrive within three working days.');
    const ids: string[] = [];
    for (const q of [
      'Zebra-striped socks, do you have those?',
      'Could you knit me a sweater for my goldfish?',
      'Could a penguin rent my garage?',
    ]) {
      ids.push(await handOff(app, q));
    }
    await app.draftsIdle();
    const draftOf = async (id: string) => (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body.drafts[0];
    const replies = [
      'Your parcel is on its way and should arrive within three working days.',
      'Your parcel is on its way and should arrive within 3 working days!',
      'Let me ask the warehouse and come back to you this afternoon.',
    ];
    for (const [i, id] of ids.entries()) {
      expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
      const draft = await draftOf(id);
      // The third reply names no draft: it is still judged against the latest one.
      const body = i < 2 ? { text: replies[i], draftId: draft.id } : { text: replies[i] };
      expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/messages`, body)).status).toBe(201);
    }
    // Held by Ann now: another agent may not follow its drafts.
    const ben = await app.createAgent(`Ben ${backend.name}`);
    const held = await draftOf(ids[0]!);
    const foreign = await fetch(`${app.url}/api/conversations/${ids[0]}/drafts/${held.id}/stream`, {
      headers: { authorization: `Bearer ${ben.token}` },
    });
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    const outcomes = await Promise.all(ids.map(async (id) => (await draftOf(id)).outcome));
    expect(outcomes.map((o) => o.kind)).toEqual(['as_is', 'edited', 'own']);
    expect(outcomes[0].editDistance).toBe(0);
    expect(outcomes[1].editDistance).toBeGreaterThan(0);
    expect(outcomes[1].editDistance).toBeLessThan(0.2);
    expect(outcomes[2].editDistance).toBeGreaterThan(0.6);
    expect(outcomes.every((o) => o.agentId === ann.id)).toBe(true);

    const report = (await api(app, boss.token, 'GET', '/api/reports/llm')).body;
    const byAnn = report.acceptance.byAgent.find((a: { agentId: string }) => a.agentId === ann.id);
    expect(byAnn).toMatchObject({ judged: 3, asIs: 1, edited: 1, own: 1, acceptanceRate: 0.667 });
    expect(report.acceptance.byDay).toHaveLength(1);
    expect(report.acceptance.byEntry.length).toBeGreaterThan(0);
  });

  it('sums tokens by day and model with an estimated cost, per conversation too; admins only', async () => {
    expect((await api(app, ann.token, 'GET', '/api/reports/llm')).status).toBe(403);
    const report = (await api(app, boss.token, 'GET', '/api/reports/llm')).body;
    const rows = await app.store.read(async (r) => r.drafts.reportRows(0, Date.now() + 1));
    const sum = (k: 'inputTokens' | 'outputTokens' | 'cacheWriteTokens' | 'cacheReadTokens') => rows.reduce((s, r) => s + r[k], 0);
    expect(report.total).toMatchObject({
      drafts: rows.length,
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheWriteTokens: sum('cacheWriteTokens'),
      cacheReadTokens: sum('cacheReadTokens'),
      unpriced: 0,
    });
    expect(sum('cacheReadTokens')).toBeGreaterThan(0);
    const p = PRICES[MODEL];
    const cost =
      (sum('inputTokens') * p.input +
        sum('outputTokens') * p.output +
        sum('cacheWriteTokens') * p.cacheWrite +
        sum('cacheReadTokens') * p.cacheRead) /
      1e6;
    expect(report.total.estimatedCost).toBeCloseTo(cost, 5);
    expect(report.byDay).toHaveLength(1);
    expect(report.byDay[0]).toMatchObject({ model: MODEL, drafts: rows.length, inputTokens: sum('inputTokens') });
    expect(report.drafting.budget.spentThisMonth).toBeCloseTo(cost, 5);
    expect(report.prices[MODEL]).toEqual(p);

    const one = rows[0]!;
    const detail = (await api(app, boss.token, 'GET', `/api/conversations/${one.conversationId}`)).body;
    const mine = rows.filter((r) => r.conversationId === one.conversationId);
    expect(detail.llmUsage).toMatchObject({ drafts: mine.length, inputTokens: mine.reduce((s, r) => s + r.inputTokens, 0) });
    expect(report.byConversation.find((c: { conversationId: string }) => c.conversationId === one.conversationId).inputTokens).toBe(
      detail.llmUsage.inputTokens,
    );
  });

  it('drafts on request, and the stream of a finished draft gives its text at once', async () => {
    llm.reply = citing('Fresh draft on request.');
    const id = await handOff(app, 'Could you knit me a sweater for my goldfish?');
    await app.draftsIdle();
    const started = await api(app, ann.token, 'POST', `/api/conversations/${id}/drafts`);
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('streaming');
    await app.draftsIdle();
    const { deltas, end } = await readDraftStream(app, ann.token, id, started.body.draftId);
    expect(deltas).toEqual(['Fresh draft on request.']);
    expect(end.draft.text).toBe('Fresh draft on request.');
  });
});

describe('drafting pauses, visibly, when the monthly budget is spent or the API keeps failing', () => {
  let llm: FakeAnthropic;
  let app: Running;
  let breakerApp: Running;
  let ann: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    // The first draft's estimated cost is above this budget.
    app = await startApp(llmEnv(llm, { LLM_MONTHLY_BUDGET: '0.000001' }));
    breakerApp = await startApp(llmEnv(llm, { LLM_BREAKER_FAILURES: '2', LLM_BREAKER_COOLDOWN_SECONDS: '600' }));
    ann = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await breakerApp?.stop();
    await llm?.close();
  });

  it('drafts while under budget, then pauses with paused: budget on the conversation and the drafts endpoint', async () => {
    llm.reply = citing('A first draft, under budget.');
    const first = await handOff(app, 'Can you engrave a dragon on my toaster?');
    await app.draftsIdle();
    expect((await app.store.read((r) => r.drafts.list(first)))[0]).toMatchObject({ status: 'ready', text: 'A first draft, under budget.' });

    const calls = llm.requests.length;
    const second = await handOff(app, 'Do you sell purple giraffes?');
    await app.draftsIdle();
    expect(llm.requests.length).toBe(calls);
    const detail = (await api(app, ann.token, 'GET', `/api/conversations/${second}`)).body;
    expect(detail.drafting.paused).toBe('budget');
    expect(detail.drafting.budget.spentThisMonth).toBeGreaterThanOrEqual(0.000001);
    expect(detail.drafts).toMatchObject([{ status: 'skipped', reason: 'budget', text: '' }]);

    const asked = await api(app, ann.token, 'POST', `/api/conversations/${second}/drafts`);
    expect(asked.status).toBe(409);
    expect(asked.body).toMatchObject({ error: { code: 'drafting_paused' }, paused: 'budget' });
  });

  it('opens the breaker after repeated failures: later drafts are skipped without calling the API', async () => {
    const agent = await breakerApp.createAgent('Bo');
    llm.faults.push(...Array.from({ length: 6 }, () => ({ status: 500 as const })));
    for (const q of ['Do you sell purple giraffes?', 'Could you knit me a sweater for my goldfish?']) {
      await handOff(breakerApp, q);
      await breakerApp.draftsIdle();
    }
    llm.faults.length = 0;
    const calls = llm.requests.length;
    const id = await handOff(breakerApp, 'Zebra-striped socks, do you have those?');
    await breakerApp.draftsIdle();
    expect(llm.requests.length).toBe(calls);
    const detail = (await api(breakerApp, agent.token, 'GET', `/api/conversations/${id}`)).body;
    expect(detail.drafting).toMatchObject({ paused: 'breaker', breaker: { state: 'open', opened: 1 } });
    expect(detail.drafts).toMatchObject([{ status: 'skipped', reason: 'breaker' }]);
    expect(detail.conversation.status).toBe('queued');
  });
});

describe('the monthly budget resets with the (UTC) month', () => {
  let llm: FakeAnthropic;
  let app: Running;
  let at = Date.UTC(2026, 0, 31, 23, 0);

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    app = await startApp(llmEnv(llm, { LLM_MONTHLY_BUDGET: '0.000001' }), undefined, { clock: { now: () => new Date(at) } });
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
  });

  it('paused at the end of January, drafting again on the first of February', async () => {
    llm.reply = citing('January draft.');
    const first = await handOff(app, 'Do you sell purple giraffes?');
    await app.draftsIdle();
    expect((await app.store.read((r) => r.drafts.list(first)))[0]?.status).toBe('ready');
    const second = await handOff(app, 'Could a penguin rent my garage?');
    await app.draftsIdle();
    expect((await app.store.read((r) => r.drafts.list(second)))[0]).toMatchObject({ status: 'skipped', statusReason: 'budget' });

    at = Date.UTC(2026, 1, 1, 0, 5);
    llm.reply = citing('February draft.');
    const third = await handOff(app, 'Can my hamster borrow your forklift?');
    await app.draftsIdle();
    expect((await app.store.read((r) => r.drafts.list(third)))[0]).toMatchObject({ status: 'ready', text: 'February draft.' });
  });
});
