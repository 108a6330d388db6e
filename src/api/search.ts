import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { parseQuery, snippetOf, type ParsedQuery } from '../domain/search-text.js';
import { SEARCH_KINDS, type SearchKind } from '../store/ports.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';

/** Longer queries are refused: nobody types them, and every term is an index lookup. */
export const MAX_QUERY_LENGTH = 200;
const cursor = z.object({ s: z.number(), i: z.string() });

/** `q` checked and parsed; a query of only punctuation or operators parses to no terms and finds nothing. */
export function searchQuery(raw: string | undefined): ParsedQuery {
  if (raw === undefined || raw.trim() === '') throw new ValidationError('q: give something to search for', 'q');
  if (raw.length > MAX_QUERY_LENGTH) throw new ValidationError(`q: must be at most ${MAX_QUERY_LENGTH} characters`, 'q');
  return parseQuery(raw);
}

function kindsOf(raw: string | undefined): SearchKind[] {
  if (raw === undefined || raw === '') return [...SEARCH_KINDS];
  const kinds = raw.split(',');
  const bad = kinds.find((k) => !SEARCH_KINDS.some((s) => s === k));
  if (bad !== undefined) throw new ValidationError(`kind: must be some of ${SEARCH_KINDS.join(', ')}`, 'kind');
  return kinds as SearchKind[];
}

/**
 * Full-text search over message text, internal notes and customer names, best match first, each
 * with a plain-text snippet whose matches are marked by offsets. Agents find what they may see
 * (src/domain/visibility.ts: the unassigned and their own conversations), admins everything.
 */
export function searchRoutes(store: Store) {
  const app = new Hono<ApiEnv>();
  app.get('/', async (c) => {
    const q = searchQuery(c.req.query('q'));
    const kinds = kindsOf(c.req.query('kind'));
    const limit = pageLimit(c.req.query('limit'));
    const after = decodeCursor(c.req.query('cursor'), cursor);
    const viewer = c.get('agent');
    const page = await store.read(async (r) => {
      const hits = await r.search.search({
        terms: q.terms,
        kinds,
        viewerId: viewer.role === 'admin' ? null : viewer.id,
        limit: limit + 1,
        after: after && { score: after.s, id: after.i },
      });
      const shown = hits.slice(0, limit);
      const texts = new Map((await r.messages.byIds(shown.filter((h) => h.kind !== 'customer').map((h) => h.id))).map((m) => [m.id, m]));
      const customers = await r.customers.byIds([...new Set(shown.map((h) => h.customerId))]);
      const items = shown.map((h) => {
        const customer = customers.get(h.customerId);
        const message = texts.get(h.id);
        const text = h.kind === 'customer' ? [customer?.displayName, customer?.email].filter(Boolean).join(' · ') : (message?.text ?? '');
        return {
          kind: h.kind,
          id: h.id,
          conversationId: h.conversationId,
          customer: customer ? { id: customer.id, displayName: customer.displayName } : null,
          author: message?.author ?? null,
          createdAt: new Date(h.createdAt).toISOString(),
          snippet: snippetOf(text, q),
        };
      });
      const end = shown.at(-1);
      return { items, nextCursor: hits.length > limit && end ? encodeCursor({ s: end.score, i: end.id }) : null };
    });
    return c.json(page);
  });
  return app;
}
