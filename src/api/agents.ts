import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { findTeam } from '../routing/teams.js';
import type { Store } from '../store/store.js';
import { agentRole, cleanAgentName, createAgent } from '../queue/agents.js';
import { issueToken, revokeToken, tokenView, type TokenPolicy } from '../access/tokens.js';
import { requireRole, requireSelfOrAdmin, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';
import { audit } from '../audit/record.js';
import { MAX_CAPACITY } from '../domain/presence.js';
import { ROUTING_DEFAULTS, type Presence } from '../routing/presence.js';
import type { AutoAssigner } from '../routing/assigner.js';
import { MAX_TEAMS } from '../routing/teams.js';

const createBody = z.object({ name: cleanAgentName, role: agentRole.default('agent') });
const tokenBody = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Revoke every other token of the agent in the same transaction. */
  rotate: z.boolean().default(false),
});
const updateBody = z
  .object({
    teams: z.array(z.string().min(1).max(100)).max(MAX_TEAMS).optional(),
    capacity: z.number().int().min(0).max(MAX_CAPACITY).optional(),
    role: agentRole.optional(),
  })
  .strict();

/** Agents and their tokens. A token's secret appears in exactly one response: the one that made it. */
export function agentRoutes(d: { store: Store; clock: Clock; tokens: TokenPolicy; presence: Presence; assigner: AutoAssigner }) {
  const app = new Hono<ApiEnv>();
  const now = () => d.clock.now().getTime();

  // Every agent sees who is on which team, available, and how loaded (the queue's context).
  app.get('/', async (c) => {
    const { rows, teams, routing, open } = await d.store.read(async (r) => {
      const rows = await r.agents.list();
      const ids = rows.map((a) => a.id);
      return {
        rows,
        teams: await r.teams.teamsOf(ids),
        routing: await r.agentRouting.byIds(ids),
        open: await r.conversations.openCounts(ids),
      };
    });
    const at = now();
    return c.json({
      items: rows.map(({ id, name, role }) => ({
        id,
        name,
        role,
        teams: teams.get(id) ?? [],
        status: d.presence.status(routing.get(id), at),
        capacity: routing.get(id)?.capacity ?? ROUTING_DEFAULTS.capacity,
        openConversations: open.get(id) ?? 0,
      })),
    });
  });

  // An admin sets an agent's teams (ids or names), capacity and role; each change is audited.
  app.put('/:id', requireRole('admin'), async (c) => {
    const body = await parseBody(c, updateBody);
    const id = c.req.param('id');
    const at = now();
    const view = await d.store.tx(async (r) => {
      const agent = await r.agents.get(id);
      if (!agent) throw new NotFoundError(`agent ${id} not found`);
      const by = c.get('agent').id;
      if (body.teams !== undefined) {
        const all = await r.teams.list();
        const ids = body.teams.map((ref) => {
          const t = findTeam(all, ref);
          if (!t) throw new ValidationError(`teams: no team "${ref}"`, 'teams');
          return t.id;
        });
        const before = (await r.teams.teamsOf([id])).get(id) ?? [];
        await r.teams.setTeamsOf(id, ids);
        const after = [...new Set(ids)].sort();
        await audit(r, { by, action: 'agent.update', subjectId: id, detail: { field: 'teams', from: before, to: after }, now: at });
      }
      if (body.capacity !== undefined) {
        const before = (await r.agentRouting.get(id))?.capacity ?? ROUTING_DEFAULTS.capacity;
        await r.agentRouting.upsert(id, { capacity: body.capacity }, ROUTING_DEFAULTS);
        await audit(r, {
          by,
          action: 'agent.update',
          subjectId: id,
          detail: { field: 'capacity', from: before, to: body.capacity },
          now: at,
        });
      }
      if (body.role !== undefined && body.role !== agent.role) {
        await r.agents.update(id, { role: body.role });
        await audit(r, { by, action: 'agent.update', subjectId: id, detail: { field: 'role', from: agent.role, to: body.role }, now: at });
      }
      const routing = await r.agentRouting.get(id);
      return {
        id,
        name: agent.name,
        role: body.role ?? agent.role,
        teams: (await r.teams.teamsOf([id])).get(id) ?? [],
        status: d.presence.status(routing, at),
        capacity: routing?.capacity ?? ROUTING_DEFAULTS.capacity,
        openConversations: (await r.conversations.openCounts([id])).get(id) ?? 0,
      };
    });
    // New teams or more room: conversations waiting may go to them now.
    d.assigner.kickAgent(id);
    return c.json({ agent: view });
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
