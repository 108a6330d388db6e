import { and, asc, desc, eq, inArray, isNotNull, lt, ne, or, sql, type Placeholder } from 'drizzle-orm';
import { lastCustomerMessage, lastLinesOf, lastMessage, newestFromCustomer, newestShown } from './last-lines.js';
import { conversations, messages } from './sqlite/schema.js';
import { inPlaceholders, ONE_ROW, prepared, rowPlaceholders, type QueryDb } from './dialect.js';
import type { LastLines, MessageRow, MessagesRepo, SearchRepo } from './ports.js';

/** Messages and notes. The one place they are written, so also where the search index follows them (same transaction). */
export class SqlMessagesRepo implements MessagesRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly search: SearchRepo,
  ) {}

  async findByExternal(channel: string, externalId: string): Promise<MessageRow | undefined> {
    const q = prepared(this.db, 'messages.findByExternal', (db) =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.channel, sql.placeholder('channel')), eq(messages.externalId, sql.placeholder('externalId'))))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ channel, externalId }))[0];
  }

  /** Inserts unless (channel, externalId) exists; returns false on that conflict. */
  async insert(row: MessageRow): Promise<boolean> {
    const q = prepared(this.db, 'messages.insert', (db) =>
      db.insert(messages).values(rowPlaceholders(messages)).onConflictDoNothing().returning({ id: messages.id }).prepare(),
    );
    if ((await q.all({ ...row })).length !== 1) return false;
    await this.search.indexMessage(row);
    return true;
  }

  async byIds(ids: string[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    const q = prepared(this.db, `messages.byIds:${ids.length}`, (db) =>
      db
        .select()
        .from(messages)
        .where(
          inArray(
            messages.id,
            ids.map((_, i) => sql.placeholder(String(i))),
          ),
        )
        .prepare(),
    );
    return q.all(Object.fromEntries(ids.map((id, i) => [String(i), id])));
  }

  async get(id: string): Promise<MessageRow | undefined> {
    const q = prepared(this.db, 'messages.get', (db) =>
      db
        .select()
        .from(messages)
        .where(eq(messages.id, sql.placeholder('id')))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async setExternalId(id: string, externalId: string): Promise<void> {
    const q = prepared(this.db, 'messages.setExternalId', (db) =>
      db
        .update(messages)
        .set({ externalId: sql`${sql.placeholder('externalId')}` })
        .where(eq(messages.id, sql.placeholder('id')))
        .prepare(),
    );
    await q.run({ id, externalId });
  }

  async list(conversationId: string, opts: { includeInternal: boolean }): Promise<MessageRow[]> {
    const conds = [eq(messages.conversationId, conversationId)];
    if (!opts.includeInternal) conds.push(ne(messages.direction, 'internal'));
    return this.db
      .select()
      .from(messages)
      .where(and(...conds))
      .orderBy(asc(messages.id));
  }

  async page(conversationId: string, opts: { includeInternal: boolean; limit: number; before?: string }): Promise<MessageRow[]> {
    const conds = [eq(messages.conversationId, conversationId)];
    if (!opts.includeInternal) conds.push(ne(messages.direction, 'internal'));
    if (opts.before !== undefined) conds.push(lt(messages.id, opts.before));
    return this.db
      .select()
      .from(messages)
      .where(and(...conds))
      .orderBy(desc(messages.id))
      .limit(opts.limit);
  }

  async recent(conversationId: string, limit: number): Promise<MessageRow[]> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), ne(messages.direction, 'internal')))
      .orderBy(desc(messages.id))
      .limit(limit);
    return rows.reverse();
  }

  async lastInbound(conversationId: string): Promise<MessageRow | undefined> {
    const q = prepared(this.db, 'messages.lastInbound', (db) =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, sql.placeholder('conversationId')), eq(messages.direction, 'in')))
        .orderBy(desc(messages.id))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ conversationId }))[0];
  }

  async lastLinesOf(conversationIds: string[]): Promise<Map<string, LastLines>> {
    const out = new Map<string, LastLines>();
    if (conversationIds.length === 0) return out;
    // One statement for both lines, with only the columns they show (last-lines.ts).
    const lines = (db: QueryDb, ids: (string | Placeholder)[]) =>
      db
        .select({
          conversationId: conversations.id,
          lastText: lastMessage.text,
          lastAuthor: lastMessage.author,
          lastAt: lastMessage.createdAt,
          customerText: lastCustomerMessage.text,
          customerAt: lastCustomerMessage.createdAt,
        })
        .from(conversations)
        .leftJoin(lastMessage, eq(lastMessage.id, newestShown()))
        .leftJoin(lastCustomerMessage, eq(lastCustomerMessage.id, newestFromCustomer()))
        .where(inArray(conversations.id, ids));
    const list = inPlaceholders(conversationIds);
    // Rows as arrays (`.values()`), in the selection's order: drizzle's mapping of each value cost
    // more than the read.
    const rows = (
      list
        ? await prepared(this.db, `messages.lastLinesOf:${list.size}`, (db) => lines(db, list.list).prepare()).values(list.values)
        : await lines(this.db, conversationIds).values()
    ) as [string, string | null, MessageRow['author'] | null, number | null, string | null, number | null][];
    for (const [conversationId, lastText, lastAuthor, lastAt, customerText, customerAt] of rows) {
      const found = lastLinesOf(lastText, lastAuthor, lastAt, customerText, customerAt);
      if (found.last || found.fromCustomer) out.set(conversationId, found);
    }
    return out;
  }

  async redact(conversationId: string, opts: { externalIds: boolean; limit: number }): Promise<number> {
    const notBlank = [ne(messages.text, ''), isNotNull(messages.meta)];
    if (opts.externalIds) notBlank.push(isNotNull(messages.externalId));
    const batch = this.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), or(...notBlank)))
      .limit(opts.limit);
    const rows = await this.db
      .update(messages)
      .set(opts.externalIds ? { text: '', meta: null, externalId: null } : { text: '', meta: null })
      .where(inArray(messages.id, batch))
      .returning({ id: messages.id });
    // Blanked text leaves the index with it: erasure and retention purge it from search too.
    await this.search.remove(rows.map((r) => r.id));
    return rows.length;
  }
}
