import { asc, eq } from 'drizzle-orm';
import { tables, type Db } from './database.js';
import type { AgentRow } from './rows.js';

const { agents } = tables;

export class AgentsRepo {
  constructor(private readonly db: Db) {}

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
