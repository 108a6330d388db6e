import { eq } from 'drizzle-orm';
import { tables, type Db } from './database.js';
import type { WebchatSessionRow } from './rows.js';

const { webchatSessions } = tables;

export class WebchatSessionsRepo {
  constructor(private readonly db: Db) {}

  async insert(row: WebchatSessionRow): Promise<void> {
    await this.db.insert(webchatSessions).values(row);
  }

  async get(id: string): Promise<WebchatSessionRow | undefined> {
    return (await this.db.select().from(webchatSessions).where(eq(webchatSessions.id, id)).limit(1))[0];
  }
}
