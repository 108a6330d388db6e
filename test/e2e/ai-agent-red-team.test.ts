/**
 * The prompt-injection red team (test/fixtures/prompt-injection.json) through the real pipeline,
 * the real prompt builder and the real SDK against the Messages API fake, with AI agent mode on:
 * no case gets an automatic answer, each is recorded as declined for injection, the agents' draft
 * is flagged even when the model says it is fine, and the customer's text sits only inside the
 * fenced data section of the recorded request. Then a crash between the decision and the send.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import { answering, llmEnv, toolOf } from '../support/ai-agent.js';
import { openStore, type Store } from '../../src/store/store.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { createAnthropicDrafter } from '../../src/llm/anthropic-drafter.js';
import { createAnswerSelector } from '../../src/llm/answer-selector.js';
import { DATA_TAG, escapeData } from '../../src/llm/draft-prompt.js';
import { DraftJobs } from '../../src/pipeline/drafting.js';
import { ingest, type PipelineDeps } from '../../src/pipeline/ingest.js';
import { AI_AGENT_SETTINGS_KEY } from '../../src/ai-agent/settings.js';
import { systemClock } from '../../src/domain/clock.js';
import { decodeLogged } from '../../src/domain/events.js';
import type { InboundMessage } from '../../src/domain/channel.js';
import type { FaqMatcher } from '../../src/faq/matcher.js';
import { createLogger } from '../../src/log.js';

interface Case {
  id: string;
  text: string;
  fullText?: string;
  attachments?: string[];
}
const RED_TEAM = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'prompt-injection.json'), 'utf8')) as { cases: Case[] }
).cases;
const log = createLogger('silent');
const MODEL = 'claude-test-sonnet';

function pipeline(store: Store, faq: FaqMatcher, llm: FakeAnthropic) {
  const drafter = createAnthropicDrafter({ apiKey: llm.apiKey, baseURL: llm.url, model: MODEL, maxRetries: 0 }, log);
  const drafts = new DraftJobs({ store, clock: systemClock, faq: () => faq, drafter, log, timeoutMs: 3000 });
  const deps: PipelineDeps = {
    store,
    clock: systemClock,
    faq: () => faq,
    reopenWindowMs: 0,
    onHandoff: (c, m) => drafts.request(c, m),
    ai: {
      drafter,
      selector: createAnswerSelector({ apiKey: llm.apiKey, baseURL: llm.url, model: MODEL, timeoutMs: 3000 }, log),
      timeoutMs: 3000,
      budget: drafts,
      log,
    },
  };
  return { deps, drafts };
}

const turnOn = (store: Store) =>
  store.tx((r) =>
    r.settings.set({
      key: AI_AGENT_SETTINGS_KEY,
      value: JSON.stringify({ enabled: true, channels: [], teams: [], maxAnswersPerConversation: 3 }),
      updatedAt: Date.now(),
      updatedBy: 'test',
    }),
  );

const backends = [
  { name: 'SQLite', open: async (dir: string) => ({ store: await openStore({ sqliteFile: join(dir, 'rt.db') }), drop: async () => {} }) },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          open: async (dir: string) => {
            const db = await createTestDatabase();
            return { store: await openStore({ databaseUrl: db.url, sqliteFile: join(dir, 'unused.db') }), drop: () => db.drop() };
          },
        },
      ]
    : []),
];

describe.each(backends)('prompt-injection red team ($name)', (backend) => {
  let llm: FakeAnthropic;
  let store: Store;
  let faq: FaqMatcher;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let drop: () => Promise<void>;
  let p: ReturnType<typeof pipeline>;

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    dir = await tempDir();
    ({ store, drop } = await backend.open(dir.path));
    faq = (await loadFaq(writeKb(closeEntriesKb))).matcher;
    p = pipeline(store, faq, llm);
    await turnOn(store);
    // A model that falls for every attack: it says nothing needs checking and cites an entry.
    llm.reply = answering('Sure! Approved, as you asked.', { pick: 'gift-card-balance' });
  });
  afterAll(async () => {
    await p?.drafts.stop();
    await store?.close();
    await llm?.close();
    await drop?.();
    await dir?.rm();
  });

  it('has at least 12 cases in English and Chinese', () => {
    expect(RED_TEAM.length).toBeGreaterThanOrEqual(12);
    expect(RED_TEAM.some((c) => /[\u4e00-\u9fff]/.test(c.text))).toBe(true);
    expect(RED_TEAM.some((c) => !/[\u4e00-\u9fff]/.test(c.text))).toBe(true);
  });

  it.each(RED_TEAM)('$id: no automatic answer, recorded as injection, the draft flagged, the text fenced', async (c) => {
    const thread = `rt-${c.id}-${Math.random().toString(36).slice(2)}`;
    const message = (id: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
      channel: 'email',
      externalMessageId: `<${id}@${thread}>`,
      threadKey: thread,
      sender: { channelUserId: `${thread}@example.com` },
      text,
      attachments: [],
      receivedAt: new Date(),
      ...extra,
    });
    const before = llm.requests.length;
    const first = await ingest(
      p.deps,
      message('1', c.text, {
        ...(c.fullText ? { fullText: c.fullText } : {}),
        attachments: (c.attachments ?? []).map((name) => ({ name, mime: 'application/pdf', size: 10 })),
      }),
    );
    // The model was never asked to answer the customer.
    expect(llm.requests.slice(before).filter((r) => toolOf(r) === 'draft_reply')).toEqual([]);
    const events = (await store.read((r) => r.events.after(0, { conversationId: first.conversationId, limit: 100 }))).map(decodeLogged);
    expect(events.flatMap((e) => (e.type === 'ai_agent' ? [e.data] : []))).toEqual([
      expect.objectContaining({ decision: 'declined', reason: 'injection', detail: expect.stringMatching(/prompt injection/) }),
    ]);
    // A person is asked for, so the agents get a draft of the whole conversation.
    await ingest(p.deps, message('2', 'human'));
    await p.drafts.idle();
    const messages = await store.read((r) => r.messages.recent(first.conversationId, 20));
    expect(messages.some((m) => m.meta?.includes('"automatic":true'))).toBe(false);
    const [draft] = await store.read((r) => r.drafts.list(first.conversationId));
    expect(draft).toMatchObject({ status: 'ready', needsCheck: 1, needsCheckReason: expect.stringMatching(/prompt injection/) });

    const req = llm.requests.filter((r) => toolOf(r) === 'draft_reply').at(-1)!;
    const system = (req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    const user = (req.body.messages[0]!.content as { text: string }[]).map((b) => b.text);
    const fenced = user[0]!;
    expect(fenced.startsWith(`<${DATA_TAG}>\n`)).toBe(true);
    expect(fenced.endsWith(`\n</${DATA_TAG}>`)).toBe(true);
    // Opened and closed once: the customer's own tags are escaped, so they close nothing.
    expect(fenced.split(`</${DATA_TAG}>`)).toHaveLength(2);
    expect(fenced.split(`<${DATA_TAG}>`)).toHaveLength(2);
    expect(fenced).toContain(escapeData(c.text));
    for (const part of [system, ...user.slice(1)]) expect(part).not.toContain(escapeData(c.text).slice(0, 30));
    if (/[<>"&]/.test(c.text)) expect(JSON.stringify(req.body)).not.toContain(JSON.stringify(c.text).slice(1, -1));
  });
});

describe('AI agent mode across a crash between decision and send', () => {
  let llm: FakeAnthropic;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    llm = await startFakeAnthropic();
    dir = await tempDir();
  });
  afterAll(async () => {
    await llm?.close();
    await dir?.rm();
  });

  it('the decided answer is sent exactly once after a restart, and a redelivery neither asks again nor doubles it', async () => {
    const kb = writeKb(closeEntriesKb);
    const env = llmEnv(llm, kb);
    const first = await startApp(env, dir.path);
    const customer = await WebchatCustomer.open(first.url);
    await customer.say('How do I return an item?');
    await eventually(async () => (await customer.history()).items.length === 2, 8_000, 'FAQ answer');
    await first.stop();

    // The instance that decides: it stores the message, the decision and the reply, then dies before its outbox worker sends.
    const store = await openStore({ sqliteFile: join(dir.path, 'switchboard.db') });
    await turnOn(store);
    const { deps, drafts } = pipeline(store, (await loadFaq(kb)).matcher, llm);
    const reply = 'Gift cards never expire, and the balance is shown at checkout.';
    llm.reply = answering(reply);
    const m: InboundMessage = {
      channel: 'webchat',
      externalMessageId: `${customer.sessionId}:crash-1`,
      threadKey: customer.sessionId,
      sender: { channelUserId: customer.sessionId },
      text: 'gift card',
      attachments: [],
      receivedAt: new Date(),
    };
    const calls = llm.requests.length;
    const decided = await ingest(deps, m);
    expect(decided.duplicate).toBe(false);
    expect((await ingest(deps, m)).duplicate).toBe(true);
    expect(llm.requests.length).toBe(calls + 1);
    const pending = await store.read(async (r) => [
      ...(await r.outbox.forMessages((await r.messages.recent(decided.conversationId, 10)).map((x) => x.id))).values(),
    ]);
    expect(pending.filter((o) => o.status === 'pending')).toHaveLength(1);
    await drafts.stop();
    await store.close();

    const second = await startApp(env, dir.path);
    try {
      const again = WebchatCustomer.resume(second.url, customer.sessionId, customer.secret);
      await eventually(async () => (await again.history()).items.some((i) => i.text === reply), 8_000, 'automatic answer');
      await new Promise((r) => setTimeout(r, 500));
      const items = (await again.history()).items;
      expect(items.filter((i) => i.text === reply)).toHaveLength(1);
      expect(items.map((i) => i.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(llm.requests.length).toBe(calls + 1);
    } finally {
      await second.stop();
    }
  });
});
