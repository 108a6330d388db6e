/**
 * Faults at the Telegram edge, through the real app and the Bot API fake: timeouts,
 * connection resets, 429 with retry_after, a 5xx storm, a permanent 4xx, and an outage
 * longer than the give-up horizon. The outbox backs off, honours retry_after, gives up
 * visibly, and web-chat replies keep flowing while Telegram is down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import type { OutboxRow } from '../../src/store/ports.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';

const isSend = (req: { url?: string }) => req.url?.endsWith('/sendMessage') ?? false;

describe('Telegram faults: the outbox backs off, honours retry-after, gives up visibly, other channels flow', () => {
  let fake: FakeTelegramBotApi;
  let app: Running;
  let admin: { token: string };
  let nextChat = 9_100;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    fake = await FakeTelegramBotApi.start();
    dir = await tempDir();
    app = await startApp({
      DATA_DIR: dir.path,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      OUTBOX_SEND_TIMEOUT_MS: '700',
      OUTBOX_GIVE_UP_AFTER: '8s',
    });
    admin = await app.createAgent('Ops', 'admin');
  });
  afterEach(() => fake.connectionFaults.clear());
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await dir?.rm();
  });

  /** A customer asks on Telegram; resolves with the outbox row of the bot's reply once `done` holds for it. */
  async function ask(done: (row: OutboxRow) => boolean, ms = 25_000): Promise<{ chat: number; row: OutboxRow }> {
    const chat = nextChat++;
    fake.pushMessage({ id: chat }, { text: 'How do I return an item?' });
    const row = await eventually(
      async () => {
        const all = await app.store.tx(async (r) => {
          const c = await r.conversations.latestForThread('telegram', String(chat));
          if (!c) return undefined;
          const msgs = await r.messages.list(c.id, { includeInternal: false });
          const out = await r.outbox.forMessages(msgs.filter((m) => m.direction === 'out').map((m) => m.id));
          return [...out.values()][0];
        });
        return all && done(all) ? all : undefined;
      },
      ms,
      `the reply to chat ${chat}`,
    );
    return { chat, row };
  }
  const sendsTo = (chat: number) => fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chat);

  it('a send that never answers times out and is retried; delivered once when Telegram answers again', async () => {
    fake.connectionFaults.inject('hang', { match: isSend });
    const hungBefore = fake.connectionFaults.faulted;
    const chat = nextChat;
    const asked = ask((r) => r.status === 'sent', 40_000);
    await eventually(() => fake.connectionFaults.faulted >= hungBefore + 2, 25_000, 'two timed-out attempts');
    fake.connectionFaults.clear();
    const { row } = await asked;
    expect(row.attempts).toBeGreaterThanOrEqual(3);
    expect(fake.sentTo(chat)).toHaveLength(1);
  }, 60_000);

  it('connection resets are retried; delivered once', async () => {
    fake.connectionFaults.inject('reset', { match: isSend, times: 3 });
    const { chat, row } = await ask((r) => r.status === 'sent');
    expect(row.attempts).toBe(4);
    expect(fake.sentTo(chat)).toHaveLength(1);
  });

  it('429 with retry_after: the next attempt waits at least that long', async () => {
    fake.failNext({
      method: 'sendMessage',
      error_code: 429,
      description: 'Too Many Requests: retry after 2',
      parameters: { retry_after: 2 },
    });
    const { chat, row } = await ask((r) => r.status === 'sent');
    expect(row.attempts).toBe(2);
    const [refused, accepted] = sendsTo(chat);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(2_000);
  });

  it('a 5xx storm is retried with growing, jittered pauses; delivered once', async () => {
    fake.failNext({ method: 'sendMessage', error_code: 502, description: 'Bad Gateway', times: 3 });
    const { chat, row } = await ask((r) => r.status === 'sent');
    expect(row.attempts).toBe(4);
    const at = sendsTo(chat).map((c) => c.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Doubling from 500 ms, each pause spread over [half, full]: 250–500, 500–1000, 1000–2000 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[2]).toBeGreaterThanOrEqual(990);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(fake.sentTo(chat)).toHaveLength(1);
  });

  it('a permanent 4xx fails at once, visibly', async () => {
    fake.failNext({ method: 'sendMessage', error_code: 400, description: 'Bad Request: chat not found' });
    const { chat, row } = await ask((r) => r.status === 'failed');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('chat not found');
    expect(sendsTo(chat)).toHaveLength(1);
  });

  it('down past the horizon: the reply is marked failed with a delivery event, while web chat keeps answering', async () => {
    fake.connectionFaults.inject('reset', { match: isSend });
    const asked = ask((r) => r.status === 'failed', 20_000);
    // Meanwhile another channel's replies flow at their usual pace.
    const customer = await WebchatCustomer.open(app.url);
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      await customer.say('Where is my order?');
      await eventually(async () => (await customer.history()).items.length === 2 * (i + 1), 5_000, 'the web-chat reply');
      expect(Date.now() - t).toBeLessThan(5_000);
    }
    const { row } = await asked;
    fake.connectionFaults.clear();
    expect(row.lastError).toMatch(/^gave up after \d+ attempts: telegram_unreachable/);
    expect(row.attempts).toBeGreaterThanOrEqual(4);
    const detail = await api(app, admin.token, 'GET', `/api/conversations/${row.conversationId}`);
    const reply = detail.body.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(reply).toMatchObject({ delivery: 'failed', deliveryError: row.lastError });
    const events = await app.store.tx((r) => r.events.after(0, { limit: 5000 }));
    expect(events.some((e) => e.conversationId === row.conversationId && e.type === 'delivery' && e.data.includes('"failed"'))).toBe(true);
  }, 40_000);
});
