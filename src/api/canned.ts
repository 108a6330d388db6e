import { Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { cannedShortcut, type CannedResponses } from '../queue/canned.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';
import { decodeCursor, encodeCursor, pageLimit } from './pagination.js';
import { cannedView } from './views.js';

const MAX_CANNED_TEXT = 4000;
const fields = {
  shortcut: cannedShortcut,
  text: cleanTextField(MAX_CANNED_TEXT).pipe(z.string().min(1, 'must not be empty')),
  locale: z.enum(['en', 'zh']).nullable(),
  teamId: z.string().trim().min(1).max(100).nullable(),
};
const createBody = z.object({ ...fields, locale: fields.locale.default(null), teamId: fields.teamId.default(null) }).strict();
const updateBody = z.object(fields).partial().strict();
const renderBody = z.object({ conversationId: z.string().min(1).max(100) });
const cursor = z.object({ s: z.string(), i: z.string() });

/**
 * `/api/canned`: canned responses. Every agent lists (`?q=` prefix of the shortcut; by default
 * the global ones and their teams', `?teamId=` one team's, `?teamId=` empty the global ones), reads and
 * renders them; any agent creates one, and only its owner or an admin edits or deletes it
 * (src/queue/canned.ts).
 */
export function cannedRoutes(store: Store, canned: CannedResponses) {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const limit = pageLimit(c.req.query('limit'));
    const after = decodeCursor(c.req.query('cursor'), cursor);
    const q = c.req.query('q');
    const prefix = q === undefined || q.trim() === '' ? undefined : q.normalize('NFKC').trim().toLowerCase().slice(0, 32);
    const team = c.req.query('teamId');
    if (team !== undefined && team.length > 100) throw new ValidationError('teamId: must be at most 100 characters', 'teamId');
    const rows = await canned.list(c.get('agent'), {
      prefix,
      teamId: team === undefined ? undefined : team.trim() === '' ? null : team.trim(),
      after: after && { shortcut: after.s, id: after.i },
      limit: limit + 1,
    });
    const shown = rows.slice(0, limit);
    const end = shown.at(-1);
    return c.json({
      items: shown.map(cannedView),
      nextCursor: rows.length > limit && end ? encodeCursor({ s: end.shortcut, i: end.id }) : null,
    });
  });

  app.get('/:id', async (c) => {
    const row = await store.read((r) => r.canned.get(c.req.param('id')));
    if (!row) throw new NotFoundError(`canned response ${c.req.param('id')} not found`);
    return c.json({ canned: cannedView(row) });
  });

  app.post('/', async (c) => {
    const body = await parseBody(c, createBody);
    return c.json({ canned: cannedView(await canned.create(c.get('agent'), body)) }, 201);
  });

  app.put('/:id', async (c) => {
    const body = await parseBody(c, updateBody);
    return c.json({ canned: cannedView(await canned.update(c.get('agent'), c.req.param('id'), body)) });
  });

  app.delete('/:id', async (c) => {
    await canned.delete(c.get('agent'), c.req.param('id'));
    return c.body(null, 204);
  });

  app.post('/:id/render', async (c) => {
    const { conversationId } = await parseBody(c, renderBody);
    return c.json(await canned.render(c.get('agent'), c.req.param('id'), conversationId));
  });

  return app;
}
