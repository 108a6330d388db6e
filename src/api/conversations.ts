import { Hono } from 'hono';
import { z } from 'zod';
import { PRIORITIES, STATUSES } from '../domain/conversation.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { QueueActions } from '../queue/actions.js';
import type { Store } from '../store/store.js';
import type { ConversationRow, Repos } from '../store/ports.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';
import type { Clock } from '../domain/clock.js';
import type { ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';
import { currentPolicy } from '../sla/policy.js';
import type { SlaSettings } from '../sla/settings.js';
import { conversationView, customerView, draftView, messageView, type ConversationAnnotations } from './views.js';
import type { AnnotatedConversation, ConversationTools } from '../queue/tools.js';
import { normalizeLabel } from '../domain/labels.js';
import type { DraftingApi } from './drafts.js';
import type { FaqMatcher } from '../faq/matcher.js';
import { estimateCost, roundCost } from '../llm/pricing.js';
import type { DraftRow } from '../store/ports.js';

/** The conversation's LLM tokens and their estimated cost (LLM_PRICES). */
function usageTotals(drafts: DraftRow[], drafting: DraftingApi | undefined) {
  const t = { drafts: drafts.length, inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, estimatedCost: 0 };
  for (const d of drafts) {
    t.inputTokens += d.inputTokens;
    t.outputTokens += d.outputTokens;
    t.cacheWriteTokens += d.cacheWriteTokens;
    t.cacheReadTokens += d.cacheReadTokens;
    if (d.kind !== 'faq') t.estimatedCost += estimateCost(drafting?.prices ?? {}, d.model ?? drafting?.model, d) ?? 0;
  }
  return { ...t, estimatedCost: roundCost(t.estimatedCost) };
}

const MAX_REPLY = 16 * 1024;
const replyBody = z.object({
  text: cleanTextField(MAX_REPLY),
  draftId: z.string().optional(),
});
const noteBody = z.object({ text: cleanTextField(MAX_REPLY) });
const transferBody = z.object({ agentId: z.string().min(1) });
const priorityBody = z.object({ priority: z.enum(PRIORITIES) });
const labelBody = z.object({ label: z.string().max(200, 'must be at most 200 characters') });
const snoozeBody = z.object({ until: z.iso.datetime({ offset: true }) });
const participantBody = z.union([
  z.object({ agentId: z.string().min(1).max(100) }).strict(),
  z.object({ teamId: z.string().min(1).max(100) }).strict(),
]);
const conversationCursor = z.object({ p: z.enum(PRIORITIES).default('normal'), w: z.number().int().nullable(), i: z.string() });
const MAX_TEAM_REF = 100;
const messageCursor = z.object({ m: z.string() });
/** Messages shown with a conversation; older ones are paged from GET /:id/messages. */
const DETAIL_MESSAGES = 100;

/** The `limit` messages before message `before` (newest when undefined), oldest first, with their deliveries. */
async function messagePage(r: Repos, conversationId: string, limit: number, before: string | undefined) {
  const rows = await r.messages.page(conversationId, { includeInternal: true, limit: limit + 1, before });
  const shown = rows.slice(0, limit).reverse();
  const deliveries = await r.outbox.forMessages(shown.filter((m) => m.direction === 'out').map((m) => m.id));
  return {
    messages: shown.map((m) => messageView(m, deliveries.get(m.id))),
    messagesNextCursor: rows.length > limit && shown[0] ? encodeCursor({ m: shown[0].id }) : null,
  };
}

export function conversationRoutes(
  store: Store,
  actions: QueueActions,
  tools: ConversationTools,
  sla: { settings: SlaSettings; clock: Clock; drafting?: DraftingApi; faq?: () => FaqMatcher },
) {
  const app = new Hono<ApiEnv>();
  // The SLA policy in force is read with the rows, so every instance shows an admin's change at once.
  const viewIn = async (r: Repos) => {
    const policy = await currentPolicy(r, sla.settings);
    const now = sla.clock.now().getTime();
    return (row: ConversationRow, annotations?: ConversationAnnotations) => conversationView(row, policy, now, annotations);
  };
  const viewOf = async (row: ConversationRow) => (await store.read(viewIn))(row);
  const annotated = async (a: AnnotatedConversation) => ({ conversation: (await store.read(viewIn))(a.conversation, a) });

  // Urgent first, then longest waiting; `?limit&cursor` pages on (nextCursor), so the whole queue is reachable.
  // `?team=<id>` shows one team's conversations, `?team=` (empty) the general queue's.
  app.get('/', async (c) => {
    const query = c.req.query('status');
    const status = STATUSES.find((s) => s === query);
    if (query !== undefined && !status) {
      throw new ValidationError(`status: must be one of ${STATUSES.join(', ')}`, 'status');
    }
    const mine = c.req.query('mine') === 'true';
    const rawLabel = c.req.query('label');
    const label = rawLabel === undefined ? undefined : normalizeLabel(rawLabel);
    // Snoozed conversations are out of the lists until they come back; ?snoozed=true lists only them.
    const snoozedQuery = c.req.query('snoozed');
    if (snoozedQuery !== undefined && snoozedQuery !== 'true' && snoozedQuery !== 'false')
      throw new ValidationError('snoozed: must be true or false', 'snoozed');
    const snoozed = snoozedQuery === 'true';
    const team = c.req.query('team');
    if (team !== undefined && team.length > MAX_TEAM_REF)
      throw new ValidationError(`team: must be at most ${MAX_TEAM_REF} characters`, 'team');
    const limit = pageLimit(c.req.query('limit'));
    const after = decodeCursor(c.req.query('cursor'), conversationCursor);
    const page = await store.read(async (r) => {
      const rows = await r.conversations.list({
        status,
        assigneeId: mine ? c.get('agent').id : undefined,
        label,
        snoozed,
        team: team === undefined ? undefined : team === '' ? null : team,
        limit: limit + 1,
        after: after && { priority: after.p, waitingSince: after.w, id: after.i },
      });
      const shown = rows.slice(0, limit);
      const view = await viewIn(r);
      const last = await r.messages.lastOf(shown.map((x) => x.id));
      const customers = await r.customers.byIds([...new Set(shown.map((x) => x.customerId))]);
      const labels = await r.labels.of(shown.map((x) => x.id));
      const participants = await r.participants.of(shown.map((x) => x.id));
      const items = shown.map((row) => {
        const lastMessage = last.get(row.id);
        const customer = customers.get(row.customerId);
        return {
          ...view(row, { labels: labels.get(row.id) ?? [], participantIds: participants.get(row.id) ?? [] }),
          customer: customer ? { id: customer.id, displayName: customer.displayName, email: customer.email } : null,
          lastMessage: lastMessage
            ? { text: lastMessage.text.slice(0, 200), author: lastMessage.author, createdAt: new Date(lastMessage.createdAt).toISOString() }
            : null,
        };
      });
      const end = shown.at(-1);
      return { items, nextCursor: rows.length > limit && end ? encodeCursor({ p: end.priority, w: end.waitingSince, i: end.id }) : null };
    });
    return c.json(page);
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const body = await store.tx(async (r) => {
      const conv = await r.conversations.get(id);
      if (!conv) throw new NotFoundError(`conversation ${id} not found`);
      const customer = await r.customers.get(conv.customerId);
      const identities = await r.customers.identitiesOf(conv.customerId);
      const messages = await messagePage(r, id, DETAIL_MESSAGES, undefined);
      const drafts = await r.drafts.list(id);
      const labels = (await r.labels.of([id])).get(id) ?? [];
      const participantIds = (await r.participants.of([id])).get(id) ?? [];
      const view = await viewIn(r);
      return {
        conversation: view(conv, { labels, participantIds }),
        customer: customerView(customer, identities),
        ...messages,
        drafts: drafts
          .filter((d) => d.kind !== 'summary')
          .map((d) => {
            const view = draftView(d);
            // What the console links each citation to: the entry and its first question, in the customer's locale.
            const matcher = sla.faq?.();
            const citations = view.entryIds.map((entryId) => {
              const entry = matcher?.entry(entryId, conv.locale ?? undefined);
              return { entryId, question: entry?.questions[0] ?? null, locale: entry?.locale ?? null };
            });
            return { ...view, citations };
          }),
        llmUsage: usageTotals(drafts, sla.drafting),
      };
    });
    // Whether drafting is paused (budget, breaker) is said here, so a missing draft is never silent.
    const drafting = sla.drafting ? await sla.drafting.jobs.status() : null;
    return c.json({ ...body, drafting });
  });

  // Older messages: the page before `cursor` (the detail's messagesNextCursor), oldest first like the detail.
  app.get('/:id/messages', async (c) => {
    const id = c.req.param('id');
    const limit = pageLimit(c.req.query('limit'));
    const before = decodeCursor(c.req.query('cursor'), messageCursor);
    const page = await store.tx(async (r) => {
      if (!(await r.conversations.get(id))) throw new NotFoundError(`conversation ${id} not found`);
      return messagePage(r, id, limit, before?.m);
    });
    return c.json({ items: page.messages, nextCursor: page.messagesNextCursor });
  });

  app.post('/:id/claim', async (c) => c.json({ conversation: await viewOf(await actions.claim(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/release', async (c) => c.json({ conversation: await viewOf(await actions.release(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/resolve', async (c) => c.json({ conversation: await viewOf(await actions.resolve(c.get('agent'), c.req.param('id'))) }));
  app.post('/:id/transfer', async (c) => {
    const { agentId } = await parseBody(c, transferBody);
    return c.json({ conversation: await viewOf(await actions.transfer(c.get('agent'), c.req.param('id'), agentId)) });
  });

  // Priority, labels, snooze and participants: any agent who may see the conversation (src/queue/tools.ts).
  app.patch('/:id', async (c) => {
    const { priority } = await parseBody(c, priorityBody);
    return c.json(await annotated(await tools.setPriority(c.get('agent'), c.req.param('id'), priority)));
  });
  app.post('/:id/labels', async (c) => {
    const { label } = await parseBody(c, labelBody);
    return c.json(await annotated(await tools.addLabel(c.get('agent'), c.req.param('id'), label)));
  });
  app.delete('/:id/labels/:label', async (c) =>
    c.json(await annotated(await tools.removeLabel(c.get('agent'), c.req.param('id'), c.req.param('label')))),
  );
  app.post('/:id/snooze', async (c) => {
    const { until } = await parseBody(c, snoozeBody);
    return c.json(await annotated(await tools.snooze(c.get('agent'), c.req.param('id'), Date.parse(until))));
  });
  app.delete('/:id/snooze', async (c) => c.json(await annotated(await tools.unsnooze(c.get('agent'), c.req.param('id')))));
  app.post('/:id/participants', async (c) => {
    const body = await parseBody(c, participantBody);
    if ('teamId' in body) return c.json(await annotated(await tools.inviteTeam(c.get('agent'), c.req.param('id'), body.teamId)));
    return c.json(await annotated(await tools.addParticipant(c.get('agent'), c.req.param('id'), body.agentId)));
  });
  app.delete('/:id/participants/:agentId', async (c) =>
    c.json(await annotated(await tools.removeParticipant(c.get('agent'), c.req.param('id'), c.req.param('agentId')))),
  );

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
