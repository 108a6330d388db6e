import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { conversationOf } from '../support/conversations.js';
import { telegramHarness, type TelegramAppHarness } from '../channels/telegram.js';

describe('Telegram customers through the running app (long polling, SQLite)', () => {
  let h: TelegramAppHarness;
  let fake: FakeTelegramBotApi;
  let app: Running;
  let agent: { id: string; token: string };

  beforeAll(async () => {
    h = await telegramHarness();
    ({ fake, app } = h);
    agent = await app.createAgent('Agent Smith');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers a FAQ question in the same chat and records it as sent', async () => {
    const ann = { id: 2001, first_name: 'Ann', language_code: 'en' };
    fake.pushMessage(ann, { text: 'How do I return an item?' });
    await fake.waitFor(() => fake.sentTo(ann.id).length === 1, 10_000, 'FAQ answer');
    const shown = fake.sentTo(ann.id)[0]!.shown;
    expect(shown).toMatch(/return unused items within 30 days/i);
    expect(shown).toContain('Start a return under My account → Orders → Return,');

    const conv = await conversationOf(app, agent.token, 'telegram', 'Ann');
    expect(conv.status).toBe('bot');
    const [question, answer] = await eventually(
      async () => {
        const c = await conversationOf(app, agent.token, 'telegram', 'Ann');
        return c.messages[1]?.delivery === 'sent' ? c.messages : undefined;
      },
      10_000,
      'answer marked sent',
    );
    expect(question).toMatchObject({ direction: 'in', author: 'customer', text: 'How do I return an item?' });
    expect(answer).toMatchObject({ direction: 'out', author: 'bot', externalId: `${ann.id}:${fake.sentTo(ann.id)[0]!.message_id}` });
  });

  it('greets /start, and hands an unknown question to an agent whose reply arrives in the same chat', async () => {
    const ben = { id: 2002, first_name: 'Ben', language_code: 'en' };
    fake.pushMessage(ben, { text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
    await fake.waitFor(() => fake.sentTo(ben.id).length === 1, 10_000, 'greeting');
    expect(fake.sentTo(ben.id)[0]!.text).toMatch(/support assistant/i);

    const question = fake.pushMessage(ben, { text: 'My cat sings opera at night, is that normal?' });
    await fake.waitFor(() => fake.sentTo(ben.id).length === 2, 10_000, 'holding reply');
    expect(fake.sentTo(ben.id)[1]!.text).toMatch(/a person will reply/i);

    const conv = await conversationOf(app, agent.token, 'telegram', 'Ben');
    expect(conv.status).toBe('queued');
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    const text = 'Lavender is what the warehouse uses against moths; it is harmless. Sorry for the surprise!';
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text })).status).toBe(201);

    await fake.waitFor(() => fake.sentTo(ben.id).length === 3, 10_000, 'agent reply');
    const delivered = fake.sentTo(ben.id)[2]!;
    expect(delivered.text).toBe(text);
    // The holding reply came in between, so the answer quotes the question it answers.
    expect(delivered.reply_to_message_id).toBe(question.message!.message_id);
  });

  it('hands off on /human', async () => {
    const cai = { id: 2003, first_name: 'Cai', language_code: 'zh' };
    fake.pushMessage(cai, { text: '/human', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
    await fake.waitFor(() => fake.sentTo(cai.id).length === 1, 10_000, 'holding reply');
    expect((await conversationOf(app, agent.token, 'telegram', 'Cai')).status).toBe('queued');
  });

  it('keeps photos and documents as attachments agents can see', async () => {
    const gus = { id: 2007, first_name: 'Gus', language_code: 'en' };
    // A file the fake really serves, so a pipeline that downloads files at ingest gets its bytes.
    const photoId = fake.addFile(Buffer.alloc(51_200, 9), 'photos/file_7.jpg');
    fake.pushMessage(gus, {
      caption: 'The box arrived crushed',
      photo: [{ file_id: photoId, file_unique_id: 'AQAD1', width: 800, height: 600, file_size: 51_200 }],
    });
    const conv = await eventually(
      async () => {
        const c = await conversationOf(app, agent.token, 'telegram', 'Gus');
        return c.messages.length ? c : undefined;
      },
      10_000,
      'photo stored',
    );
    expect(conv.messages[0]).toMatchObject({
      text: 'The box arrived crushed',
      attachments: [expect.objectContaining({ name: 'photo_AQAD1.jpg', mime: 'image/jpeg' })],
    });
  });
});

