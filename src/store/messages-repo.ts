import { and, asc, desc, eq, inArray, isNotNull, lt, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
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
    // One statement for both lines, with only the columns they show: each is a backward walk of
    // the conversation's (conversation_id, id) index that stops at the first match, where a
    // max(id) per group read every message of the page's conversations, once per line.
    const last = alias(messages, 'last_message');
    const fromCustomer = alias(messages, 'last_customer_message');
    const newest = (where: SQL) =>
      sql`(select ${messages.id} from ${messages} where ${messages.conversationId} = ${conversations.id} and ${where} order by ${messages.id} desc limit 1)`;
    const lines = (db: QueryDb, ids: (string | Placeholder)[]) =>
      db
        .select({
          conversationId: conversations.id,
          lastText: last.text,
          lastAuthor: last.author,
          lastAt: last.createdAt,
          customerText: fromCustomer.text,
          customerAt: fromCustomer.createdAt,
        })
        .from(conversations)
        .leftJoin(last, eq(last.id, newest(ne(messages.direction, 'internal'))))
        .leftJoin(fromCustomer, eq(fromCustomer.id, newest(eq(messages.author, 'customer'))))
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
      const lastLine =
        lastText !== null && lastAuthor !== null && lastAt !== null ? { text: lastText, author: lastAuthor, createdAt: lastAt } : null;
      const customerLine =
        customerText !== null && customerAt !== null ? { text: customerText, author: 'customer' as const, createdAt: customerAt } : null;
      if (lastLine || customerLine) out.set(conversationId, { last: lastLine, fromCustomer: customerLine });
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
