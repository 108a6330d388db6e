import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, sum } from 'drizzle-orm';
import { drafts } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import { REPLY_DRAFT_KINDS, type DraftReportRow, type DraftRow, type DraftsRepo, type DraftUsageSum } from './ports.js';

/** Reply suggestions for agents (LLM or FAQ fallback), kept beside the conversation, never sent by themselves. */
export class SqlDraftsRepo implements DraftsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: DraftRow): Promise<void> {
    await this.db.insert(drafts).values(row);
  }

  async update(id: string, values: Partial<Omit<DraftRow, 'id' | 'conversationId'>>): Promise<void> {
    await this.db.update(drafts).set(values).where(eq(drafts.id, id));
  }

  async list(conversationId: string): Promise<DraftRow[]> {
    return this.db.select().from(drafts).where(eq(drafts.conversationId, conversationId)).orderBy(asc(drafts.id));
  }

  async get(id: string): Promise<DraftRow | undefined> {
    return (await this.db.select().from(drafts).where(eq(drafts.id, id)).limit(ONE_ROW))[0];
  }

  async latestPending(conversationId: string): Promise<DraftRow | undefined> {
    const rows = await this.db
      .select()
      .from(drafts)
      .where(
        and(
          eq(drafts.conversationId, conversationId),
          eq(drafts.status, 'ready'),
          inArray(drafts.kind, [...REPLY_DRAFT_KINDS]),
          isNull(drafts.outcome),
        ),
      )
      .orderBy(desc(drafts.id))
      .limit(ONE_ROW);
    return rows[0];
  }

  async usageSince(since: number): Promise<DraftUsageSum[]> {
    const rows = await this.db
      .select({
        model: drafts.model,
        inputTokens: sum(drafts.inputTokens),
        outputTokens: sum(drafts.outputTokens),
        cacheWriteTokens: sum(drafts.cacheWriteTokens),
        cacheReadTokens: sum(drafts.cacheReadTokens),
      })
      .from(drafts)
      .where(gte(drafts.createdAt, since))
      .groupBy(drafts.model);
    // SUM comes back as text (PostgreSQL numeric) or a number (SQLite), and null over no rows.
    return rows.map((r) => ({
      model: r.model,
      inputTokens: Number(r.inputTokens ?? 0),
      outputTokens: Number(r.outputTokens ?? 0),
      cacheWriteTokens: Number(r.cacheWriteTokens ?? 0),
      cacheReadTokens: Number(r.cacheReadTokens ?? 0),
    }));
  }

  async reportRows(from: number, to: number): Promise<DraftReportRow[]> {
    return this.db
      .select({
        id: drafts.id,
        conversationId: drafts.conversationId,
        kind: drafts.kind,
        entryIds: drafts.entryIds,
        model: drafts.model,
        createdAt: drafts.createdAt,
        status: drafts.status,
        sourceIds: drafts.sourceIds,
        ungrounded: drafts.ungrounded,
        needsCheck: drafts.needsCheck,
        inputTokens: drafts.inputTokens,
        outputTokens: drafts.outputTokens,
        cacheWriteTokens: drafts.cacheWriteTokens,
        cacheReadTokens: drafts.cacheReadTokens,
        outcome: drafts.outcome,
        editPermille: drafts.editPermille,
        outcomeAgentId: drafts.outcomeAgentId,
        outcomeAt: drafts.outcomeAt,
      })
      .from(drafts)
      .where(and(gte(drafts.createdAt, from), lt(drafts.createdAt, to)))
      .orderBy(asc(drafts.createdAt));
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
