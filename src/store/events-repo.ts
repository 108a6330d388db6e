import { and, asc, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { events, conversations } from './sqlite/schema.js';
import { prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { EventRow, EventsRepo } from './ports.js';
import { encodeEventData, type DomainEvent } from '../domain/events.js';

export class SqlEventsRepo implements EventsRepo {
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

  async after(seq: number, opts: { conversationId?: string; limit: number }): Promise<EventRow[]> {
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
    return this.db.select().from(events).where(gte(events.createdAt, createdAt)).orderBy(asc(events.seq));
  }

  async maxSeq(): Promise<number> {
    const rows = await this.db
      .select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` })
      .from(events)
      .where(and(...this.visible([])));
    return Number(rows[0]?.seq ?? 0);
  }

  async forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]> {
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
}
