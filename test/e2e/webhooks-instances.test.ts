import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { webhookReceiver } from '../support/webhook-receiver.js';

describe.skipIf(!TEST_DATABASE_URL)('webhooks with two instances on one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    [a, b] = await Promise.all([
      startApp({ DATABASE_URL: db.url, WEBHOOK_ALLOW_PRIVATE: 'true' }),
      startApp({ DATABASE_URL: db.url, WEBHOOK_ALLOW_PRIVATE: 'true' }),
    ]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('both instances deliver, and each event reaches the receiver exactly once', async () => {
    // A slow receiver keeps deliveries in flight while both workers lease.
    const rx = await webhookReceiver((_r, _earlier, res) => {
      setTimeout(() => res.writeHead(200).end(), 50);
      return 'handled';
    });
    try {
      const { token } = await a.createAgent('Instances Admin', 'admin');
      const made = await api(a, token, 'POST', '/api/webhooks', { url: rx.url, events: ['message'] });
      expect(made.status).toBe(201);
      const customers = await Promise.all([a, b, a, b].map((app) => WebchatCustomer.open(app.url)));
      await Promise.all(
        customers.map(async (c, i) => {
          for (const n of [1, 2, 3]) await c.say(`customer ${i} message ${n}`);
        }),
      );
      const expected = await eventually(
        async () => {
          const log = await api(b, token, 'GET', `/api/webhooks/${made.body.id}/deliveries?limit=200`);
          const items = log.body.items as { eventId: string; status: string; attempts: number }[];
          // Each customer message and each bot answer is a message event.
          return items.length >= 24 && items.every((d) => d.status === 'delivered') ? items : undefined;
        },
        15_000,
        'every delivery delivered',
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const ids = rx.received.map((r) => r.body.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(expected.map((d) => d.eventId).sort());
      expect(expected.every((d) => d.attempts === 1)).toBe(true);
      // Each instance's commits wake its own worker at once, so both took a share.
      const rows = await a.store.tx((r) => r.webhookDeliveries.log(made.body.id as string, { limit: 200 }));
      expect(new Set(rows.map((d) => d.leaseOwner)).size).toBe(2);
    } finally {
      await rx.close();
    }
  });
});
