import { and, asc, eq, getTableColumns, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { agents, agentTokens } from './sqlite/schema.js';
import { ONE_ROW, prepared, rowsOf, type QueryDb } from './dialect.js';
import type { AgentRow, AgentsRepo, AgentTokenRow, AgentTokensRepo } from './ports.js';

const TOKEN_COLUMNS = Object.keys(getTableColumns(agentTokens)).length;
const toTokens = rowsOf<AgentTokenRow>(Object.keys(getTableColumns(agentTokens)));
const toAgents = rowsOf<AgentRow>(Object.keys(getTableColumns(agents)));

export class SqlAgentsRepo implements AgentsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: AgentRow): Promise<void> {
    await this.db.insert(agents).values(row);
  }

  async get(id: string): Promise<AgentRow | undefined> {
    return (await this.db.select().from(agents).where(eq(agents.id, id)).limit(ONE_ROW))[0];
  }

  async list(): Promise<AgentRow[]> {
    return this.db.select().from(agents).orderBy(asc(agents.name));
  }

  async update(id: string, patch: Pick<AgentRow, 'role'>): Promise<void> {
    await this.db.update(agents).set({ role: patch.role }).where(eq(agents.id, id));
  }
}

export class SqlAgentTokensRepo implements AgentTokensRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: AgentTokenRow): Promise<void> {
    await this.db.insert(agentTokens).values(row);
  }

  async byHash(tokenHash: string): Promise<{ token: AgentTokenRow; agent: AgentRow } | undefined> {
    // Every API request checks its token: prepared once.
    const q = prepared(this.db, 'agentTokens.byHash', (db) =>
      db
        .select({ token: agentTokens, agent: agents })
        .from(agentTokens)
        .innerJoin(agents, eq(agents.id, agentTokens.agentId))
        .where(eq(agentTokens.tokenHash, sql.placeholder('tokenHash')))
        .limit(ONE_ROW)
        .prepare(),
    );
    // A row as an array (`.values()`): the token's columns, then the agent's, mapped here.
    const row = ((await q.values({ tokenHash })) as unknown[][])[0];
    return row && { token: toTokens([row.slice(0, TOKEN_COLUMNS)])[0]!, agent: toAgents([row.slice(TOKEN_COLUMNS)])[0]! };
  }

  async get(id: string): Promise<AgentTokenRow | undefined> {
    return (await this.db.select().from(agentTokens).where(eq(agentTokens.id, id)).limit(ONE_ROW))[0];
  }

  async listFor(agentId: string): Promise<AgentTokenRow[]> {
    return this.db.select().from(agentTokens).where(eq(agentTokens.agentId, agentId)).orderBy(asc(agentTokens.id));
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const rows = await this.db
      .update(agentTokens)
      .set({ revokedAt: now })
      .where(and(eq(agentTokens.id, id), isNull(agentTokens.revokedAt)))
      .returning({ id: agentTokens.id });
    return rows.length > 0;
  }

  async revokeAllFor(agentId: string, now: number, exceptId?: string): Promise<string[]> {
    const conds = [eq(agentTokens.agentId, agentId), isNull(agentTokens.revokedAt)];
    if (exceptId) conds.push(ne(agentTokens.id, exceptId));
    const rows = await this.db
      .update(agentTokens)
      .set({ revokedAt: now })
      .where(and(...conds))
      .returning({ id: agentTokens.id });
    return rows.map((r) => r.id).sort();
  }

  async touch(id: string, now: number, minIntervalMs: number): Promise<boolean> {
    const rows = await this.db
      .update(agentTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(agentTokens.id, id), or(isNull(agentTokens.lastUsedAt), lt(agentTokens.lastUsedAt, now - minIntervalMs))))
      .returning({ id: agentTokens.id });
    return rows.length > 0;
  }
}
