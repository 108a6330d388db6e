import {
  and,
  desc,
  eq,
  exists,
  getTableColumns,
  inArray,
  asc,
  gt,
  gte,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  sql,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import { lastCustomerMessage, lastLinesOf, lastMessage, newestFromCustomer, newestShown } from './last-lines.js';
import { conversationLabels, conversations, customers, messages } from './sqlite/schema.js';
import { literalLimit, ONE_ROW, patchPlaceholders, prepared, rowPlaceholders, rowsOf, type DialectOps, type QueryDb } from './dialect.js';
import type { ConversationStatus, Priority } from '../domain/conversation.js';
import { NOT_WAITING } from '../domain/list-order.js';
import type {
  BrowseFilter,
  ConversationFilter,
  ConversationKey,
  ConversationRow,
  ConversationSort,
  ConversationsRepo,
  ListedConversation,
  ListedRow,
  MessageAuthor,
} from './ports.js';
import { PRIORITIES, STATUSES } from '../domain/conversation.js';

export class SqlConversationsRepo implements ConversationsRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async get(id: string, opts: { lock?: boolean } = {}): Promise<ConversationRow | undefined> {
    if (opts.lock) await this.ops.lockConversation(this.db, id);
    const q = prepared(this.db, 'conversations.get', (db) =>
      db
        .select()
        .from(conversations)
        .where(eq(conversations.id, sql.placeholder('id')))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async latestForThread(channel: string, threadKey: string, opts: { lock?: boolean } = {}): Promise<ConversationRow | undefined> {
    // Locked: the row is locked by the same statement that reads it (`for update` on PostgreSQL),
    // so the row returned is the one locked, as it is once locked.
    const locked = opts.lock === true;
    const q = prepared(this.db, `conversations.latestForThread:${locked}`, (db) =>
      db
        .select()
        .from(conversations)
        .where(and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.threadKey, sql.placeholder('threadKey'))))
        .orderBy(desc(conversations.createdAt), desc(conversations.id))
        .limit(locked ? this.ops.oneRowLocked : ONE_ROW)
        .prepare(),
    );
    return (await q.all({ channel, threadKey }))[0];
  }

  async findByMessageExternalIds(channel: string, externalIds: string[]): Promise<string | undefined> {
    if (externalIds.length === 0) return undefined;
    const rows = await this.db
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channel, channel), inArray(messages.externalId, externalIds)))
      .orderBy(desc(messages.id))
      .limit(ONE_ROW);
    return rows[0]?.conversationId;
  }

  async insert(row: ConversationRow): Promise<void> {
    const q = prepared(this.db, 'conversations.insert', (db) => db.insert(conversations).values(rowPlaceholders(conversations)).prepare());
    await q.run({ ...row });
  }

  async update(id: string, values: Partial<Omit<ConversationRow, 'id'>>): Promise<void> {
    // The placeholders of exactly the columns the caller's patch sets (lifecycle writes come from src/lifecycle/apply.ts).
    const { keys, set: patch } = patchPlaceholders(values);
    const q = prepared(this.db, `conversations.update:${keys}`, (db) =>
      db
        .update(conversations)
        .set(patch)
        .where(eq(conversations.id, sql.placeholder('whereId')))
        .prepare(),
    );
    await q.run({ ...values, whereId: id });
  }

  async list(filter: ConversationFilter): Promise<ConversationRow[]> {
    // Keyset reads per status, each walking the priorities urgent first with index ranges on
    // (status, priority, waiting_since, id), with the assignee or team in front; "all open" merges
    // the open statuses' pages rather than scanning past closed ones.
    return this.listOf(ROWS, filter);
  }

  async listWithLines(filter: ConversationFilter): Promise<ListedConversation[]> {
    // The same reads as `list`, each row joined with its last lines and its customer's card:
    // the joins run only for the rows a part returns, and a page needs no second and third
    // statement looking its conversations and customers up again by id.
    return this.listOf(WITH_LINES, filter);
  }

  private async listOf<T>(shape: PageShape<T>, filter: ConversationFilter): Promise<T[]> {
    const statuses = filter.status ? [filter.status] : STATUSES.filter((s) => s !== 'closed');
    // One status after another: the reads share the request's one connection (node-postgres
    // queues queries sent at once on a client, and warns that it will stop doing so).
    const pages: T[][] = [];
    for (const status of statuses) pages.push(await this.pageOf(shape, status, filter, filter.limit, filter.after));
    if (pages.length === 1) return pages[0]!.slice(0, filter.limit);
    return pages
      .flat()
      .sort((a, b) => compareKeys(shape.key(a), shape.key(b)))
      .slice(0, filter.limit);
  }

  async browse(filter: BrowseFilter): Promise<ConversationRow[]> {
    // Newest activity first is an index range per status (conversations_activity); several
    // statuses in one read would sort every matching row, so each is read alone and merged.
    if (filter.sort === 'activity' && filter.statuses.length > 1) {
      const pages: ConversationRow[][] = [];
      for (const status of filter.statuses) pages.push(await this.browse({ ...filter, statuses: [status] }));
      return pages
        .flat()
        .sort((a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(0, filter.limit);
    }
    const c = conversations;
    const conds: SQL[] = [inArray(c.status, filter.statuses)];
    if (filter.assigneeId) conds.push(eq(c.assigneeId, filter.assigneeId));
    if (filter.team === null) conds.push(isNull(c.team));
    else if (filter.team !== undefined) conds.push(eq(c.team, filter.team));
    if (filter.snoozed !== undefined) conds.push(filter.snoozed ? isNotNull(c.snoozedUntil) : isNull(c.snoozedUntil));
    if (filter.channel !== undefined) conds.push(eq(c.channel, filter.channel));
    if (filter.priority !== undefined) conds.push(eq(c.priority, filter.priority));
    if (filter.label !== undefined)
      conds.push(
        exists(
          this.db
            .select({ one: sql`1` })
            .from(conversationLabels)
            .where(and(eq(conversationLabels.conversationId, c.id), eq(conversationLabels.label, filter.label))),
        ),
      );
    const { exprs, desc: descending } = sortExprs(filter.sort);
    const all = [...exprs, sql`${c.id}`];
    if (filter.after) {
      // Keyset: rows strictly past the cursor's (k1, k2, …, id) in the sort's direction.
      const values = [...filter.after.keys, filter.after.id];
      const past = (e: SQL, v: number | string) => (descending ? sql`${e} < ${v}` : sql`${e} > ${v}`);
      const alternatives = all.map((e, i) => and(...all.slice(0, i).map((p, j) => sql`${p} = ${values[j]}`), past(e, values[i]!))!);
      conds.push(or(...alternatives)!);
    }
    return this.db
      .select()
      .from(c)
      .where(and(...conds))
      .orderBy(...all.map((e) => (descending ? desc(e) : asc(e))))
      .limit(filter.limit);
  }

  async openCounts(agentIds: string[]): Promise<Map<string, number>> {
    if (agentIds.length === 0) return new Map();
    // An index range count on conversations_assignee (assignee_id, status, …) per agent.
    const rows = await this.db
      .select({ agentId: conversations.assigneeId, n: sql<number>`count(*)` })
      .from(conversations)
      .where(and(inArray(conversations.assigneeId, agentIds), eq(conversations.status, 'assigned')))
      .groupBy(conversations.assigneeId);
    return new Map(rows.flatMap((r) => (r.agentId === null ? [] : [[r.agentId, Number(r.n)] as const])));
  }

  /** One status's page in list order: priority by priority (urgent first), each as `waitingPage` reads it. */
  private async pageOf<T>(
    shape: PageShape<T>,
    status: ConversationStatus,
    filter: ConversationFilter,
    limit: number,
    after?: ConversationKey,
  ): Promise<T[]> {
    const from = after ? RANKED.indexOf(after.priority) : 0;
    let rows: T[] = [];
    for (let p = Math.max(0, from); p < RANKED.length && rows.length < limit; p++) {
      const priority = RANKED[p]!;
      const within = after && p === from ? after : undefined;
      rows = rows.concat(await this.waitingPage(shape, status, priority, filter, limit, within));
    }
    return rows.length > limit ? rows.slice(0, limit) : rows;
  }

  /**
   * Rows with a waiting time (by it, then id), then those without (by id), past `after` of the
   * same priority; up to `limit` from each part. Every part reads the whole `limit` rather than
   * what the parts before left, so the limit, written into the statement, is the page size
   * alone; the caller drops the rows past it.
   */
  private async waitingPage<T>(
    shape: PageShape<T>,
    status: ConversationStatus,
    priority: Priority,
    filter: ConversationFilter,
    limit: number,
    after?: ConversationKey,
  ): Promise<T[]> {
    const values = {
      status,
      priority,
      assigneeId: filter.assigneeId,
      team: filter.team ?? undefined,
      label: filter.label,
      afterW: after?.waitingSince ?? undefined,
      afterId: after?.id,
    };
    let rows: T[] = [];
    if (!after || after.waitingSince !== null) {
      rows = shape.map((await this.pageQuery(shape, filter, after ? 'waiting-after' : 'waiting', limit).values(values)) as unknown[][]);
    }
    if (rows.length < limit) {
      const part = after?.waitingSince === null ? 'unwaiting-after' : 'unwaiting';
      const more = shape.map((await this.pageQuery(shape, filter, part, limit).values(values)) as unknown[][]);
      rows = rows.length === 0 ? more : rows.concat(more);
    }
    return rows;
  }

  /**
   * One part of one priority's page, prepared once per shape: which filters are set, which part
   * is read, and the limit. Building the query cost more than running it, several times a page.
   */
  private pageQuery<T>(
    shape: PageShape<T>,
    filter: ConversationFilter,
    part: 'waiting' | 'waiting-after' | 'unwaiting' | 'unwaiting-after',
    limit: number,
  ) {
    const c = conversations;
    const team = filter.team === undefined ? '-' : filter.team === null ? 'null' : 'eq';
    const snoozed = filter.snoozed === undefined ? '-' : String(filter.snoozed);
    const key = `conversations.page:${shape.name}:${part}:${filter.assigneeId ? 'a' : '-'}:${team}:${snoozed}:${filter.label !== undefined ? 'l' : '-'}:${limit}`;
    return prepared(this.db, key, (db) => {
      const conds: SQL[] = [eq(c.status, sql.placeholder('status')), eq(c.priority, sql.placeholder('priority'))];
      if (filter.assigneeId) conds.push(eq(c.assigneeId, sql.placeholder('assigneeId')));
      if (team === 'null') conds.push(isNull(c.team));
      if (team === 'eq') conds.push(eq(c.team, sql.placeholder('team')));
      if (filter.snoozed !== undefined) conds.push(filter.snoozed ? isNotNull(c.snoozedUntil) : isNull(c.snoozedUntil));
      // A label narrows the same keyset read: a primary-key probe of conversation_labels per row.
      if (filter.label !== undefined)
        conds.push(
          exists(
            db
              .select({ one: sql`1` })
              .from(conversationLabels)
              .where(and(eq(conversationLabels.conversationId, c.id), eq(conversationLabels.label, sql.placeholder('label')))),
          ),
        );
      if (part === 'waiting') conds.push(isNotNull(c.waitingSince));
      if (part === 'waiting-after')
        conds.push(
          isNotNull(c.waitingSince),
          or(
            gt(c.waitingSince, sql.placeholder('afterW')),
            and(eq(c.waitingSince, sql.placeholder('afterW')), gt(c.id, sql.placeholder('afterId'))),
          )!,
        );
      if (part === 'unwaiting') conds.push(isNull(c.waitingSince));
      if (part === 'unwaiting-after') conds.push(isNull(c.waitingSince), gt(c.id, sql.placeholder('afterId')));
      return shape
        .from(db)
        .where(and(...conds))
        .orderBy(asc(c.waitingSince), asc(c.id))
        .limit(literalLimit(limit))
        .prepare();
    });
  }

  async snoozeDue(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(isNotNull(conversations.snoozedUntil), lte(conversations.snoozedUntil, now)))
      .orderBy(asc(conversations.snoozedUntil), asc(conversations.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async resolvedBefore(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.status, 'resolved'), sql`${conversations.resolvedAt} < ${cutoff}`))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async countQueuedBefore(waitingSince: number): Promise<number> {
    // An index range count on conversations_status (status, waiting_since): no table rows are read.
    const q = prepared(this.db, 'conversations.countQueuedBefore', (db) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(conversations)
        .where(and(eq(conversations.status, 'queued'), sql`${conversations.waitingSince} < ${sql.placeholder('waitingSince')}`))
        .prepare(),
    );
    const rows = await q.all({ waitingSince });
    return Number(rows[0]?.n ?? 0);
  }

  async ofCustomer(customerId: string, opts: { afterId?: string; limit: number }): Promise<ConversationRow[]> {
    const conds = [eq(conversations.customerId, customerId)];
    if (opts.afterId) conds.push(gt(conversations.id, opts.afterId));
    return this.db
      .select()
      .from(conversations)
      .where(and(...conds))
      .orderBy(asc(conversations.id))
      .limit(opts.limit);
  }

  async dueForRetention(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.status, 'closed'), isNull(conversations.redactedAt), lt(conversations.updatedAt, cutoff)))
      .orderBy(asc(conversations.updatedAt), asc(conversations.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async slaOpen(opts: { startedBy: number; afterId?: string; limit: number }): Promise<ConversationRow[]> {
    const c = conversations;
    const conds: SQL[] = [
      inArray(c.status, ['queued', 'assigned']),
      isNotNull(c.slaStartedAt),
      lte(c.slaStartedAt, opts.startedBy),
      or(and(isNull(c.firstRespondedAt), isNull(c.firstResponseBreachedAt)), isNull(c.resolutionBreachedAt))!,
    ];
    if (opts.afterId) conds.push(gt(c.id, opts.afterId));
    return this.db
      .select()
      .from(c)
      .where(and(...conds))
      .orderBy(asc(c.id))
      .limit(opts.limit);
  }

  async firstResponsesSince(since: number, limit: number): Promise<{ slaStartedAt: number; firstRespondedAt: number }[]> {
    const c = conversations;
    const rows = await this.db
      .select({ slaStartedAt: c.slaStartedAt, firstRespondedAt: c.firstRespondedAt })
      .from(c)
      .where(and(gte(c.firstRespondedAt, since), isNotNull(c.slaStartedAt)))
      .orderBy(desc(c.firstRespondedAt))
      .limit(limit);
    return rows.flatMap((r) =>
      r.slaStartedAt != null && r.firstRespondedAt != null ? [{ slaStartedAt: r.slaStartedAt, firstRespondedAt: r.firstRespondedAt }] : [],
    );
  }
}

/**
 * What a list page's parts select and how their `.values()` rows become results: the rows
 * alone, or with their last lines and customer card. Rows are read as arrays and mapped here:
 * drizzle's own mapping of every value cost a page more than SQLite's read.
 */
interface PageShape<T> {
  name: string;
  from(db: QueryDb): PageSelect;
  map(rows: unknown[][]): T[];
  key(item: T): ConversationKey;
}

/** The part of a select that `pageQuery` completes: conditions, order, limit, then prepared. */
interface PageSelect {
  where(where: SQL | undefined): {
    orderBy(...by: SQL[]): { limit(limit: Placeholder): { prepare(): { values(placeholders?: Record<string, unknown>): unknown } } };
  };
}

const COLUMNS = getTableColumns(conversations);
const toConversationRows = rowsOf<ConversationRow>(Object.keys(COLUMNS));

const ROWS: PageShape<ConversationRow> = {
  name: 'rows',
  from: (db) => db.select().from(conversations),
  map: toConversationRows,
  key: (row) => row,
};

/** The columns `ListedRow` keeps: each value read costs a page of 50 rows some 3 µs on SQLite. */
const LISTED_COLUMNS = (() => {
  const { threadKey: _t, lastAssigneeId: _l, firstResponseBreachedAt: _f, resolutionBreachedAt: _r, redactedAt: _d, ...kept } = COLUMNS;
  return kept;
})();
const toListedRows = rowsOf<ListedRow>(Object.keys(LISTED_COLUMNS));
const COLUMN_COUNT = Object.keys(LISTED_COLUMNS).length;
/**
 * The last line is the customer's own: then it is also their last (a customer's message is never
 * internal, so none of theirs can be newer), and the second walk and look-up are skipped.
 */
const customerSpokeLast = sql`${lastMessage.author} = 'customer'`;

const WITH_LINES: PageShape<ListedConversation> = {
  name: 'lines',
  from: (db) =>
    db
      .select({
        ...LISTED_COLUMNS,
        lastText: lastMessage.text,
        lastAuthor: lastMessage.author,
        lastAt: lastMessage.createdAt,
        customerText: sql<string | null>`case when ${customerSpokeLast} then ${lastMessage.text} else ${lastCustomerMessage.text} end`,
        customerAt: sql<
          number | null
        >`case when ${customerSpokeLast} then ${lastMessage.createdAt} else ${lastCustomerMessage.createdAt} end`,
        cardId: customers.id,
        cardName: customers.displayName,
        cardEmail: customers.email,
        cardLocale: customers.locale,
      })
      .from(conversations)
      .leftJoin(lastMessage, eq(lastMessage.id, newestShown()))
      .leftJoin(
        lastCustomerMessage,
        eq(lastCustomerMessage.id, sql`case when ${customerSpokeLast} then null else ${newestFromCustomer()} end`),
      )
      .leftJoin(customers, eq(customers.id, conversations.customerId)),
  map: (values) => {
    const rows = toListedRows(values);
    const out = new Array<ListedConversation>(values.length);
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      // The columns after the row's, read in place rather than sliced off into another array.
      const lastText = v[COLUMN_COUNT] as string | null;
      const lastAuthor = v[COLUMN_COUNT + 1] as MessageAuthor | null;
      const lastAt = v[COLUMN_COUNT + 2] as number | null;
      const customerText = v[COLUMN_COUNT + 3] as string | null;
      const customerAt = v[COLUMN_COUNT + 4] as number | null;
      const cardId = v[COLUMN_COUNT + 5] as string | null;
      out[j] = {
        row: rows[j]!,
        lines: lastLinesOf(lastText, lastAuthor, lastAt, customerText, customerAt),
        customer:
          cardId === null
            ? null
            : {
                id: cardId,
                displayName: v[COLUMN_COUNT + 6] as string | null,
                email: v[COLUMN_COUNT + 7] as string | null,
                locale: v[COLUMN_COUNT + 8] as string | null,
              },
      };
    }
    return out;
  },
  key: (item) => item.row,
};

/** Priorities in list order: urgent first. */
const RANKED = [...PRIORITIES].reverse();

/** The SQL of a sort's keys (the id follows them); `browseKey` computes the same values from a row. */
function sortExprs(sort: ConversationSort): { exprs: SQL[]; desc: boolean } {
  const c = conversations;
  const waiting = sql`coalesce(${c.waitingSince}, ${sql.raw(String(NOT_WAITING))})`;
  if (sort === 'activity') return { exprs: [sql`${c.lastMessageAt}`], desc: true };
  if (sort === 'waiting') return { exprs: [waiting], desc: false };
  const rank = sql.raw(`case priority ${RANKED.map((p, i) => `when '${p}' then ${i}`).join(' ')} else ${RANKED.length} end`);
  return { exprs: [sql`${rank}`, waiting], desc: false };
}

/** List order: priority (urgent first), waiting since (nulls last), then id. */
function compareKeys(a: ConversationKey, b: ConversationKey): number {
  if (a.priority !== b.priority) return RANKED.indexOf(a.priority) - RANKED.indexOf(b.priority);
  if (a.waitingSince !== b.waitingSince) {
    if (a.waitingSince === null) return 1;
    if (b.waitingSince === null) return -1;
    return a.waitingSince - b.waitingSince;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
