import { eq, sql } from 'drizzle-orm';
import { webchatSessions } from './sqlite/schema.js';
import { ONE_ROW, prepared, type QueryDb } from './dialect.js';
import type { WebchatSessionRow, WebchatSessionsRepo } from './ports.js';

export class SqlWebchatSessionsRepo implements WebchatSessionsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: WebchatSessionRow): Promise<void> {
    await this.db.insert(webchatSessions).values(row);
  }

  async get(id: string): Promise<WebchatSessionRow | undefined> {
    const q = prepared(this.db, 'webchat.get', (db) =>
      db
        .select()
        .from(webchatSessions)
        .where(eq(webchatSessions.id, sql.placeholder('id')))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.update(webchatSessions).set({ lastSeenAt: at }).where(eq(webchatSessions.id, id));
  }
}
