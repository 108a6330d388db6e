import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { audit } from '../audit/record.js';
import { INVITE_RULES_KEY, inviteRuleInput, MAX_RULES, readRules, writeRules, type InviteRule } from '../invitations/rules.js';
import type { Store } from '../store/store.js';
import { requireRole, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';

const view = (x: InviteRule) => ({ ...x, createdAt: new Date(x.createdAt).toISOString() });

/** `GET/POST /api/invite-rules`, `DELETE /api/invite-rules/:id`: admins only, audited. */
export function inviteRuleRoutes(d: { store: Store; clock: Clock }) {
  const app = new Hono<ApiEnv>();
  app.use('*', requireRole('admin'));
  app.get('/', async (c) => c.json({ items: (await d.store.read(readRules)).map(view) }));
  app.post('/', async (c) => {
    const input = await parseBody(c, inviteRuleInput);
    const agent = c.get('agent');
    const now = d.clock.now().getTime();
    const rule: InviteRule = { id: newId(now), createdAt: now, ...input };
    await d.store.tx(async (r) => {
      await r.lock(`settings:${INVITE_RULES_KEY}`);
      const rules = await readRules(r);
      if (rules.length >= MAX_RULES) throw new ConflictError(`at most ${MAX_RULES} invitation rules; delete one first`);
      await writeRules(r, [...rules, rule], agent.id, now);
      await audit(r, { by: agent.id, action: 'settings.update', subjectId: INVITE_RULES_KEY, detail: { added: rule }, now });
    });
    return c.json({ rule: view(rule) }, 201);
  });
  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const agent = c.get('agent');
    const now = d.clock.now().getTime();
    await d.store.tx(async (r) => {
      await r.lock(`settings:${INVITE_RULES_KEY}`);
      const rules = await readRules(r);
      const gone = rules.find((x) => x.id === id);
      if (!gone) throw new NotFoundError('no such invitation rule');
      await writeRules(
        r,
        rules.filter((x) => x.id !== id),
        agent.id,
        now,
      );
      await audit(r, { by: agent.id, action: 'settings.update', subjectId: INVITE_RULES_KEY, detail: { deleted: gone }, now });
    });
    return c.body(null, 204);
  });
  return app;
}
