import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('web chat customer → FAQ bot → human queue → back (real HTTP, SQLite)', () => {
  let app: Running;
  let llm: FakeAnthropic;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = () => 'Hello! Your parcel is on its way; we will send the tracking link shortly.';
    dir = await tempDir();
    app = await startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url }, dir.path);
    alice = await app.createAgent('Alice');
    bob = await app.createAgent('Bob');
  });

  afterAll(async () => {
    await app?.stop();
    await llm?.close();
    await dir?.rm();
  });

  it('answers a FAQ question, hands off an unknown one with a draft, and delivers the agent reply on the stream', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const stream = customer.stream();

    expect((await customer.say('How do I return an item?')).status).toBe(202);
    const faqAnswer = await eventually(async () => stream.items.find((i) => i.direction === 'out'), 10_000, 'FAQ answer');
    expect(faqAnswer.author).toBe('bot');
    expect(faqAnswer.text).toMatch(/return unused items within 30 days/i);

    await customer.say('My cat sings opera at night and smells of lavender, is that normal?');
    const holding = await eventually(async () => stream.items.filter((i) => i.direction === 'out')[1], 10_000, 'holding reply');
    expect(holding.text).toMatch(/a person will reply/i);

    const queued = await eventually(
      async () => {
        const list = await api(app, alice.token, 'GET', '/api/conversations?status=queued');
        return list.body.items[0];
      },
      10_000,
      'queued conversation',
    );
    expect(queued.channel).toBe('webchat');
    expect(queued.lastMessage.text).toMatch(/holding|person will reply/i);
    expect(queued.waitingSince).not.toBeNull();

    const detail = await eventually(
      async () => {
        const d = await api(app, alice.token, 'GET', `/api/conversations/${queued.id}`);
        return d.body.drafts[0]?.status === 'ready' ? d.body : undefined;
      },
      10_000,
      'draft',
    );
    expect(detail.drafts[0]).toMatchObject({
      kind: 'llm',
      text: 'Hello! Your parcel is on its way; we will send the tracking link shortly.',
    });
    const sent = llm.requests.at(-1)!;
    expect(JSON.stringify(sent.body)).toContain('smells of lavender');
    // Beside them, possibly, the generated summary note (internal, never sent).
    const visible = detail.messages.filter((m: { direction: string }) => m.direction !== 'internal');
    expect(visible.map((m: { author: string }) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);

    expect((await api(app, alice.token, 'POST', `/api/conversations/${queued.id}/claim`)).status).toBe(200);
    const second = await api(app, bob.token, 'POST', `/api/conversations/${queued.id}/claim`);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');
    expect((await api(app, bob.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: 'hi' })).status).toBe(403);

    const reply = await api(app, alice.token, 'POST', `/api/conversations/${queued.id}/messages`, {
      text: detail.drafts[0].text,
      draftId: detail.drafts[0].id,
    });
    expect(reply.status).toBe(201);
    const agentMsg = await eventually(async () => stream.items.find((i) => i.author === 'agent'), 10_000, 'agent reply on stream');
    expect(agentMsg.text).toBe(detail.drafts[0].text);

    const resolved = await api(app, alice.token, 'POST', `/api/conversations/${queued.id}/resolve`);
    expect(resolved.body.conversation.status).toBe('resolved');
    expect(
      (await api(app, alice.token, 'GET', '/api/conversations?status=resolved')).body.items.map((c: { id: string }) => c.id),
    ).toContain(queued.id);

    // Resolving asks for a rating; a bare "5" is recorded, thanked and closes the conversation.
    const question = await eventually(async () => stream.items.find((i) => /1 \(poor\) to 5/.test(i.text)), 10_000, 'CSAT question');
    expect(question.author).toBe('bot');
    await customer.say('5');
    await eventually(async () => stream.items.find((i) => /thank you for your feedback/i.test(i.text)), 10_000, 'CSAT thanks');
    const rated = (await api(app, alice.token, 'GET', `/api/conversations/${queued.id}`)).body.conversation;
    expect(rated).toMatchObject({ status: 'closed', csat: 5 });

    // The stream and the history endpoint agree, in order, with nothing twice.
    const history = await customer.history();
    expect(history.items.map((i) => i.id)).toEqual(stream.items.map((i) => i.id));
    stream.close();
  });

  it('reconnecting with Last-Event-ID replays only what was missed', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const first = customer.stream();
    await customer.say('hello');
    await eventually(async () => first.items.length >= 2 && first.lastEventId, 10_000, 'greeting');
    first.close();
    const cursor = first.lastEventId!;
    await customer.say('thank you');
    const second = customer.stream(cursor);
    await eventually(async () => second.items.length >= 2, 10_000, 'missed messages');
    expect(second.items.map((i) => i.text)[0]).toBe('thank you');
    expect(second.items.some((i) => first.items.some((f) => f.id === i.id))).toBe(false);
    second.close();
  });

  it('"human" and "人工" always hand off, even for a question the FAQ knows', async () => {
    for (const word of ['human', '人工']) {
      const customer = await WebchatCustomer.open(app.url);
      await customer.say(word);
      const items = await eventually(
        async () => {
          const h = await customer.history();
          return h.items.length >= 2 ? h.items : undefined;
        },
        10_000,
        'hand-off reply',
      );
      expect(items[1]!.author).toBe('bot');
      expect(items[1]!.text).toMatch(word === '人工' ? /人工客服/ : /person will reply/);
    }
  });

  it('a duplicate clientMessageId stores one message and sends one reply', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const a = await customer.say('How do I return an item?', 'client-1');
    const b = await customer.say('How do I return an item?', 'client-1');
    expect(a.status).toBe(202);
    expect(b.body.messageId).toBe(a.body.messageId);
    await eventually(async () => (await customer.history()).items.length >= 2, 10_000, 'reply');
    await app.draftsIdle();
    await new Promise((r) => setTimeout(r, 300));
    const items = (await customer.history()).items;
    expect(items.filter((i) => i.direction === 'in')).toHaveLength(1);
    expect(items.filter((i) => i.direction === 'out')).toHaveLength(1);
  });
});
