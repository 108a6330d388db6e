import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { auditView } from '../audit/record.js';
import { requireRole, type ApiEnv } from './auth.js';

const MAX_LIMIT = 500;
const cursorShape = z.tuple([z.number().int(), z.string().min(1)]);

/** The cursor is the last row's (time, id), opaque to clients. */
const encodeCursor = (at: number, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
function decodeCursor(raw: string): { at: number; id: string } {
  try {
    const [at, id] = cursorShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { at, id };
  } catch {
    throw new ValidationError('cursor: must be a nextCursor returned by this endpoint', 'cursor');
  }
}

/** GET /api/audit?since&agentId&limit&cursor (admin): oldest first, cursor-paginated. */
export function auditRoutes(store: Store) {
  const app = new Hono<ApiEnv>();
  app.get('/', requireRole('admin'), async (c) => {
    const q = c.req.query();
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    if (since !== undefined && Number.isNaN(since)) throw new ValidationError('since: must be an ISO date', 'since');
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationError(`limit: must be an integer from 1 to ${MAX_LIMIT}`, 'limit');
    }
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = await store.tx((r) => r.audit.list({ since, actorId: q.agentId, after, limit: limit + 1 }));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({ items: page.map(auditView), nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null });
  });
  return app;
}
