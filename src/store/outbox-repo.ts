import { and, eq, inArray, lte, or, isNull, lt, asc, sql } from 'drizzle-orm';
import { tables, type Database, type Db } from './database.js';
import type { OutboxRow } from './rows.js';

const { outbox } = tables;

export class OutboxRepo {
  constructor(
    private readonly db: Db,
    private readonly database: Database,
  ) {}

  async insert(row: OutboxRow): Promise<void> {
    await this.db.insert(outbox).values(row);
  }

  /**
   * Leases up to `limit` due rows to this worker until `leaseUntil`. A row whose lease expired
   * (its worker crashed mid-send) is due again: that is the "at most one resend" case.
   */
  async leaseDue(now: number, leaseUntil: number, limit: number): Promise<OutboxRow[]> {
    const due = and(
      eq(outbox.status, 'pending'),
      lte(outbox.nextAttemptAt, now),
      or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now)),
    );
    let ids: string[];
    if (this.database.dialect === 'pg') {
      const rows = await this.database.execute(
        this.db,
        sql`select id from outbox where status = 'pending' and next_attempt_at <= ${now}
            and (lease_until is null or lease_until < ${now})
            order by next_attempt_at, id limit ${limit} for update skip locked`,
      );
      ids = rows.map((r) => String(r.id));
    } else {
      ids = (await this.db.select({ id: outbox.id }).from(outbox).where(due).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id)).limit(limit)).map((r) => r.id);
    }
    if (ids.length === 0) return [];
    await this.db.update(outbox).set({ leaseUntil }).where(inArray(outbox.id, ids));
    return this.db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id));
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    return (await this.db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0];
  }

  async update(id: string, patch: Partial<Omit<OutboxRow, 'id'>>): Promise<void> {
    await this.db.update(outbox).set(patch).where(eq(outbox.id, id));
  }

  async forMessages(messageIds: string[]): Promise<Map<string, OutboxRow>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db.select().from(outbox).where(inArray(outbox.messageId, messageIds));
    return new Map(rows.map((r) => [r.messageId, r]));
  }

  /** The latest retry time among this conversation's unsent rows, so a new row can queue behind them. */
  async pendingUntil(conversationId: string): Promise<number | undefined> {
    const rows = await this.db
      .select({ at: sql<number>`max(${outbox.nextAttemptAt})` })
      .from(outbox)
      .where(and(eq(outbox.conversationId, conversationId), eq(outbox.status, 'pending')));
    const at = rows[0]?.at;
    return at == null ? undefined : Number(at);
  }

  /** When the next row becomes due, so the worker can sleep until then. */
  async nextDueAt(): Promise<number | undefined> {
    const rows = await this.db
      .select({ at: sql<number>`min(coalesce(${outbox.leaseUntil}, ${outbox.nextAttemptAt}))` })
      .from(outbox)
      .where(eq(outbox.status, 'pending'));
    const at = rows[0]?.at;
    return at == null ? undefined : Number(at);
  }
}
