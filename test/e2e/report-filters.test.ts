import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { telegramHarness, type TelegramAppHarness } from '../channels/telegram.js';
import type { Running } from '../../src/main.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const backends: [string, () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ env: {}, drop: async () => {} })],
];
if (TEST_DATABASE_URL)
  backends.push([
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  ]);

/**
 * The reports' channel and team filters (the console's reports page), and what the customer
 * detail says of each past conversation (the console's customer panel): rating, labels.
 */
describe.each(backends)('reports filtered by channel and team; a customer’s past conversations with CSAT and labels (%s)', (_, backend) => {
  let h: TelegramAppHarness;
  let drop: () => Promise<void>;
  let app: Running;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };
  let teamId: string;
  let helped: { conversationId: string; customerId: string };

  beforeAll(async () => {
    const b = await backend();
    drop = b.drop;
    h = await telegramHarness(b.env);
    app = h.app;
    admin = await app.createAgent('Ops', 'admin');
    agent = await app.createAgent('Ann');
    teamId = (await api(app, admin.token, 'POST', '/api/teams', { name: 'Billing' })).body.team.id;
    expect((await api(app, admin.token, 'POST', '/api/routing-rules', { match: ['human'], channel: 'webchat', team: teamId })).status).toBe(
      201,
    );

    // Telegram: one the FAQ answers. Web chat: one handed off to Billing, answered, resolved, rated 5, labelled.
    const tg = { id: 9101, first_name: 'Tess', language_code: 'en' };
    h.fake.pushMessage(tg, { text: 'How do I return an item?' });
    await h.fake.waitFor(() => h.fake.sentTo(tg.id).length === 1, 10_000, 'FAQ answer on Telegram');
    const chat = await WebchatCustomer.open(app.url);
    await chat.say('My invoice is wrong');
    await chat.say('human');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', chat.sessionId)),
      5000,
      'conversation',
    );
    helped = { conversationId: conv.id, customerId: conv.customerId };
    await eventually(
      async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.status === 'queued' || undefined,
      5000,
      'queued',
    );
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).body).not.toHaveProperty('error');
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/labels`, { label: 'billing' })).body).not.toHaveProperty(
      'error',
    );
    expect(
      (await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Fixed, sorry!' })).body,
    ).not.toHaveProperty('error');
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/resolve`)).body).not.toHaveProperty('error');
    await eventually(async () => (await chat.history()).items.some((i) => /How did we do/.test(i.text)), 5000, 'CSAT question');
    await chat.say('5');
    await eventually(async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.csat === 5, 5000, 'CSAT recorded');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await drop?.();
  });

  it('narrows the summary and the series to one channel or one team', async () => {
    const all = (await api(app, admin.token, 'GET', '/api/reports/summary')).body.total;
    expect(all).toMatchObject({ conversations: 2, botResolved: 1, handoffs: 1 });
    const tg = (await api(app, admin.token, 'GET', '/api/reports/summary?channel=telegram')).body.total;
    expect(tg).toMatchObject({ conversations: 1, botResolved: 1, handoffs: 0, csat: { average: null, responses: 0 } });
    const web = (await api(app, admin.token, 'GET', '/api/reports/summary?channel=webchat')).body.total;
    expect(web).toMatchObject({ conversations: 1, botResolved: 0, handoffs: 1, csat: { average: 5, responses: 1 } });
    const billing = (await api(app, admin.token, 'GET', `/api/reports/summary?team=${teamId}`)).body.total;
    expect(billing).toMatchObject({ conversations: 1, handoffs: 1 });
    const both = (await api(app, admin.token, 'GET', `/api/reports/summary?team=${teamId}&channel=telegram`)).body.total;
    expect(both.conversations).toBe(0);

    const sum = (body: { points: { value: number | null }[] }) => body.points.reduce((a, p) => a + (p.value ?? 0), 0);
    expect(sum((await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=conversations&channel=telegram')).body)).toBe(1);
    expect(sum((await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=handoffs&channel=telegram')).body)).toBe(0);
    expect(sum((await api(app, admin.token, 'GET', `/api/reports/timeseries?metric=handoffs&team=${teamId}`)).body)).toBe(1);
    const csat = (await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=csat_average&channel=webchat')).body;
    expect(csat.points.flatMap((p: { value: number | null }) => (p.value === null ? [] : [p.value]))).toEqual([5]);
    const median = (await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=first_response_median&channel=telegram')).body;
    expect(median.points.every((p: { value: number | null }) => p.value === null)).toBe(true);

    const res = await fetch(`${app.url}/api/reports/timeseries?metric=conversations&channel=telegram&format=csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const rows = (await res.text()).trim().split('\r\n').slice(1);
    expect(rows.reduce((a, r) => a + Number(r.split(',')[2]), 0)).toBe(1);
    expect((await api(app, admin.token, 'GET', '/api/reports/summary?channel=')).status).toBe(400);
  });

  it('lists a customer’s conversations with the rating, resolution time and labels', async () => {
    const { status, body } = await api(app, agent.token, 'GET', `/api/customers/${helped.customerId}`);
    expect(status).toBe(200);
    expect(body.conversations).toHaveLength(1);
    expect(body.conversations[0]).toMatchObject({
      id: helped.conversationId,
      channel: 'webchat',
      csat: 5,
      labels: ['billing'],
      visible: true,
    });
    expect(Date.parse(body.conversations[0].resolvedAt)).toBeGreaterThan(0);
  });
});
