import { and, asc, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { events, conversations } from './sqlite/schema.js';
import { prepared, type AppendedEvent, type DialectOps, type QueryDb } from './dialect.js';
import type { EventRow, EventsRepo, FeedRow } from './ports.js';
import { encodeEventData, type DomainEvent } from '../domain/events.js';
import { SqlParticipantsRepo } from './participants-repo.js';
import { APPEND_LOCK, enqueueWebhookDeliveriesOf } from './webhooks-repo.js';
import { recordFact } from './conversation-facts.js';

interface PendingEvent {
  conversationId: string | null;
  event: DomainEvent;
  createdAt: number;
}

export class SqlEventsRepo implements EventsRepo {
  /** Appended with `appendLater`, written by `flush` (at the latest as the transaction ends, see Store.tx). */
  private pending: PendingEvent[] = [];

  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
    private readonly onAppend: () => void,
    private readonly onWebhookDeliveries: () => void = () => {},
  ) {}

  private visible(conds: SQL[]): SQL[] {
    return this.ops.settledEvents ? [...conds, this.ops.settledEvents] : conds;
  }

  /**
   * Rows come back with their data as stored; read them with `decodeEvent` (src/domain/events.ts).
   * Every append also writes, in the same transaction, a delivery for each webhook that receives
   * the event's type: the one place every event passes, so no writer can forget it.
   */
  async append(conversationId: string | null, event: DomainEvent, now: number): Promise<number> {
    await this.flush();
    const [seq] = await this.write([{ conversationId, event, createdAt: now }]);
    this.onAppend();
    return seq!;
  }

  appendLater(conversationId: string | null, event: DomainEvent, now: number): void {
    this.onAppend();
    this.pending.push({ conversationId, event, createdAt: now });
  }

  /**
   * Writes the events appended with `appendLater`, in order, in one statement. On PostgreSQL the
   * appends' lock (see `write`) is taken only here, so a transaction holds it from its end
   * to its commit instead of from its first event on; every read of the log flushes first.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    await this.write(pending);
  }

  /**
   * Inserts events in order with their webhook deliveries, then the reports' rows; returns their
   * sequence numbers. On PostgreSQL, transactions that append events take turns from their first
   * event to their commit, so sequence numbers become visible in order: without it, a transaction
   * could take seq 5, a second take seq 6 and commit first, and a reader at 6 would never see 5.
   * There the lock, the events and the deliveries are one statement (DialectOps.appendEvents), so
   * the lock is held for as few round trips as can be.
   */
  private async write(pending: PendingEvent[]): Promise<number[]> {
    const rows = pending.map((p) => ({
      conversationId: p.conversationId,
      type: p.event.type,
      data: encodeEventData(p.event),
      createdAt: p.createdAt,
    }));
    const { seqs, deliveries } = this.ops.appendEvents ? await this.ops.appendEvents(this.db, APPEND_LOCK, rows) : await this.insert(rows);
    for (const p of pending) await recordFact(this.db, p.conversationId, p.event, p.createdAt);
    if (deliveries > 0) this.onWebhookDeliveries();
    return seqs;
  }

  /** The events in one insert (prepared per number of events, up to a few; more are built), then their deliveries. */
  private async insert(rows: AppendedEvent[]): Promise<{ seqs: number[]; deliveries: number }> {
    await this.ops.lockKey(this.db, APPEND_LOCK);
    const values: Record<string, string | number | null> = {};
    rows.forEach((r, i) => {
      values[`conversationId${i}`] = r.conversationId;
      values[`type${i}`] = r.type;
      values[`data${i}`] = r.data;
      values[`createdAt${i}`] = r.createdAt;
    });
    const build = (db: QueryDb) =>
      db
        .insert(events)
        .values(
          rows.map((_, i) => ({
            seq: this.ops.columnDefault,
            conversationId: sql.placeholder(`conversationId${i}`),
            type: sql.placeholder(`type${i}`),
            data: sql.placeholder(`data${i}`),
            createdAt: sql.placeholder(`createdAt${i}`),
            txId: this.ops.columnDefault,
          })),
        )
        .returning({ seq: events.seq })
        .prepare();
    const inserted = await (rows.length <= 8 ? prepared(this.db, `events.flush:${rows.length}`, build) : build(this.db)).all(values);
    const seqs = inserted.map((r) => Number(r.seq));
    const deliveries = await enqueueWebhookDeliveriesOf(
      this.db,
      rows.map((r, i) => ({ seq: seqs[i]!, type: r.type, now: r.createdAt })),
    );
    return { seqs, deliveries };
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

  async ofType(type: string, from: number, to: number): Promise<EventRow[]> {
    await this.flush();
    return this.db
      .select()
      .from(events)
      .where(and(eq(events.type, type), gte(events.createdAt, from), sql`${events.createdAt} < ${to}`))
      .orderBy(asc(events.seq));
  }

  async maxSeq(): Promise<number> {
    await this.flush();
    // Read with every list page (its eventCursor): prepared once.
    const q = prepared(this.db, 'events.maxSeq', (db) =>
      db
        .select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` })
        .from(events)
        .where(and(...this.visible([])))
        .prepare(),
    );
    const rows = await q.all();
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
    // Who was invited into these conversations, read once for the batch, so streams can show participants their events.
    const ids = [...new Set(rows.flatMap(({ e }) => (e.conversationId ? [e.conversationId] : [])))];
    const participants = ids.length ? await new SqlParticipantsRepo(this.db).of(ids) : new Map<string, string[]>();
    return rows.map(({ e, channel, threadKey, status, assigneeId }) => ({
      event: e,
      conversation:
        channel !== null && threadKey !== null && status !== null
          ? { channel, threadKey, status, assigneeId, participantIds: participants.get(e.conversationId!) ?? [] }
          : null,
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
