import { Hono } from 'hono';
import { z } from 'zod';
import { STATUSES } from '../domain/conversation.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { QueueActions } from '../queue/actions.js';
import type { Store } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import type { Clock } from '../domain/clock.js';
import type { ApiEnv } from './auth.js';
import { parseBody } from './body.js';
import { conversationView, customerView, draftView, messageView } from './views.js';

const MAX_REPLY = 16 * 1024;
const replyBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(MAX_REPLY, `must be at most ${MAX_REPLY} characters`),
  draftId: z.string().optional(),
});
const noteBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(MAX_REPLY) });
const transferBody = z.object({ agentId: z.string().min(1) });

export function conversationRoutes(store: Store, actions: QueueActions, sla: { firstResponseMs: number; clock: Clock }) {
  const app = new Hono<ApiEnv>();
  const view = (row: ConversationRow) => conversationView(row, { firstResponseMs: sla.firstResponseMs, now: sla.clock.now().getTime() });

  app.get('/', async (c) => {
    const query = c.req.query('status');
    const status = STATUSES.find((s) => s === query);
    if (query !== undefined && !status) {
      throw new ValidationError(`status: must be one of ${STATUSES.join(', ')}`, 'status');
    }
    const mine = c.req.query('mine') === 'true';
    const items = await store.read(async (r) => {
      const rows = await r.conversations.list({ status, assigneeId: mine ? c.get('agent').id : undefined, limit: 200 });
      const last = await r.messages.lastOf(rows.map((x) => x.id));
      const customers = await r.customers.byIds([...new Set(rows.map((x) => x.customerId))]);
      return rows.map((row) => {
        const lastMessage = last.get(row.id);
        const customer = customers.get(row.customerId);
        return {
          ...view(row),
          customer: customer ? { id: customer.id, displayName: customer.displayName, email: customer.email } : null,
          lastMessage: lastMessage
            ? { text: lastMessage.text.slice(0, 200), author: lastMessage.author, createdAt: new Date(lastMessage.createdAt).toISOString() }
            : null,
        };
      });
    });
    return c.json({ items });
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const body = await store.tx(async (r) => {
      const conv = await r.conversations.get(id);
      if (!conv) throw new NotFoundError(`conversation ${id} not found`);
      const customer = await r.customers.get(conv.customerId);
      const identities = await r.customers.identitiesOf(conv.customerId);
      const messages = await r.messages.list(id, { includeInternal: true });
      const drafts = await r.drafts.list(id);
      const deliveries = await r.outbox.forMessages(messages.filter((m) => m.direction === 'out').map((m) => m.id));
      return {
        conversation: view(conv),
        customer: customerView(customer, identities),
        messages: messages.map((m) => messageView(m, deliveries.get(m.id))),
        drafts: drafts.map(draftView),
      };
    });
    return c.json(body);
  });

  app.post('/:id/claim', async (c) => c.json({ conversation: view(await actions.claim(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/release', async (c) => c.json({ conversation: view(await actions.release(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/resolve', async (c) => c.json({ conversation: view(await actions.resolve(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/transfer', async (c) => {
    const { agentId } = await parseBody(c, transferBody);
    return c.json({ conversation: view(await actions.transfer(c.get('agent'), c.req.param('id'), agentId)) });
  });

  app.post('/:id/messages', async (c) => {
    const { text, draftId } = await parseBody(c, replyBody);
    const message = await actions.reply(c.get('agent'), c.req.param('id'), text, draftId);
    return c.json({ message: messageView(message, undefined) }, 201);
  });

  app.post('/:id/notes', async (c) => {
    const { text } = await parseBody(c, noteBody);
    return c.json({ note: messageView(await actions.note(c.get('agent'), c.req.param('id'), text), undefined) }, 201);
  });

  return app;
}
