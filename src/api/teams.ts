import { Hono } from 'hono';
import { z } from 'zod';
import { PRIORITIES } from '../domain/conversation.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { audit } from '../audit/record.js';
import { cleanAgentName } from '../queue/agents.js';
import type { AutoAssigner } from '../routing/assigner.js';
import { ruleMatch } from '../routing/match.js';
import { regexProblem } from '../routing/regex-check.js';
import { findTeam, MAX_ROUTING_RULES, MAX_TEAMS, teamSlug, teamView } from '../routing/teams.js';
import type { RoutingRuleRow } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { requireRole, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';

/** A team's name follows the rules of an agent's name (one clean line of at most 100 characters). */
const createBody = z.object({ name: cleanAgentName, autoAssign: z.boolean().default(false) });
const updateBody = z.object({ name: cleanAgentName.optional(), autoAssign: z.boolean().optional() });
const ruleBody = z.object({
  /** A regex string, a keyword list, or either spelled out: `{"regex": …}` / `{"keywords": […]}`. */
  match: z.union([z.string(), z.array(z.string())]).or(ruleMatch),
  channel: z.enum(['telegram', 'discord', 'email', 'webchat']).optional(),
  team: z.string().min(1).max(100),
  priority: z.enum(PRIORITIES).optional(),
});

/** `GET/POST/PUT/DELETE /api/teams` (reading: any agent; changing: admins). */
export function teamRoutes(d: { store: Store; clock: Clock; assigner: AutoAssigner }) {
  const app = new Hono<ApiEnv>();
  const now = () => d.clock.now().getTime();

  app.get('/', async (c) => {
    const rows = await d.store.read((r) => r.teams.list());
    return c.json({ items: rows.map(teamView) });
  });

  app.post('/', requireRole('admin'), async (c) => {
    const body = await parseBody(c, createBody);
    const id = teamSlug(body.name);
    if (!id) throw new ValidationError('name: must contain a letter or a digit', 'name');
    const at = now();
    const row = { id, name: body.name, autoAssign: body.autoAssign ? 1 : 0, createdAt: at };
    await d.store.tx(async (r) => {
      await r.lock('teams');
      const teams = await r.teams.list();
      if (teams.length >= MAX_TEAMS) throw new ConflictError(`at most ${MAX_TEAMS} teams`);
      if (findTeam(teams, id) || findTeam(teams, body.name)) throw new ConflictError(`a team named "${body.name}" exists`);
      await r.teams.insert(row);
      await audit(r, {
        by: c.get('agent').id,
        action: 'team.create',
        subjectId: id,
        detail: { name: row.name, autoAssign: body.autoAssign },
        now: at,
      });
    });
    return c.json({ team: teamView(row) }, 201);
  });

  app.put('/:id', requireRole('admin'), async (c) => {
    const body = await parseBody(c, updateBody);
    const id = c.req.param('id');
    const at = now();
    const row = await d.store.tx(async (r) => {
      await r.lock('teams');
      const team = await r.teams.get(id);
      if (!team) throw new NotFoundError(`team ${id} not found`);
      if (body.name !== undefined) {
        const other = findTeam(await r.teams.list(), body.name);
        if (other && other.id !== id) throw new ConflictError(`a team named "${body.name}" exists`);
      }
      const patch = { name: body.name, autoAssign: body.autoAssign === undefined ? undefined : body.autoAssign ? 1 : 0 };
      await r.teams.update(id, patch);
      await audit(r, { by: c.get('agent').id, action: 'team.update', subjectId: id, detail: { ...body }, now: at });
      return (await r.teams.get(id))!;
    });
    if (row.autoAssign) d.assigner.kick(row.id);
    return c.json({ team: teamView(row) });
  });

  app.delete('/:id', requireRole('admin'), async (c) => {
    const id = c.req.param('id');
    const at = now();
    await d.store.tx(async (r) => {
      if (!(await r.teams.delete(id))) throw new NotFoundError(`team ${id} not found`);
      await audit(r, { by: c.get('agent').id, action: 'team.delete', subjectId: id, now: at });
    });
    return c.json({ deleted: id });
  });

  return app;
}

/** `GET/POST/DELETE /api/routing-rules` (admins): tried oldest first on every hand-off (src/pipeline/rules/routing.ts). */
export function routingRuleRoutes(d: { store: Store; clock: Clock }) {
  const app = new Hono<ApiEnv>();
  app.use('*', requireRole('admin'));

  app.get('/', async (c) => {
    const rows = await d.store.read((r) => r.routingRules.list(MAX_ROUTING_RULES));
    return c.json({ items: rows.map(ruleView) });
  });

  app.post('/', async (c) => {
    const body = await parseBody(c, ruleBody);
    const match =
      typeof body.match === 'string' ? { regex: body.match } : Array.isArray(body.match) ? { keywords: body.match } : body.match;
    const checked = ruleMatch.safeParse(match);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ValidationError(`match${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`, 'match');
    }
    if ('regex' in checked.data) {
      const problem = await regexProblem(checked.data.regex);
      if (problem) throw new ValidationError(`match: ${problem}`, 'match');
    }
    const at = d.clock.now().getTime();
    const row = await d.store.tx(async (r) => {
      const team = findTeam(await r.teams.list(), body.team);
      if (!team) throw new ValidationError(`team: no team "${body.team}"`, 'team');
      if ((await r.routingRules.list(MAX_ROUTING_RULES)).length >= MAX_ROUTING_RULES)
        throw new ConflictError(`at most ${MAX_ROUTING_RULES} routing rules`);
      const rule: RoutingRuleRow = {
        id: newId(at),
        match: JSON.stringify(checked.data),
        channel: body.channel ?? null,
        teamId: team.id,
        priority: body.priority ?? null,
        createdAt: at,
      };
      await r.routingRules.insert(rule);
      await audit(r, { by: c.get('agent').id, action: 'routing_rule.create', subjectId: rule.id, detail: ruleView(rule), now: at });
      return rule;
    });
    return c.json({ rule: ruleView(row) }, 201);
  });

  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const at = d.clock.now().getTime();
    await d.store.tx(async (r) => {
      if (!(await r.routingRules.delete(id))) throw new NotFoundError(`routing rule ${id} not found`);
      await audit(r, { by: c.get('agent').id, action: 'routing_rule.delete', subjectId: id, now: at });
    });
    return c.json({ deleted: id });
  });

  return app;
}

function ruleView(r: RoutingRuleRow) {
  return {
    id: r.id,
    match: JSON.parse(r.match) as unknown,
    channel: r.channel,
    team: r.teamId,
    priority: r.priority,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
