import { and, asc, eq, ne } from 'drizzle-orm';
import { drafts } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { DraftRow, DraftsRepo } from './ports.js';

/** Reply suggestions for agents (LLM or FAQ fallback), kept beside the conversation, never sent by themselves. */
export class SqlDraftsRepo implements DraftsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: DraftRow): Promise<void> {
    await this.db.insert(drafts).values(row);
  }

  async list(conversationId: string): Promise<DraftRow[]> {
    return this.db.select().from(drafts).where(eq(drafts.conversationId, conversationId)).orderBy(asc(drafts.id));
  }

  async get(id: string): Promise<DraftRow | undefined> {
    return (await this.db.select().from(drafts).where(eq(drafts.id, id)).limit(1))[0];
  }

  async redact(conversationId: string): Promise<number> {
    const rows = await this.db
      .update(drafts)
      .set({ text: '' })
      .where(and(eq(drafts.conversationId, conversationId), ne(drafts.text, '')))
      .returning({ id: drafts.id });
    return rows.length;
  }
}
