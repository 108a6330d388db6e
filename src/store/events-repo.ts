import { and, asc, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { events, conversations } from './sqlite/schema.js';
import { prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { EventRow, EventsRepo, FeedRow } from './ports.js';
import { encodeEventData, type DomainEvent } from '../domain/events.js';

interface PendingEvent {
  conversationId: string | null;
  type: string;
  data: string;
  createdAt: number;
}

export class SqlEventsRepo implements EventsRepo {
  /** Appended with `appendLater`, written by `flush` (at the latest as the transaction ends, see Store.tx). */
  private pending: PendingEvent[] = [];

  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
    private readonly onAppend: () => void,
  ) {}

  private visible(conds: SQL[]): SQL[] {
    return this.ops.settledEvents ? [...conds, this.ops.settledEvents] : conds;
  }

  /** Rows come back with their data as stored; read them with `decodeEvent` (src/domain/events.ts). */
  async append(conversationId: string | null, event: DomainEvent, now: number): Promise<number> {
    await this.flush();
    // On PostgreSQL, transactions that append events take turns from their first event to their
    // commit, so sequence numbers become visible in order: without it, a transaction could take
    // seq 5, a second take seq 6 and commit first, and a reader at 6 would never see 5.
    await this.ops.lockKey(this.db, 'switchboard:events-append');
    const q = prepared(this.db, 'events.append', (db) =>
      db
        .insert(events)
        .values({
          seq: this.ops.columnDefault,
          conversationId: sql.placeholder('conversationId'),
          type: sql.placeholder('type'),
          data: sql.placeholder('data'),
          createdAt: sql.placeholder('createdAt'),
          txId: this.ops.columnDefault,
        })
        .returning({ seq: events.seq })
        .prepare(),
    );
    const rows = await q.all({ conversationId, type: event.type, data: encodeEventData(event), createdAt: now });
    this.onAppend();
    return Number(rows[0]!.seq);
  }

  appendLater(conversationId: string | null, event: DomainEvent, now: number): void {
    this.onAppend();
    this.pending.push({ conversationId, type: event.type, data: encodeEventData(event), createdAt: now });
  }

  /**
   * Writes the events appended with `appendLater`, in order, in one statement. On PostgreSQL the
   * appends' lock (see `append`) is taken only here, so a transaction holds it from its end
   * to its commit instead of from its first event on; every read of the log flushes first.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    await this.ops.lockKey(this.db, 'switchboard:events-append');
    await this.db.insert(events).values(rows.map((r) => ({ ...r, seq: this.ops.columnDefault, txId: this.ops.columnDefault })));
  }

  async after(seq: number, opts: { conversationId?: string; limit: number }): Promise<EventRow[]> {
    await this.flush();
    const conds = [gt(events.seq, seq)];
    if (opts.conversationId) conds.push(eq(events.conversationId, opts.conversationId));
    return this.db
      .select()
      .from(events)
      .where(and(...this.visible(conds)))
      .orderBy(asc(events.seq))
      .limit(opts.limit);
  }

  async since(createdAt: number): Promise<EventRow[]> {
    await this.flush();
    return this.db.select().from(events).where(gte(events.createdAt, createdAt)).orderBy(asc(events.seq));
  }

  async maxSeq(): Promise<number> {
    await this.flush();
    const rows = await this.db
      .select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` })
      .from(events)
      .where(and(...this.visible([])));
    return Number(rows[0]?.seq ?? 0);
  }

  async feed(seq: number, limit: number): Promise<FeedRow[]> {
    await this.flush();
    const rows = await this.db
      .select({
        e: events,
        channel: conversations.channel,
        threadKey: conversations.threadKey,
        status: conversations.status,
        assigneeId: conversations.assigneeId,
      })
      .from(events)
      .leftJoin(conversations, eq(events.conversationId, conversations.id))
      .where(and(...this.visible([gt(events.seq, seq)])))
      .orderBy(asc(events.seq))
      .limit(limit);
    return rows.map(({ e, channel, threadKey, status, assigneeId }) => ({
      event: e,
      conversation: channel !== null && threadKey !== null && status !== null ? { channel, threadKey, status, assigneeId } : null,
    }));
  }

  async forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]> {
    await this.flush();
    const q = prepared(this.db, `events.forThread:${types.length}`, (db) =>
      db
        .select({ e: events })
        .from(events)
        .innerJoin(conversations, eq(events.conversationId, conversations.id))
        .where(
          and(
            ...this.visible([
              eq(conversations.channel, sql.placeholder('channel')),
              eq(conversations.threadKey, sql.placeholder('threadKey')),
              inArray(
                events.type,
                types.map((_, i) => sql.placeholder(`type${i}`)),
              ),
              gt(events.seq, sql.placeholder('seq')),
            ]),
          ),
        )
        .orderBy(asc(events.seq))
        .limit(sql.placeholder('limit'))
        .prepare(),
    );
    const rows = await q.all({ channel, threadKey, seq, limit, ...Object.fromEntries(types.map((t, i) => [`type${i}`, t])) });
    return rows.map((r) => r.e);
  }

  async replaceData(seq: number, event: DomainEvent): Promise<void> {
    await this.flush();
    await this.db
      .update(events)
      .set({ type: event.type, data: encodeEventData(event) })
      .where(eq(events.seq, seq));
  }
}
