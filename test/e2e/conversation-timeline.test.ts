import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { conversationAfterSaying } from '../support/conversations.js';
import type { Running } from '../../src/main.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

function timelineSuite(dialect: 'SQLite' | 'PostgreSQL') {
  describe(`GET /api/conversations/:id events: the timeline the console shows as system lines (${dialect})`, () => {
    let app: Running;
    let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    let ann: { id: string; token: string };
    let ben: { id: string; token: string };

    beforeAll(async () => {
      db = dialect === 'PostgreSQL' ? await createTestDatabase() : undefined;
      app = await startApp(db ? { DATABASE_URL: db.url } : {});
      ann = await app.createAgent('Ann');
      ben = await app.createAgent('Ben');
    });
    afterAll(async () => {
      await app?.stop();
      await db?.drop();
    });

    it('lists hand-off, claim, priority, label, snooze, transfer, resolve and CSAT in order, without messages, notes or mentions', async () => {
      const customer = await WebchatCustomer.open(app.url);
      const conv = await conversationAfterSaying(app, customer, 'human');
      const id = conv.id;
      const call = (token: string, method: string, path: string, body?: unknown) =>
        api(app, token, method, `/api/conversations/${id}${path}`, body);
      expect((await call(ann.token, 'POST', '/claim')).status).toBe(200);
      expect((await call(ann.token, 'PATCH', '', { priority: 'high' })).status).toBe(200);
      expect((await call(ann.token, 'POST', '/labels', { label: 'Refund' })).status).toBe(200);
      const until = new Date(Date.now() + 3_600_000).toISOString();
      expect((await call(ann.token, 'POST', '/snooze', { until })).status).toBe(200);
      expect((await call(ann.token, 'DELETE', '/snooze')).status).toBe(200);
      expect((await call(ann.token, 'POST', '/notes', { text: 'over to you @Ben' })).status).toBe(201);
      expect((await call(ann.token, 'POST', '/transfer', { agentId: ben.id })).status).toBe(200);
      expect((await call(ben.token, 'POST', '/resolve')).status).toBe(200);
      await customer.say('5');
      await eventually(async () => ((await call(ann.token, 'GET', '')).body.conversation.csat === 5 ? true : undefined), 5000, 'csat');

      const { events } = (await call(ann.token, 'GET', '')).body as { events: Record<string, unknown>[] };
      const summary = events.map((e) =>
        e.type === 'status'
          ? `status:${String(e.action)}`
          : e.type === 'snooze' || e.type === 'label'
            ? `${e.type}:${String(e.action)}`
            : String(e.type),
      );
      expect(summary).toEqual([
        'status:open',
        'status:handoff',
        'status:claim',
        'priority',
        'label:add',
        'snooze:snooze',
        'snooze:unsnooze',
        // The note's @Ben invites him (a participant line); the mention itself is his notification only.
        'participant',
        'status:transfer',
        'status:resolve',
        'csat',
        'status:close',
      ]);
      const seqs = events.map((e) => e.seq as number);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(events.find((e) => e.type === 'status' && e.action === 'claim')).toMatchObject({ by: ann.id, assigneeId: ann.id });
      expect(events.find((e) => e.type === 'status' && e.action === 'transfer')).toMatchObject({ by: ann.id, assigneeId: ben.id });
      expect(events.find((e) => e.type === 'priority')).toMatchObject({ priority: 'high', from: 'normal', by: ann.id });
      expect(events.find((e) => e.type === 'label')).toMatchObject({ label: 'refund' });
      expect(events.find((e) => e.type === 'csat')).toMatchObject({ score: 5 });
      for (const e of events) expect(Number.isNaN(Date.parse(e.at as string))).toBe(false);
    });

    it('is empty of other conversations’ events', async () => {
      const customer = await WebchatCustomer.open(app.url);
      const conv = await conversationAfterSaying(app, customer, 'hello there');
      const { events } = (await api(app, ann.token, 'GET', `/api/conversations/${conv.id}`)).body;
      expect(events.map((e: { type: string; action?: string }) => `${e.type}:${e.action}`)).toEqual(['status:open']);
    });
  });
}

timelineSuite('SQLite');
if (TEST_DATABASE_URL) timelineSuite('PostgreSQL');
