import { asc, eq } from 'drizzle-orm';
import { agents } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { AgentRow, AgentsRepo } from './ports.js';

export class SqlAgentsRepo implements AgentsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: AgentRow): Promise<void> {
    await this.db.insert(agents).values(row);
  }

  async byTokenHash(tokenHash: string): Promise<AgentRow | undefined> {
    return (await this.db.select().from(agents).where(eq(agents.tokenHash, tokenHash)).limit(1))[0];
  }

  async get(id: string): Promise<AgentRow | undefined> {
    return (await this.db.select().from(agents).where(eq(agents.id, id)).limit(1))[0];
  }

  async list(): Promise<AgentRow[]> {
    return this.db.select().from(agents).orderBy(asc(agents.name));
  }
}
