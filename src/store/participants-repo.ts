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
      // Rows as arrays (`.values()`): drizzle's mapping of each value cost more than the read.
      for (const [conversationId, agentId] of (await q.values(ids.values)) as [string, string][]) {
        const got = out.get(conversationId);
        if (got) got.push(agentId);
        else out.set(conversationId, [agentId]);
      }
    }
    return out;
  }
}
