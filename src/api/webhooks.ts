import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { WebhookDeliveryLogRow } from '../store/ports.js';
import {
  createWebhook,
  createWebhookBody,
  deleteWebhook,
  MAX_WEBHOOKS,
  refusePrivateUrl,
  rotateWebhookSecret,
  webhookView,
} from '../webhooks/manage.js';
import { requireRole, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function deliveryView(d: WebhookDeliveryLogRow) {
  return {
    eventId: String(d.eventSeq),
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt),
  };
}

/** /api/webhooks (admin only). A signing secret appears in exactly two responses: the create and the rotate that made it. */
export function webhookRoutes(d: { store: Store; clock: Clock; allowPrivate: boolean }) {
  const app = new Hono<ApiEnv>();
  const now = () => d.clock.now().getTime();
  app.use('*', requireRole('admin'));

  app.post('/', async (c) => {
    const body = await parseBody(c, createWebhookBody);
    if (!d.allowPrivate) refusePrivateUrl(body.url);
    const made = await d.store.tx((r) => createWebhook(r, { ...body, by: c.get('agent').id, now: now() }));
    return c.json({ ...webhookView(made.webhook), secret: made.secret }, 201);
  });

  app.get('/', async (c) => {
    const rows = await d.store.tx((r) => r.webhooks.list(MAX_WEBHOOKS));
    return c.json({ items: rows.map(webhookView) });
  });

  app.delete('/:id', async (c) => {
    await d.store.tx((r) => deleteWebhook(r, { id: c.req.param('id'), by: c.get('agent').id, now: now() }));
    return c.body(null, 204);
  });

  app.post('/:id/rotate-secret', async (c) => {
    const made = await d.store.tx((r) => rotateWebhookSecret(r, { id: c.req.param('id'), by: c.get('agent').id, now: now() }));
    return c.json({ ...webhookView(made.webhook), secret: made.secret });
  });

  // Newest event first; the cursor is the last event's sequence number.
  app.get('/:id/deliveries', async (c) => {
    const id = c.req.param('id');
    const limit = pageLimit(c.req.query('limit'));
    const beforeSeq = decodeCursor(c.req.query('cursor'), z.number().int().positive());
    const rows = await d.store.tx(async (r) => {
      if (!(await r.webhooks.get(id))) throw new NotFoundError(`webhook ${id} not found`);
      return r.webhookDeliveries.log(id, { beforeSeq, limit: limit + 1 });
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({ items: page.map(deliveryView), nextCursor: rows.length > limit && last ? encodeCursor(last.eventSeq) : null });
  });

  return app;
}
