import { afterEach, describe, expect, it } from 'vitest';
import { alice, bo, gate, serveRoutes, startHarness, type Harness } from './harness.js';

const SECRET = 'webhook-secret_123';
let h: Harness;
let app: Awaited<ReturnType<typeof serveRoutes>> | undefined;

afterEach(async () => {
  await h?.close();
  await app?.close();
  app = undefined;
});

/** The app listens first (its URL goes into setWebhook), then the adapter is built and started. */
async function startWebhook(): Promise<void> {
  app = await serveRoutes(() => h?.adapter.routes ?? []);
  h = await startHarness({ webhook: { url: `${app.url}/telegram/webhook`, secret: SECRET } }, { start: false });
  h.fake.webhookRetryMs = 20;
  await h.adapter.start(h.recorder.deliver);
}

function post(body: unknown, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(`${app!.url}/telegram/webhook`, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('Telegram webhook', () => {
  it('registers the webhook with its secret and serves it at the URL path', async () => {
    await startWebhook();
    expect(h.adapter.routes?.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /telegram/webhook']);
    expect(h.fake.webhookInfo).toMatchObject({ url: `${app!.url}/telegram/webhook`, secret: SECRET });
  });

  it('answers 200 only after the update is stored; Telegram then forgets it', async () => {
    await startWebhook();
    const hold = gate();
    h.recorder.before = () => hold.promise;
    h.fake.pushMessage(alice, { text: 'via webhook' });
    await h.fake.waitFor(() => h.recorder.attempts.length === 1, 5000, 'webhook delivery');
    expect(h.fake.pendingCount).toBe(1);
    hold.open();
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'confirmed by 200');
    expect(h.recorder.texts()).toEqual(['via webhook']);
  });

  it('refuses a request with a missing or wrong secret with 401 and stores nothing', async () => {
    await startWebhook();
    const update = {
      update_id: 5,
      message: {
        message_id: 1,
        date: 1_700_000_000,
        chat: { id: 1, type: 'private' },
        from: { id: 1, is_bot: false, first_name: 'M' },
        text: 'forged',
      },
    };
    const missing = await post(update);
    const wrong = await post(update, 'not-the-secret');
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(h.recorder.attempts).toHaveLength(0);
  });

  it('rejects a body that is not an update with 400', async () => {
    await startWebhook();
    expect((await post({ hello: 'world' }, SECRET)).status).toBe(400);
    expect(h.recorder.attempts).toHaveLength(0);
  });

  it('answers non-2xx when storing fails, so Telegram delivers again; stored once in the end', async () => {
    await startWebhook();
    h.recorder.failNext(2);
    h.fake.pushMessage(alice, { text: 'retry me' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'delivered after retries');
    expect(h.recorder.attempts).toHaveLength(3);
    expect(h.recorder.texts()).toEqual(['retry me']);
  });

  it('stores a re-delivered update (same update_id) once and keeps chats in order', async () => {
    await startWebhook();
    const first = h.fake.pushMessage(alice, { text: 'a1' });
    h.fake.pushMessage(bo, { text: 'b1' });
    h.fake.pushMessage(alice, { text: 'a2' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'all delivered');
    h.fake.redeliver(first);
    await h.fake.waitFor(() => h.fake.pendingCount === 0 && h.recorder.attempts.length === 4, 5000, 'redelivery');
    expect(h.recorder.texts(String(alice.id))).toEqual(['a1', 'a2']);
    expect(h.recorder.texts(String(bo.id))).toEqual(['b1']);
  });

  it('answers 503 after stop, so Telegram keeps the update for the next start', async () => {
    await startWebhook();
    await h.adapter.stop();
    const res = await post({ update_id: 9, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'x' } }, SECRET);
    expect(res.status).toBe(503);
  });
});
