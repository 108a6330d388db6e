import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { agentRole, cleanAgentName, createAgent } from '../queue/agents.js';
import { issueToken, revokeToken, tokenView, type TokenPolicy } from '../access/tokens.js';
import { requireRole, requireSelfOrAdmin, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';

const createBody = z.object({ name: cleanAgentName, role: agentRole.default('agent') });
const tokenBody = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Revoke every other token of the agent in the same transaction. */
  rotate: z.boolean().default(false),
});

/** Agents and their tokens. A token's secret appears in exactly one response: the one that made it. */
export function agentRoutes(d: { store: Store; clock: Clock; tokens: TokenPolicy }) {
  const app = new Hono<ApiEnv>();
  const now = () => d.clock.now().getTime();

  app.get('/', async (c) => {
    const rows = await d.store.tx((r) => r.agents.list());
    return c.json({ items: rows.map(({ id, name, role }) => ({ id, name, role })) });
  });

  app.post('/', requireRole('admin'), async (c) => {
    const body = await parseBody(c, createBody);
    return c.json(await createAgent(d.store, d.clock, body.name, body.role, { by: c.get('agent').id, policy: d.tokens }), 201);
  });

  app.get('/:id/tokens', requireSelfOrAdmin(), async (c) => {
    const id = c.req.param('id');
    const rows = await d.store.tx(async (r) => {
      if (!(await r.agents.get(id))) throw new NotFoundError(`agent ${id} not found`);
      return r.agentTokens.listFor(id);
    });
    const at = now();
    return c.json({ items: rows.map((t) => tokenView(t, at)) });
  });

  app.post('/:id/tokens', requireSelfOrAdmin(), async (c) => {
    const body = await parseBody(c, tokenBody);
    const at = now();
    const issued = await d.store.tx((r) =>
      issueToken(r, d.tokens, {
        agentId: c.req.param('id'),
        by: c.get('agent').id,
        now: at,
        label: body.label ?? null,
        expiresAt: body.expiresAt === undefined ? null : Date.parse(body.expiresAt),
        rotate: body.rotate,
      }),
    );
    return c.json({ token: issued.token, tokenInfo: tokenView(issued.row, at), revoked: issued.revoked }, 201);
  });

  app.delete('/:id/tokens/:tokenId', requireSelfOrAdmin(), async (c) => {
    const at = now();
    const row = await d.store.tx((r) =>
      revokeToken(r, { agentId: c.req.param('id'), tokenId: c.req.param('tokenId'), by: c.get('agent').id, now: at }),
    );
    return c.json({ tokenInfo: tokenView(row, at) });
  });

  return app;
}
