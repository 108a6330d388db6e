import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { openStore } from '../../src/store/store.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { verify, webhookReceiver, type Received } from '../support/webhook-receiver.js';

const METRICS_TOKEN = 'webhook-metrics-token-1234';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks', () => {
  let app: Running;
  let admin: string;
  let agent: string;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    app = await startApp({ METRICS_TOKEN, WEBHOOK_ALLOW_PRIVATE: 'true' });
    admin = (await app.createAgent('Webhook Admin', 'admin')).token;
    agent = (await app.createAgent('Webhook Agent', 'agent')).token;
  });
  afterAll(async () => {
    for (const c of closers) await c();
    await app?.stop();
  });
  const receiver = async (...args: Parameters<typeof webhookReceiver>) => {
    const r = await webhookReceiver(...args);
    closers.push(() => r.close());
    return r;
  };
  const create = async (url: string, events: string[] | '*') => {
    const res = await api(app, admin, 'POST', '/api/webhooks', { url, events });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; url: string; events: string[] };
  };
  const remove = async (id: string) => expect((await api(app, admin, 'DELETE', `/api/webhooks/${id}`)).status).toBe(204);
  const messageIn = (r: Received) => r.body.type === 'message' && (r.body.data as { direction: string }).direction === 'in';

  it('signs each request so the documented check verifies it, and shows the secret only once', async () => {
    const rx = await receiver();
    const hook = await create(rx.url, ['message']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const listed = await api(app, admin, 'GET', '/api/webhooks');
    expect(listed.status).toBe(200);
    const mine = (listed.body.items as Record<string, unknown>[]).find((w) => w.id === hook.id);
    expect(mine).toMatchObject({ url: rx.url, events: ['message'] });
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
    expect(mine).not.toHaveProperty('secret');

    const customer = await WebchatCustomer.open(app.url);
    await customer.say('Hello <b>there</b> "quoted"');
    const got = await eventually(() => rx.received.find(messageIn), 10_000, 'the message event');
    expect(got.path).toBe('/hook');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-switchboard-event']).toBe('message');
    expect(got.headers['x-switchboard-delivery']).toBe(got.body.id);
    const signature = String(got.headers['x-switchboard-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(hook.secret, got.raw, signature)).toBe(true);
    // A changed body, another secret or an old timestamp do not verify.
    expect(verify(hook.secret, got.raw.replace('message', 'messagE'), signature)).toBe(false);
    expect(verify(`${hook.secret}x`, got.raw, signature)).toBe(false);
    expect(verify(hook.secret, got.raw, signature, -1)).toBe(false);
    expect(got.body).toMatchObject({ id: expect.stringMatching(/^\d+$/), type: 'message', conversationId: expect.any(String) });
    expect(new Date(got.body.createdAt).toISOString()).toBe(got.body.createdAt);
    expect(got.body.data).toMatchObject({ direction: 'in', author: 'customer', messageId: expect.any(String) });

    // Rotating: the new secret signs from then on, the old one no longer verifies.
    const rotated = await api(app, admin, 'POST', `/api/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const before = rx.received.length;
    await customer.say('after the rotation');
    const next = await eventually(() => rx.received.slice(before).find(messageIn), 10_000, 'a message after rotation');
    expect(verify(rotated.body.secret as string, next.raw, String(next.headers['x-switchboard-signature']))).toBe(true);
    expect(verify(hook.secret, next.raw, String(next.headers['x-switchboard-signature']))).toBe(false);

    const audit = await api(app, admin, 'GET', '/api/audit?limit=500');
    const actions = (audit.body.items as { action: string; subjectId: string }[])
      .filter((a) => a.subjectId === hook.id)
      .map((a) => a.action);
    expect(actions).toEqual(['webhook.create', 'webhook.rotate_secret']);
    expect(JSON.stringify(audit.body)).not.toContain(hook.secret);
    await remove(hook.id);
  });

  it('retries a receiver that fails twice (500, then a dropped connection): each event arrives on the third try, once, with one id', async () => {
    const rx = await receiver((_r, earlier) => (earlier.length === 0 ? 500 : earlier.length === 1 ? 'drop' : 200));
    const hook = await create(rx.url, ['message']);
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('please retry me');
    const ids = await eventually(
      () => {
        const byId = new Map<string, Received[]>();
        for (const r of rx.received) byId.set(r.body.id, [...(byId.get(r.body.id) ?? []), r]);
        return byId.size > 0 && [...byId.values()].every((list) => list.length >= 3) ? [...byId.keys()] : undefined;
      },
      15_000,
      'three attempts at every event',
    );
    // Backoff would have brought a fourth attempt within this pause had the third not counted.
    await pause(2_500);
    for (const id of ids) {
      const attempts = rx.received.filter((r) => r.body.id === id);
      expect(attempts).toHaveLength(3);
      expect(new Set(attempts.map((a) => a.raw)).size).toBe(1);
      expect(attempts.map((a) => a.headers['x-switchboard-delivery'])).toEqual([id, id, id]);
      for (const a of attempts) expect(verify(hook.secret, a.raw, String(a.headers['x-switchboard-signature']))).toBe(true);
    }
    const log = await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items.length).toBe(ids.length);
    for (const d of log.body.items as Record<string, unknown>[]) {
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
      expect(ids).toContain(d.eventId);
      expect(typeof d.deliveredAt).toBe('string');
    }
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const count = (outcome: string) =>
      Number(new RegExp(`^switchboard_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(count('failed')).toBeGreaterThanOrEqual(2 * ids.length);
    expect(count('delivered')).toBeGreaterThanOrEqual(ids.length);
    await remove(hook.id);
  });

  it('sends each webhook only the event types it asked for', async () => {
    const messages = await receiver();
    const statuses = await receiver();
    const everything = await receiver();
    const m = await create(messages.url, ['message']);
    const s = await create(statuses.url, ['status']);
    const all = await create(everything.url, '*');
    expect(all.events).toEqual(['*']);
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('human'); // a hand-off: message events and a status change
    await eventually(() => everything.received.some((r) => r.body.type === 'status'), 10_000, 'a status event');
    await eventually(() => statuses.received.length > 0 && messages.received.length > 0, 10_000, 'both filtered receivers');
    await pause(300);
    expect(new Set(messages.received.map((r) => r.body.type))).toEqual(new Set(['message']));
    expect(new Set(statuses.received.map((r) => r.body.type))).toEqual(new Set(['status']));
    const allIds = new Set(everything.received.map((r) => r.body.id));
    for (const r of [...messages.received, ...statuses.received]) expect(allIds).toContain(r.body.id);
    for (const hook of [m, s, all]) await remove(hook.id);
  });

  it('is for admins only, and refuses bad input with nothing written', async () => {
    const rx = await receiver();
    const hook = await create(rx.url, ['note']);
    for (const [method, path, body] of [
      ['GET', '/api/webhooks', undefined],
      ['POST', '/api/webhooks', { url: rx.url, events: ['message'] }],
      ['DELETE', `/api/webhooks/${hook.id}`, undefined],
      ['POST', `/api/webhooks/${hook.id}/rotate-secret`, undefined],
      ['GET', `/api/webhooks/${hook.id}/deliveries`, undefined],
    ] as const) {
      const res = await api(app, agent, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await fetch(`${app.url}/api/webhooks`)).status).toBe(401);
    const count = async () => (await api(app, admin, 'GET', '/api/webhooks')).body.items.length as number;
    const before = await count();
    for (const [body, field] of [
      [{ url: 'ftp://example.com/hook', events: ['message'] }, 'url'],
      [{ url: 'javascript:alert(1)', events: ['message'] }, 'url'],
      [{ url: `https://example.com/${'a'.repeat(2100)}`, events: ['message'] }, 'url'],
      [{ url: 'https://user:pw@example.com/hook', events: ['message'] }, 'url'],
      [{ url: 'https://example.com/hook', events: ['no_such_event'] }, 'events.0'],
      [{ url: 'https://example.com/hook', events: [] }, 'events'],
      [{ url: 'https://example.com/hook' }, 'events'],
      [{ url: 'https://example.com/hook', events: ['message'], secret: 'mine' }, 'body'],
    ] as const) {
      const res = await api(app, admin, 'POST', '/api/webhooks', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
    }
    expect(await count()).toBe(before);
    expect((await api(app, admin, 'DELETE', '/api/webhooks/no-such-hook')).status).toBe(404);
    expect((await api(app, admin, 'POST', '/api/webhooks/no-such-hook/rotate-secret')).status).toBe(404);
    expect((await api(app, admin, 'GET', '/api/webhooks/no-such-hook/deliveries')).status).toBe(404);
    expect((await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries?cursor=nope`)).status).toBe(400);
    await remove(hook.id);
  });

  it('pages the delivery log newest first', async () => {
    const rx = await receiver();
    const hook = await create(rx.url, ['message']);
    const customer = await WebchatCustomer.open(app.url);
    for (const text of ['one', 'two', 'three']) await customer.say(text);
    await eventually(() => rx.received.length >= 3, 10_000, 'three deliveries');
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.items as { eventId: string }[]).map((d) => d.eventId));
      cursor = page.body.nextCursor as string | null;
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    await remove(hook.id);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const rx = await receiver((r, _earlier, res) => {
      if (r.path !== '/hook') return 200;
      res.writeHead(302, { location: '/elsewhere' }).end();
      return 'handled';
    });
    const hook = await create(rx.url, ['message']);
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('redirect me');
    const log = await eventually(
      async () => {
        const items = (await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries`)).body.items as Record<string, unknown>[];
        return items.find((d) => d.lastStatusCode === 302);
      },
      10_000,
      'a failed attempt',
    );
    expect(log).toMatchObject({ status: 'pending', lastError: 'HTTP 302' });
    expect(rx.received.every((r) => r.path === '/hook')).toBe(true);
    await remove(hook.id);
  });

  it('deleting a webhook stops its deliveries, retries included', async () => {
    const rx = await receiver(() => 500);
    const hook = await create(rx.url, ['message']);
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('into the void');
    // The first attempt failed and is recorded: the delivery now waits for its retry.
    await eventually(
      async () => {
        const items = (await api(app, admin, 'GET', `/api/webhooks/${hook.id}/deliveries`)).body.items as { attempts: number }[];
        return items.length > 0 && items.every((d) => d.attempts >= 1);
      },
      10_000,
      'a failed first attempt',
    );
    await remove(hook.id);
    const after = rx.received.length;
    await customer.say('after the delete');
    await pause(3_000);
    // At most an attempt already on the wire when the delete committed.
    expect(rx.received.length - after).toBeLessThanOrEqual(1);
    expect(rx.received.some((r) => JSON.stringify(r.body).includes('after the delete'))).toBe(false);
    const list = (await api(app, admin, 'GET', '/api/webhooks')).body.items as { id: string }[];
    expect(list.some((w) => w.id === hook.id)).toBe(false);
  });
});

describe('webhook deliveries survive a restart', () => {
  it('a delivery left pending, and one mid-send under a dead worker’s lease, are each delivered once after restart', async () => {
    const rx = await webhookReceiver();
    const dir = await tempDir();
    try {
      const first = await startApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }, dir.path);
      const { token } = await first.createAgent('Restart Admin', 'admin');
      const made = await api(first, token, 'POST', '/api/webhooks', { url: rx.url, events: ['note'] });
      expect(made.status).toBe(201);
      const hookId = made.body.id as string;
      await first.stop();

      // What a crash leaves behind: a delivery committed but never sent, and one leased by a worker that died mid-send.
      const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
      const now = Date.now();
      const [pending, leased] = await store.tx(async (r) => {
        const a = await r.events.append(null, { type: 'note', data: { messageId: 'restart-pending', agentId: 'a' } }, now);
        const b = await r.events.append(null, { type: 'note', data: { messageId: 'restart-leased', agentId: 'a' } }, now);
        await r.webhookDeliveries.update(`${hookId}:${b}`, { attempts: 1, leaseUntil: now + 600_000, leaseOwner: 'crashed-worker' });
        return [a, b];
      });
      await store.close();

      const second = await startApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }, dir.path);
      try {
        await eventually(() => rx.received.length >= 2, 10_000, 'both deliveries');
        await pause(1_500);
        expect(rx.received.map((r) => r.body.id).sort()).toEqual([String(pending), String(leased)].sort());
        const log = await api(second, token, 'GET', `/api/webhooks/${hookId}/deliveries`);
        const byEvent = new Map((log.body.items as { eventId: string; status: string; attempts: number }[]).map((d) => [d.eventId, d]));
        expect(byEvent.get(String(pending))).toMatchObject({ status: 'delivered', attempts: 1 });
        expect(byEvent.get(String(leased))).toMatchObject({ status: 'delivered', attempts: 2 });
      } finally {
        await second.stop();
      }
    } finally {
      await rx.close();
      await dir.rm();
    }
  });
});
