import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('operator summary /api/reports/summary', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('counts deflection, hand-offs, first response and resolutions; admins only', async () => {
    const admin = await app.createAgent('Ops', 'admin');
    const agent = await app.createAgent('Ann');
    const served = await WebchatCustomer.open(app.url);
    await served.say('How do I return an item?');
    const waiting = await WebchatCustomer.open(app.url);
    await waiting.say('human');
    const helped = await WebchatCustomer.open(app.url);
    await helped.say('人工');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', helped.sessionId)),
      5000,
      'conversation',
    );
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`);
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: '您好，请问有什么可以帮您？' });
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/resolve`);

    await eventually(async () => (await helped.history()).items.some((i) => /1–5/.test(i.text)), 5000, 'CSAT question');
    await helped.say('4');
    await eventually(async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.csat === 4, 5000, 'CSAT recorded');

    expect((await api(app, agent.token, 'GET', '/api/reports/summary')).status).toBe(403);
    const { status, body } = await api(app, admin.token, 'GET', '/api/reports/summary');
    expect(status).toBe(200);
    expect(body).toMatchObject({ conversationsOpened: 3, handedOff: 2, botDeflectionRate: 0.333, resolved: 1, deliveryFailures: 0 });
    expect(body.firstResponseSeconds).toMatchObject({ answered: 1, waiting: 1 });
    expect(body.csat).toEqual({ responses: 1, average: 4 });
    expect(body.firstResponseSeconds.median).toBeGreaterThanOrEqual(0);
    expect((await api(app, admin.token, 'GET', '/api/reports/summary?since=yesterday-ish')).status).toBe(400);
    const future = await api(app, admin.token, 'GET', `/api/reports/summary?since=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.body.conversationsOpened).toBe(0);
    expect(future.body.botDeflectionRate).toBeNull();
  });
});
