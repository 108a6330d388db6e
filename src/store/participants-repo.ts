import { and, asc, eq, inArray } from 'drizzle-orm';
import { conversationParticipants } from './sqlite/schema.js';
import { inPlaceholders, prepared, type QueryDb } from './dialect.js';
import type { ParticipantRow, ParticipantsRepo } from './ports.js';

/** Most conversation ids one `of` read binds; the event feed passes a batch of up to 500 events' conversations. */
const MAX_IDS = 500;

export class SqlParticipantsRepo implements ParticipantsRepo {
  constructor(private readonly db: QueryDb) {}

  async add(row: ParticipantRow): Promise<boolean> {
    const rows = await this.db
      .insert(conversationParticipants)
      .values(row)
      .onConflictDoNothing()
      .returning({ agentId: conversationParticipants.agentId });
    return rows.length > 0;
  }

  async remove(conversationId: string, agentId: string): Promise<boolean> {
    const rows = await this.db
      .delete(conversationParticipants)
      .where(and(eq(conversationParticipants.conversationId, conversationId), eq(conversationParticipants.agentId, agentId)))
      .returning({ agentId: conversationParticipants.agentId });
    return rows.length > 0;
  }

  async of(conversationIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < conversationIds.length; i += MAX_IDS) {
      const ids = inPlaceholders(conversationIds.slice(i, i + MAX_IDS))!;
      const q = prepared(this.db, `participants.of:${ids.size}`, (db) =>
        db
          .select({ conversationId: conversationParticipants.conversationId, agentId: conversationParticipants.agentId })
          .from(conversationParticipants)
          .where(inArray(conversationParticipants.conversationId, ids.list))
          .orderBy(asc(conversationParticipants.conversationId), asc(conversationParticipants.agentId))
          .prepare(),
      );
      const rows = await q.all(ids.values);
      for (const r of rows) out.set(r.conversationId, [...(out.get(r.conversationId) ?? []), r.agentId]);
    }
    return out;
  }
}