describe('Telegram across a restart of the app', () => {
  it('answers what arrived while it was down, and nothing twice when Telegram re-sends after a crash', async () => {
    const h = await telegramHarness();
    const { fake } = h;
    const jo = { id: 4001, first_name: 'Jo', language_code: 'en' };
    try {
      const first = fake.pushMessage(jo, { text: 'How do I return an item?' });
      await fake.waitFor(() => fake.sentTo(jo.id).length === 1, 10_000, 'first answer');
      await h.restart(() => {
        expect(fake.pendingCount).toBe(0);
        fake.pushMessage(jo, { text: 'How long does shipping take?' });
        // As if the acknowledgement of the first update had been lost in a crash.
        fake.redeliver(first);
      });
      await fake.waitFor(() => fake.sentTo(jo.id).length === 2 && fake.pendingCount === 0, 10_000, 'answer after restart');
      const agent = await h.app.createAgent('Restart Agent');
      const conv = await eventually(
        async () => {
          const c = await conversationOf(h.app, agent.token, 'telegram', 'Jo');
          return c.messages.length === 4 && c.messages.every((m) => m.direction === 'in' || m.delivery === 'sent') ? c : undefined;
        },
        10_000,
        'both answers recorded',
      );
      expect(conv.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(fake.sentTo(jo.id)).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});

describe('Telegram webhook mode through the running app', () => {
  const secret = 'e2e-webhook-secret';
  let fake: FakeTelegramBotApi;
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    fake = await FakeTelegramBotApi.start();
    fake.webhookRetryMs = 50;
    dir = await tempDir();
    // The public URL must be known before start, so take a free port for the app up front.
    const port = await freePort();
    app = await startApp(
      {
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: secret,
      },
      dir.path,
    );
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await dir?.rm();
  });

  const update = (id: number, text: string) => ({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 3001, type: 'private', first_name: 'Hal' },
      from: { id: 3001, is_bot: false, first_name: 'Hal' },
      text,
    },
  });

  function post(body: unknown, headerSecret?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (headerSecret !== undefined) headers['x-telegram-bot-api-secret-token'] = headerSecret;
    return fetch(`${app.url}/telegram/webhook`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  it('registers the webhook with the secret', () => {
    expect(fake.webhookInfo).toMatchObject({ url: `${app.url}/telegram/webhook`, secret });
  });

  it('refuses a wrong or missing secret with 401 and ingests nothing', async () => {
    expect((await post(update(1, 'How do I return an item?'), 'wrong')).status).toBe(401);
    expect((await post(update(2, 'How do I return an item?'))).status).toBe(401);
    const agent = await app.createAgent('Webhook Agent');
    const list = await api(app, agent.token, 'GET', '/api/conversations');
    expect(list.body.items).toEqual([]);
  });

  it('answers updates Telegram posts, once even when an update is posted twice', async () => {
    const ivy = { id: 3002, first_name: 'Ivy', language_code: 'en' };
    const pushed = fake.pushMessage(ivy, { text: 'How do I return an item?' });
    await fake.waitFor(() => fake.sentTo(ivy.id).length === 1 && fake.pendingCount === 0, 10_000, 'answer via webhook');
    expect(fake.sentTo(ivy.id)[0]!.text).toMatch(/30 days/);

    expect((await post(pushed, secret)).status).toBe(200);
    fake.redeliver(pushed);
    fake.pushMessage(ivy, { text: 'How long does shipping take?' });
    await fake.waitFor(() => fake.sentTo(ivy.id).length >= 2 && fake.pendingCount === 0, 10_000, 'second answer');
    const agent = await app.createAgent('Webhook Agent 2');
    const conv = await eventually(
      async () => {
        const c = await conversationOf(app, agent.token, 'telegram', 'Ivy');
        return c.messages.length === 4 ? c : undefined;
      },
      10_000,
      'four messages',
    );
    expect(conv.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
    expect(fake.sentTo(ivy.id)).toHaveLength(2);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
