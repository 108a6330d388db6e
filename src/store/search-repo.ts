import { and, asc, eq, gt, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { indexTerms, type SearchTerm } from '../domain/search-text.js';
import { channelIdentities, conversations, customers, messages, searchDocuments } from './sqlite/schema.js';
import { ONE_ROW, prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { MessageRow, SearchHit, SearchKind, SearchRepo, SearchRequest } from './ports.js';

/**
 * SQLite's FTS5 index over search_documents (drizzle/sqlite/0012_search_index.sql). Declared here,
 * not in the schema: the schema describes tables both databases have, and this one is SQLite's.
 */
const searchFts = sqliteTable('search_fts', { rowid: integer('rowid').notNull(), body: text('body').notNull() });

/** FTS5 query syntax: every term a quoted string (so `AND`, `*`, `"` are only text), all required. */
function ftsQuery(terms: SearchTerm[]): string {
  return terms.map((t) => `"${t.term.replaceAll('"', '""')}"${t.prefix ? '*' : ''}`).join(' ');
}

/** tsquery syntax: every term a quoted lexeme, all required (`&`). */
function tsQuery(terms: SearchTerm[]): string {
  return terms.map((t) => `'${t.term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${t.prefix ? ':*' : ''}`).join(' & ');
}

function messageDoc(m: MessageRow, body: string) {
  return {
    id: m.id,
    kind: m.direction === 'internal' ? ('note' as const) : ('message' as const),
    conversationId: m.conversationId,
    customerId: null,
    body,
    createdAt: m.createdAt,
  };
}

/**
 * The full-text index: what is written to it (messages and notes as they are stored, customers'
 * names as they change) and the ranked, scoped query. Writes happen in the caller's transaction,
 * so the index never disagrees with the rows it was made from.
 */
export class SqlSearchRepo implements SearchRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly dialect: 'sqlite' | 'pg',
    private readonly ops: DialectOps,
  ) {}

  /** Inserts a document, or replaces the terms of the one with this id. */
  private async put(doc: Omit<typeof searchDocuments.$inferInsert, 'seq'>, replace: boolean): Promise<void> {
    // No `on conflict (id) do update`: drizzle's SQLite dialect qualifies the target column, which PostgreSQL refuses.
    // Prepared: every stored message writes one (the query built anew each time cost more than running it).
    const q = prepared(this.db, 'search.put', (db) =>
      db
        .insert(searchDocuments)
        .values({
          seq: this.ops.columnDefault,
          id: sql.placeholder('id'),
          kind: sql.placeholder('kind'),
          conversationId: sql.placeholder('conversationId'),
          customerId: sql.placeholder('customerId'),
          body: sql.placeholder('body'),
          createdAt: sql.placeholder('createdAt'),
        })
        .onConflictDoNothing()
        .returning({ seq: searchDocuments.seq })
        .prepare(),
    );
    const inserted = await q.all({
      id: doc.id,
      kind: doc.kind,
      conversationId: doc.conversationId ?? null,
      customerId: doc.customerId ?? null,
      body: doc.body,
      createdAt: doc.createdAt,
    });
    if (inserted.length === 0 && replace)
      await this.db.update(searchDocuments).set({ body: doc.body }).where(eq(searchDocuments.id, doc.id));
  }

  async indexMessage(m: MessageRow): Promise<void> {
    const body = indexTerms(m.text);
    if (body === '') return;
    await this.put(messageDoc(m, body), true);
  }

  async indexCustomer(customerId: string): Promise<void> {
    const c = (await this.db.select().from(customers).where(eq(customers.id, customerId)).limit(ONE_ROW))[0];
    if (!c || c.erasedAt !== null || c.mergedInto !== null) {
      await this.remove([customerId]);
      return;
    }
    const ids = await this.db.select().from(channelIdentities).where(eq(channelIdentities.customerId, customerId));
    const names = [c.displayName, c.email];
    for (const i of ids) {
      names.push(i.displayName, i.username);
      // An email identity's user id is the address itself; other channels' ids are opaque numbers.
      if (i.channel === 'email' && !i.channelUserId.startsWith('erased:')) names.push(i.channelUserId);
    }
    const body = indexTerms([...new Set(names.filter((n): n is string => !!n))].join(' '));
    if (body === '') {
      await this.remove([customerId]);
      return;
    }
    await this.put({ id: customerId, kind: 'customer', conversationId: null, customerId, body, createdAt: c.createdAt }, true);
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.delete(searchDocuments).where(inArray(searchDocuments.id, ids));
  }

  async search(req: SearchRequest): Promise<SearchHit[]> {
    if (req.terms.length === 0 || req.kinds.length === 0) return [];
    const rows = await this.query(req);
    return rows.map((r) => ({ ...r, score: Number(r.score), createdAt: Number(r.createdAt) }));
  }

  async explain(req: SearchRequest): Promise<string[]> {
    const prefix = this.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const rows: unknown[] = await this.db.all(sql.join([sql.raw(prefix), this.query(req).getSQL()]));
    // SQLite returns rows as objects with a `detail`; the PostgreSQL proxy as arrays of one line.
    return rows.map((r) => {
      if (Array.isArray(r)) return r.join(' ');
      const detail = (r as { detail?: unknown }).detail;
      return typeof detail === 'string' ? detail : JSON.stringify(r);
    });
  }

  private query(req: SearchRequest) {
    const sqlite = this.dialect === 'sqlite';
    const terms = sqlite ? ftsQuery(req.terms) : tsQuery(req.terms);
    const vector = sql`to_tsvector('simple', ${searchDocuments.body})`;
    // Lower is better on both: FTS5's bm25 is negative, ts_rank is negated. Ranks tie-break by id.
    const score = sqlite ? sql<number>`bm25(search_fts)` : sql<number>`-ts_rank(${vector}, cast(${terms} as tsquery), 1)`;
    const match = sqlite ? sql`search_fts match ${terms}` : sql`${vector} @@ cast(${terms} as tsquery)`;
    const owner = sql`coalesce(${searchDocuments.customerId}, ${conversations.customerId})`;
    const conds: (SQL | undefined)[] = [
      match,
      inArray(searchDocuments.kind, req.kinds),
      // An erased customer's text is blanked in batches; until the last batch, this hides it.
      isNull(customers.erasedAt),
      isNull(customers.mergedInto),
    ];
    if (req.viewerId !== null) {
      conds.push(or(isNull(searchDocuments.conversationId), isNull(conversations.assigneeId), eq(conversations.assigneeId, req.viewerId)));
    }
    let q = this.db
      .select({
        id: sql<string>`${searchDocuments.id}`.as('hit_id'),
        kind: sql<SearchKind>`${searchDocuments.kind}`.as('hit_kind'),
        conversationId: sql<string | null>`${searchDocuments.conversationId}`.as('hit_conversation_id'),
        customerId: sql<string>`${owner}`.as('hit_customer_id'),
        createdAt: sql<number>`${searchDocuments.createdAt}`.as('hit_created_at'),
        score: score.as('hit_score'),
      })
      .from(searchDocuments)
      .$dynamic();
    if (sqlite) q = q.innerJoin(searchFts, eq(searchFts.rowid, searchDocuments.seq));
    const hits = q
      .leftJoin(conversations, eq(conversations.id, searchDocuments.conversationId))
      .innerJoin(customers, eq(customers.id, owner))
      .where(and(...conds))
      .as('hits');
    const after = req.after;
    return this.db
      .select()
      .from(hits)
      .where(after ? or(gt(hits.score, after.score), and(eq(hits.score, after.score), gt(hits.id, after.id))) : undefined)
      .orderBy(asc(hits.score), asc(hits.id))
      .limit(req.limit);
  }

  async backfillMessages(afterId: string | undefined, limit: number): Promise<string | undefined> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(afterId === undefined ? undefined : gt(messages.id, afterId), ne(messages.text, '')))
      .orderBy(asc(messages.id))
      .limit(limit);
    for (const m of rows) {
      const body = indexTerms(m.text);
      if (body === '') continue;
      await this.put(messageDoc(m, body), false);
    }
    return rows.at(-1)?.id;
  }

  async backfillCustomers(afterId: string | undefined, limit: number): Promise<string | undefined> {
    const rows = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(afterId === undefined ? undefined : gt(customers.id, afterId))
      .orderBy(asc(customers.id))
      .limit(limit);
    for (const c of rows) await this.indexCustomer(c.id);
    return rows.at(-1)?.id;
  }
}
