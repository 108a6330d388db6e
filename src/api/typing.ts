import { Hono } from 'hono';
import { NotFoundError } from '../domain/errors.js';
import type { SessionSignals } from '../kit/signals.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';

/**
 * `POST /api/conversations/:id/typing`: the agent is typing a reply. A web chat visitor's open
 * widget shows "… is typing" for a few seconds; nothing is stored, so a console sends it again
 * (every few seconds) while the agent keeps typing. Other channels: accepted, nothing sent yet.
 */
export function typingRoutes(d: { store: Store; signals: SessionSignals }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post('/:id/typing', async (c) => {
    const id = c.req.param('id');
    const conv = await d.store.tx((r) => r.conversations.get(id));
    if (!conv) throw new NotFoundError(`conversation ${id} not found`);
    const streams = conv.channel === 'webchat' ? d.signals.publish(conv.threadKey, { event: 'typing', data: { author: 'agent' } }) : 0;
    return c.json({ delivered: streams > 0 }, 202);
  });
  return app;
}
