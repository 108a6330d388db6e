import { Hono } from 'hono';
import { z } from 'zod';
import { PRIORITIES, STATUSES, type ConversationStatus } from '../domain/conversation.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { QueueActions } from '../queue/actions.js';
import type { Store } from '../store/store.js';
import { CONVERSATION_SORTS, SEARCH_KINDS, type ConversationRow, type ListedConversation, type Repos } from '../store/ports.js';
import { browseKey } from '../domain/list-order.js';
import { searchQuery } from './search.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';
import type { Clock } from '../domain/clock.js';
import type { ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';
import { currentPolicy } from '../sla/policy.js';
import type { SlaSettings } from '../sla/settings.js';
import { conversationListItem, conversationView, customerView, draftView, messageView, type ConversationAnnotations } from './views.js';
import type { AnnotatedConversation, ConversationTools } from '../queue/tools.js';
import { normalizeLabel } from '../domain/labels.js';
import { isoTime } from '../domain/iso-time.js';
import { decodeLogged, type LoggedEvent } from '../domain/events.js';
import type { DraftingApi } from './drafts.js';
import type { FaqMatcher } from '../faq/matcher.js';
import { estimateCost, roundCost } from '../llm/pricing.js';
import type { DraftRow } from '../store/ports.js';
import type { OutboundFilePolicy } from '../attachments/outbound.js';

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
// Five buttons fit one Discord row; a label fits a Telegram button.
const MAX_CHOICES = 5;
const MAX_CHOICE_LABEL = 64;
const replyBody = z.object({
  // May be empty when files are sent (checked below).
  text: z.string().optional(),
  draftId: z.string().optional(),
  /** Upload ids (POST /api/attachments) sent with the reply. */
  attachments: z.array(z.string().min(1).max(100)).max(100).optional(),
  /** Quick replies the customer may press instead of writing (Telegram keyboard, Discord buttons, web chat buttons, email numbered list). */
  choices: z.array(z.string().trim().min(1).max(MAX_CHOICE_LABEL)).max(MAX_CHOICES).optional(),
});
const replyText = z.object({ text: cleanTextField(MAX_REPLY) });
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
/** `status=done`: resolved and closed together (the console's Resolved tab); `status=open`: bot, queued and assigned (its All tab). */
const LIST_STATUSES = [...STATUSES, 'done', 'open'] as const;
const listExtras = z.object({
  channel: z.string().min(1).max(50).optional(),
  priority: z.enum(PRIORITIES).optional(),
  sort: z.enum(CONVERSATION_SORTS).optional(),
});
const browseCursor = z.object({ s: z.enum(CONVERSATION_SORTS), k: z.array(z.number()).min(1).max(3), i: z.string() });
const messageCursor = z.object({ m: z.string() });
/** Messages shown with a conversation; older ones are paged from GET /:id/messages. */
const DETAIL_MESSAGES = 100;

/** Events shown as lines in a conversation's history; messages, notes, drafts and deliveries are shown as themselves. */
const TIMELINE_TYPES = new Set(['status', 'csat', 'priority', 'label', 'snooze', 'participant', 'sla.breached', 'ai_agent']);
/** Most timeline lines one detail returns (the newest); a conversation has a handful, a years-long one a few hundred. */
const MAX_TIMELINE = 500;
const EVENT_PAGE = 1000;

/** The conversation's hand-offs, claims, transfers, SLA breaches, CSAT… oldest first, as `{seq, type, at, ...data}`. */
async function timeline(r: Repos, conversationId: string) {
  const kept: LoggedEvent[] = [];
  for (let seq = 0; ;) {
    const rows = await r.events.after(seq, { conversationId, limit: EVENT_PAGE });
    for (const row of rows) {
      if (!TIMELINE_TYPES.has(row.type)) continue;
      kept.push(decodeLogged(row));
      if (kept.length > MAX_TIMELINE) kept.shift();
    }
    if (rows.length < EVENT_PAGE) break;
    seq = Number(rows.at(-1)!.seq);
  }
  return kept.map((e) => ({ seq: e.seq, type: e.type, at: new Date(e.createdAt).toISOString(), ...e.data }));
}

/** The `limit` messages before message `before` (newest when undefined), oldest first, with their deliveries. */
async function messagePage(r: Repos, conversationId: string, limit: number, before: string | undefined) {
  const rows = await r.messages.page(conversationId, { includeInternal: true, limit: limit + 1, before });
  const shown = rows.slice(0, limit).reverse();
  const outIds = shown.filter((m) => m.direction === 'out').map((m) => m.id);
  const deliveries = await r.outbox.forMessages(outIds);
  const copies = await r.emailCopies.forMessages(outIds);
  return {
    messages: shown.map((m) => messageView(m, deliveries.get(m.id), copies.get(m.id))),
    messagesNextCursor: rows.length > limit && shown[0] ? encodeCursor({ m: shown[0].id }) : null,
  };
}

export function conversationRoutes(
  store: Store,
  actions: QueueActions,
  tools: ConversationTools,
  sla: { settings: SlaSettings; clock: Clock; drafting?: DraftingApi; faq?: () => FaqMatcher; files?: OutboundFilePolicy },
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
    const status = LIST_STATUSES.find((s) => s === query);
    if (query !== undefined && !status) {
      throw new ValidationError(`status: must be one of ${LIST_STATUSES.join(', ')}`, 'status');
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
    const extra = listExtras.safeParse({
      channel: c.req.query('channel'),
      priority: c.req.query('priority'),
      sort: c.req.query('sort'),
    });
    if (!extra.success) {
      const issue = extra.error.issues[0]!;
      throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`, String(issue.path[0]));
    }
    const { channel, priority, sort } = extra.data;
    const rawQ = c.req.query('q');
    const q = rawQ === undefined || rawQ.trim() === '' ? undefined : searchQuery(rawQ);
    const limit = pageLimit(c.req.query('limit'));
    const agent = c.get('agent');
    const common = {
      assigneeId: mine ? agent.id : undefined,
      label,
      snoozed,
      team: team === undefined ? undefined : team === '' ? null : team,
    };
    // The original order and cursor stay as they were for callers that ask nothing new; `sort`,
    // `channel`, `priority` or `status=done` read through `browse`, whose cursor names its sort.
    const browsing = sort !== undefined || channel !== undefined || priority !== undefined || status === 'done' || status === 'open';
    const order = sort ?? 'priority';
    const statuses: ConversationStatus[] =
      status === 'done'
        ? ['resolved', 'closed']
        : status === 'open'
          ? ['bot', 'queued', 'assigned']
          : status
            ? [status]
            : STATUSES.filter((s) => s !== 'closed');
    const page = await store.read(async (r) => {
      // Where GET /api/events should resume (Last-Event-ID) for changes after this read, so a
      // console that loads the list and then opens the stream misses nothing and replays no history.
      const eventCursor = await r.events.maxSeq();
      // The queue's own order reads each row with its last lines and customer card; search and
      // the other sorts read rows, and those are looked up for them below.
      let rows: ConversationRow[] | undefined;
      let listed: ListedConversation[] | undefined;
      let next: string | null = null;
      if (q) {
        // Search: the conversations of the best matches (messages, notes, customer names) the agent
        // may see, best first, narrowed by the other filters; one page of up to `limit`.
        const hits = await r.search.search({
          terms: q.terms,
          kinds: [...SEARCH_KINDS],
          viewerId: agent.role === 'admin' ? null : agent.id,
          limit: 200,
        });
        const ids = [...new Set(hits.map((h) => h.conversationId).filter((id): id is string => !!id))];
        // One after another: the reads share this request's one connection.
        const found: ConversationRow[] = [];
        for (const id of ids) {
          const row = await r.conversations.get(id);
          if (row) found.push(row);
        }
        const labelled = label === undefined ? undefined : await r.labels.of(found.map((x) => x.id));
        rows = found
          .filter(
            (x) =>
              statuses.includes(x.status) &&
              (!common.assigneeId || x.assigneeId === common.assigneeId) &&
              (common.team === undefined || x.team === common.team) &&
              (snoozedQuery === undefined || (x.snoozedUntil !== null) === snoozed) &&
              (channel === undefined || x.channel === channel) &&
              (priority === undefined || x.priority === priority) &&
              (label === undefined || (labelled?.get(x.id) ?? []).includes(label)),
          )
          .slice(0, limit);
      } else if (browsing) {
        const cursor = decodeCursor(c.req.query('cursor'), browseCursor);
        if (cursor && cursor.s !== order) throw new ValidationError('cursor: was made for another sort', 'cursor');
        const got = await r.conversations.browse({
          ...common,
          statuses,
          channel,
          priority,
          sort: order,
          limit: limit + 1,
          after: cursor && { keys: cursor.k, id: cursor.i },
        });
        rows = got.slice(0, limit);
        const end = rows.at(-1);
        if (got.length > limit && end) {
          const key = browseKey(order, end);
          next = encodeCursor({ s: order, k: key.keys, i: key.id });
        }
      } else {
        const after = decodeCursor(c.req.query('cursor'), conversationCursor);
        const got = await r.conversations.listWithLines({
          ...common,
          status,
          limit: limit + 1,
          after: after && { priority: after.p, waitingSince: after.w, id: after.i },
        });
        listed = got.slice(0, limit);
        const end = listed.at(-1)?.row;
        if (got.length > limit && end) next = encodeCursor({ p: end.priority, w: end.waitingSince, i: end.id });
      }
      if (!listed) {
        const shown = rows ?? [];
        const lines = await r.messages.lastLinesOf(shown.map((x) => x.id));
        const cards = await r.customers.cardsOf([...new Set(shown.map((x) => x.customerId))]);
        listed = shown.map((row) => ({
          row,
          lines: lines.get(row.id) ?? { last: null, fromCustomer: null },
          customer: cards.get(row.customerId) ?? null,
        }));
      }
      const ids = listed.map((x) => x.row.id);
      const policy = await currentPolicy(r, sla.settings);
      const now = sla.clock.now().getTime();
      const customerIds = [...new Set(listed.flatMap((x) => (x.customer ? [x.customer.id] : [])))];
      const identities = await r.customers.identitiesOfMany(customerIds);
      const labels = await r.labels.of(ids);
      const participants = await r.participants.of(ids);
      const items = listed.map(({ row, lines, customer }) => {
        const lastMessage = lines.last;
        const fromCustomer = lines.fromCustomer;
        return conversationListItem(
          row,
          policy,
          now,
          { labels: labels.get(row.id) ?? [], participantIds: participants.get(row.id) ?? [] },
          customer ? customerView(customer, identities.get(customer.id) ?? []) : null,
          {
            lastMessage: lastMessage
              ? { text: lastMessage.text.slice(0, 200), author: lastMessage.author, createdAt: isoTime(lastMessage.createdAt) }
              : null,
            // What the customer said last: the line an agent triages by, not the bot's holding reply.
            lastCustomerMessage: fromCustomer
              ? { text: fromCustomer.text.slice(0, 200), createdAt: isoTime(fromCustomer.createdAt) }
              : null,
          },
        );
      });
      return { items, nextCursor: next, eventCursor };
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
          .filter((d) => d.kind === 'llm' || d.kind === 'faq')
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
        events: await timeline(r, id),
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
    const { text: raw, draftId, attachments, choices: labels } = await parseBody(c, replyBody);
    const ids = attachments ?? [];
    if (ids.length && !sla.files) throw new ValidationError('attachments: files are not enabled', 'attachments');
    // Text is required unless files go with it; then it may be empty.
    const checked = ids.length && !raw?.trim() ? { success: true as const, data: { text: '' } } : replyText.safeParse({ text: raw ?? '' });
    if (!checked.success) throw new ValidationError(`text: ${checked.error.issues[0]!.message}`, 'text');
    const text = checked.data.text;
    const files = ids.length && sla.files ? { ids, policy: sla.files } : undefined;
    // A pressed button comes back as its label (and `choiceId`), read by the agent like any message.
    const choices = labels?.map((label, i) => ({ id: `reply:${i + 1}`, label }));
    const message = await actions.reply(c.get('agent'), c.req.param('id'), text, draftId, { files, choices });
    return c.json({ message: messageView(message, undefined) }, 201);
  });

  app.post('/:id/notes', async (c) => {
    const { text } = await parseBody(c, noteBody);
    return c.json({ note: messageView(await actions.note(c.get('agent'), c.req.param('id'), text), undefined) }, 201);
  });

  return app;
}
