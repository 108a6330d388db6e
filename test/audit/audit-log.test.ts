import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('GET /api/audit', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('records agent actions with who, when and what, filters by agent and time, and pages with a cursor; admins only', async () => {
    const admin = await app.createAgent('Ops', 'admin');
    const ann = await app.createAgent('Ann');
    const bea = await app.createAgent('Bea');
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('human');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      5000,
      'conversation',
    );
    const since = new Date().toISOString();
    const act = (token: string, path: string, body?: unknown) => api(app, token, 'POST', `/api/conversations/${conv.id}${path}`, body);
    expect((await act(ann.token, '/claim')).status).toBe(200);
    expect((await act(ann.token, '/messages', { text: 'secret reply text' })).status).toBe(201);
    expect((await act(ann.token, '/notes', { text: 'secret note text' })).status).toBe(201);
    expect((await act(ann.token, '/transfer', { agentId: bea.id })).status).toBe(200);
    // A refused action leaves no audit row: it rolled back with the action.
    expect((await act(ann.token, '/messages', { text: 'not mine any more' })).status).toBe(403);
    expect((await act(bea.token, '/resolve')).status).toBe(200);

    expect((await api(app, ann.token, 'GET', '/api/audit')).status).toBe(403);
    const all = await api(app, admin.token, 'GET', `/api/audit?since=${since}`);
    expect(all.status).toBe(200);
    const onConv = all.body.items.filter((e: { subjectId: string }) => e.subjectId === conv.id);
    expect(onConv.map((e: { actorId: string; action: string }) => [e.actorId, e.action])).toEqual([
      [ann.id, 'conversation.claim'],
      [ann.id, 'conversation.reply'],
      [ann.id, 'conversation.note'],
      [ann.id, 'conversation.transfer'],
      [bea.id, 'conversation.resolve'],
    ]);
    expect(onConv[3].detail).toMatchObject({ agentId: bea.id, from: 'assigned' });
    expect(Date.parse(onConv[0].at)).toBeGreaterThanOrEqual(Date.parse(since));
    expect(JSON.stringify(all.body)).not.toContain('secret');

    const bys = await api(app, admin.token, 'GET', `/api/audit?agentId=${bea.id}`);
    expect(bys.body.items.map((e: { action: string }) => e.action)).toEqual(['conversation.resolve']);

    // Pages of two walk the same rows in the same order, and end with a null cursor.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(
        app,
        admin.token,
        'GET',
        `/api/audit?since=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.body.items.map((e: { id: string }) => e.id));

    for (const bad of ['since=last-week', 'limit=0', 'limit=501', 'limit=two', 'cursor=garbage']) {
      expect((await api(app, admin.token, 'GET', `/api/audit?${bad}`)).status, bad).toBe(400);
    }
  });
});
