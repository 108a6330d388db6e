import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { agentRouting, routingRules, teamMembers, teams } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { AgentRoutingRepo, AgentRoutingRow, RoutingRuleRow, RoutingRulesRepo, TeamRow, TeamsRepo } from './ports.js';

export class SqlTeamsRepo implements TeamsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: TeamRow): Promise<void> {
    await this.db.insert(teams).values(row);
  }

  async get(id: string): Promise<TeamRow | undefined> {
    return (await this.db.select().from(teams).where(eq(teams.id, id)).limit(ONE_ROW))[0];
  }

  async list(): Promise<TeamRow[]> {
    return this.db.select().from(teams).orderBy(asc(teams.name), asc(teams.id));
  }

  async update(id: string, patch: Partial<Omit<TeamRow, 'id' | 'createdAt'>>): Promise<void> {
    if (Object.values(patch).every((v) => v === undefined)) return;
    await this.db.update(teams).set(patch).where(eq(teams.id, id));
  }

  async delete(id: string): Promise<boolean> {
    await this.db.delete(teamMembers).where(eq(teamMembers.teamId, id));
    await this.db.delete(routingRules).where(eq(routingRules.teamId, id));
    const rows = await this.db.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id });
    return rows.length > 0;
  }

  async members(teamId: string): Promise<string[]> {
    const rows = await this.db
      .select({ agentId: teamMembers.agentId })
      .from(teamMembers)
      .where(eq(teamMembers.teamId, teamId))
      .orderBy(asc(teamMembers.agentId));
    return rows.map((r) => r.agentId);
  }

  async setTeamsOf(agentId: string, teamIds: string[]): Promise<void> {
    await this.db.delete(teamMembers).where(eq(teamMembers.agentId, agentId));
    const unique = [...new Set(teamIds)];
    if (unique.length) await this.db.insert(teamMembers).values(unique.map((teamId) => ({ teamId, agentId })));
  }

  async teamsOf(agentIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (agentIds.length === 0) return out;
    const rows = await this.db
      .select()
      .from(teamMembers)
      .where(inArray(teamMembers.agentId, agentIds))
      .orderBy(asc(teamMembers.agentId), asc(teamMembers.teamId));
    for (const r of rows) out.set(r.agentId, [...(out.get(r.agentId) ?? []), r.teamId]);
    return out;
  }
}

/** The patchable columns of agent_routing, by field. */
const COLUMNS = { capacity: 'capacity', status: 'status', lastSeenAt: 'last_seen_at', lastAssignedAt: 'last_assigned_at' } as const;

function definedOf<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class SqlAgentRoutingRepo implements AgentRoutingRepo {
  constructor(private readonly db: QueryDb) {}

  async get(agentId: string): Promise<AgentRoutingRow | undefined> {
    return (await this.db.select().from(agentRouting).where(eq(agentRouting.agentId, agentId)).limit(ONE_ROW))[0];
  }

  async byIds(agentIds: string[]): Promise<Map<string, AgentRoutingRow>> {
    if (agentIds.length === 0) return new Map();
    const rows = await this.db.select().from(agentRouting).where(inArray(agentRouting.agentId, agentIds));
    return new Map(rows.map((r) => [r.agentId, r]));
  }

  async upsert(
    agentId: string,
    patch: Partial<Omit<AgentRoutingRow, 'agentId'>>,
    defaults: Omit<AgentRoutingRow, 'agentId'>,
  ): Promise<void> {
    const row = { ...defaults, ...definedOf(patch), agentId };
    const changed = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).filter((k) => patch[k] !== undefined);
    // Written out because the SQLite builder table-qualifies the conflict target, which PostgreSQL rejects.
    const onConflict = changed.length
      ? sql`do update set ${sql.join(
          changed.map((k) => sql`${sql.raw(COLUMNS[k])} = excluded.${sql.raw(COLUMNS[k])}`),
          sql`, `,
        )}`
      : sql`do nothing`;
    await this.db.run(
      sql`insert into agent_routing (agent_id, capacity, status, last_seen_at, last_assigned_at)
          values (${row.agentId}, ${row.capacity}, ${row.status}, ${row.lastSeenAt}, ${row.lastAssignedAt})
          on conflict (agent_id) ${onConflict}`,
    );
  }

  async touch(agentId: string, now: number, minIntervalMs: number): Promise<boolean> {
    const rows = await this.db
      .update(agentRouting)
      .set({ lastSeenAt: now })
      .where(and(eq(agentRouting.agentId, agentId), or(isNull(agentRouting.lastSeenAt), lt(agentRouting.lastSeenAt, now - minIntervalMs))))
      .returning({ agentId: agentRouting.agentId });
    return rows.length > 0;
  }
}

export class SqlRoutingRulesRepo implements RoutingRulesRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: RoutingRuleRow): Promise<void> {
    await this.db.insert(routingRules).values(row);
  }

  async list(limit: number): Promise<RoutingRuleRow[]> {
    return this.db.select().from(routingRules).orderBy(asc(routingRules.createdAt), asc(routingRules.id)).limit(limit);
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id });
    return rows.length > 0;
  }
}
