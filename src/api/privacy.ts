import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { exportCustomer } from '../privacy/export.js';
import { eraseCustomer } from '../privacy/erase.js';
import type { FileStore } from '../attachments/file-store.js';
import { requireRole, type ApiEnv } from './auth.js';

/** A customer's data rights (admin): everything stored about them, and erasure. Both are audited. */
export function privacyRoutes(d: { store: Store; clock: Clock; files?: FileStore }) {
  const app = new Hono<ApiEnv>();
  app.get('/:id/export', requireRole('admin'), async (c) => {
    const stream = await exportCustomer(d.store, c.req.param('id'), c.get('agent').id, d.clock.now().getTime());
    return new Response(stream, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="customer-${c.req.param('id')}.json"`,
      },
    });
  });
  app.delete('/:id', requireRole('admin'), async (c) =>
    c.json({ erased: await eraseCustomer(d.store, d.clock, c.req.param('id'), c.get('agent').id, d.files) }),
  );
  return app;
}
