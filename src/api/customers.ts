import { Hono } from 'hono';
import { z } from 'zod';
import { CUSTOMER_TIERS } from '../domain/conversation.js';
import { NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import { snippetOf } from '../domain/search-text.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import type { ConversationRow, CustomerRow, IdentityRow, Repos } from '../store/ports.js';
import { mergeCustomers, splitIdentity } from '../customers/merge.js';
import { updateProfile } from '../customers/profile.js';
import type { ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';
import { searchQuery } from './search.js';

const MAX_NOTES = 4000;
const MAX_NAME = 200;
/** Conversations listed with a customer; a customer with more is shown with `conversationsTruncated`. */
const DETAIL_CONVERSATIONS = 500;

const patchBody = z
  .object({
    tier: z.enum(CUSTOMER_TIERS).optional(),
    notes: cleanTextField(MAX_NOTES).nullable().optional(),
    displayName: cleanTextField(MAX_NAME).nullable().optional(),
  })
  .strict()
  .refine((b) => b.tier !== undefined || b.notes !== undefined || b.displayName !== undefined, 'give tier, notes or displayName');
const mergeBody = z.object({ customerId: z.string().min(1).max(100) });
const splitBody = z.object({ identityId: z.string().min(1).max(100) });
const listCursor = z.object({ b: z.string() });
const searchCursor = z.object({ s: z.number(), i: z.string() });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function summaryView(c: CustomerRow, identities: IdentityRow[]) {
  return {
    id: c.id,
    displayName: c.displayName,
    email: c.email,
    tier: c.tier,
    erased: c.erasedAt !== null,
    createdAt: iso(c.createdAt),
    identities: identities.map((i) => ({ id: i.id, channel: i.channel, displayName: i.displayName, username: i.username })),
  };
}

/**
 * Every customer's conversations are listed with status, last activity and the rating the customer
 * gave; the subject and labels only where the viewer may see the conversation.
 */
function conversationSummary(c: ConversationRow, visible: boolean, labels: string[]) {
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId,
    subject: visible ? c.subject : null,
    labels: visible ? labels : [],
    visible,
    csat: c.csat,
    resolvedAt: iso(c.resolvedAt),
    lastMessageAt: iso(c.lastMessageAt),
    createdAt: iso(c.createdAt),
  };
}

async function summaries(r: Repos, rows: CustomerRow[]) {
  const identities = await r.customers.identitiesOfMany(rows.map((c) => c.id));
  return rows.map((c) => summaryView(c, identities.get(c.id) ?? []));
}

/** Customers across channels: find, read, edit, merge and split (any agent; the tier is an admin's, see src/customers/profile.ts). */
export function customerRoutes(d: { store: Store; clock: Clock }) {
  const app = new Hono<ApiEnv>();

  // Without `q`: newest first. With `q`: by name, email or handle, best match first, with the part that matched.
  app.get('/', async (c) => {
    const limit = pageLimit(c.req.query('limit'));
    const raw = c.req.query('q');
    if (raw === undefined || raw.trim() === '') {
      const before = decodeCursor(c.req.query('cursor'), listCursor);
      const page = await d.store.read(async (r) => {
        const rows = await r.customers.list({ beforeId: before?.b, limit: limit + 1 });
        const shown = rows.slice(0, limit);
        const end = shown.at(-1);
        return { items: await summaries(r, shown), nextCursor: rows.length > limit && end ? encodeCursor({ b: end.id }) : null };
      });
      return c.json(page);
    }
    const q = searchQuery(raw);
    const after = decodeCursor(c.req.query('cursor'), searchCursor);
    const page = await d.store.read(async (r) => {
      const hits = await r.search.search({
        terms: q.terms,
        kinds: ['customer'],
        viewerId: null,
        limit: limit + 1,
        after: after && { score: after.s, id: after.i },
      });
      const shown = hits.slice(0, limit);
      const rows = await r.customers.byIds(shown.map((h) => h.customerId));
      const items = [];
      for (const h of shown) {
        const row = rows.get(h.customerId);
        if (!row) continue;
        const identities = await r.customers.identitiesOf(row.id);
        const names = [row.displayName, row.email, ...identities.flatMap((i) => [i.displayName, i.username])].filter(
          (n): n is string => !!n,
        );
        const best = names.find((n) => snippetOf(n, q).highlights.length > 0) ?? names[0] ?? '';
        items.push({ ...summaryView(row, identities), snippet: snippetOf(best, q) });
      }
      const end = shown.at(-1);
      return { items, nextCursor: hits.length > limit && end ? encodeCursor({ s: end.score, i: end.id }) : null };
    });
    return c.json(page);
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const viewer = c.get('agent');
    const body = await d.store.read(async (r) => {
      const customer = await r.customers.get(id);
      if (!customer) throw new NotFoundError(`customer ${id} not found`);
      const identities = await r.customers.identitiesOf(id);
      const merges = (await r.customers.mergesOf(id)).filter((m) => m.intoId === id);
      const conversations = await r.conversations.ofCustomer(id, { limit: DETAIL_CONVERSATIONS + 1 });
      const shown = conversations.slice(0, DETAIL_CONVERSATIONS).sort((a, b) => b.lastMessageAt - a.lastMessageAt);
      const visible = new Map(shown.map((x) => [x.id, maySeeConversation(viewer, x)]));
      const labels = await r.labels.of(shown.filter((x) => visible.get(x.id)).map((x) => x.id));
      return {
        customer: {
          ...summaryView(customer, []),
          locale: customer.locale,
          notes: customer.notes,
          mergedInto: customer.mergedInto,
          identities: identities.map((i) => ({
            id: i.id,
            channel: i.channel,
            channelUserId: i.channelUserId,
            displayName: i.displayName,
            username: i.username,
            createdAt: iso(i.createdAt),
            // The customer this identity was merged from: it can be split back out to it.
            mergedFrom: merges.filter((m) => m.identityId === i.id).at(-1)?.fromId ?? null,
          })),
        },
        conversations: shown.map((x) => conversationSummary(x, visible.get(x.id)!, labels.get(x.id) ?? [])),
        conversationsTruncated: conversations.length > DETAIL_CONVERSATIONS,
      };
    });
    return c.json(body);
  });

  app.patch('/:id', async (c) => {
    const patch = await parseBody(c, patchBody);
    const row = await updateProfile(d.store, d.clock, c.get('agent'), c.req.param('id'), patch);
    const identities = await d.store.read((r) => r.customers.identitiesOf(row.id));
    return c.json({ customer: { ...summaryView(row, identities), notes: row.notes } });
  });

  app.post('/:id/merge', async (c) => {
    const { customerId } = await parseBody(c, mergeBody);
    return c.json({ merged: await mergeCustomers(d.store, d.clock, c.req.param('id'), customerId, c.get('agent').id) });
  });

  app.post('/:id/split', async (c) => {
    const { identityId } = await parseBody(c, splitBody);
    return c.json({ split: await splitIdentity(d.store, d.clock, c.req.param('id'), identityId, c.get('agent').id) });
  });

  return app;
}
