import { and, asc, eq, isNotNull, ne, or, sql } from 'drizzle-orm';
import { faqSuggestions } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { FaqSuggestionRow, FaqSuggestionsRepo, FaqSuggestionStatus } from './ports.js';

/** Customer questions proposed as FAQ examples or new entries, and the admins' decisions on them. */
export class SqlFaqSuggestionsRepo implements FaqSuggestionsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: FaqSuggestionRow): Promise<void> {
    await this.db.insert(faqSuggestions).values(row);
  }

  async get(id: string): Promise<FaqSuggestionRow | undefined> {
    return (await this.db.select().from(faqSuggestions).where(eq(faqSuggestions.id, id)).limit(ONE_ROW))[0];
  }

  async list(opts: { limit: number; offset: number }): Promise<FaqSuggestionRow[]> {
    const pendingFirst = sql`case when ${faqSuggestions.status} = 'pending' then 0 else 1 end`;
    return this.db
      .select()
      .from(faqSuggestions)
      .orderBy(pendingFirst, asc(faqSuggestions.createdAt), asc(faqSuggestions.id))
      .limit(opts.limit)
      .offset(opts.offset);
  }

  async decide(
    id: string,
    d: { status: Exclude<FaqSuggestionStatus, 'pending'>; decidedBy: string; decidedAt: number; entryId: string | null },
  ): Promise<boolean> {
    const rows = await this.db
      .update(faqSuggestions)
      .set({ status: d.status, decidedBy: d.decidedBy, decidedAt: d.decidedAt, entryId: d.entryId })
      .where(and(eq(faqSuggestions.id, id), eq(faqSuggestions.status, 'pending')))
      .returning({ id: faqSuggestions.id });
    return rows.length > 0;
  }

  async redact(conversationId: string, by: string, now: number): Promise<number> {
    await this.db
      .update(faqSuggestions)
      .set({ status: 'rejected', decidedBy: by, decidedAt: now })
      .where(and(eq(faqSuggestions.conversationId, conversationId), eq(faqSuggestions.status, 'pending')));
    const rows = await this.db
      .update(faqSuggestions)
      .set({ question: '', answer: null })
      .where(and(eq(faqSuggestions.conversationId, conversationId), or(ne(faqSuggestions.question, ''), isNotNull(faqSuggestions.answer))))
      .returning({ id: faqSuggestions.id });
    return rows.length;
  }
}
