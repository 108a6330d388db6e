import { and, asc, eq, gte, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { outbox } from './sqlite/schema.js';
import { ONE_ROW, patchPlaceholders, prepared, rowPlaceholders, type DialectOps, type QueryDb } from './dialect.js';
import type { OutboxRow, OutboxRepo } from './ports.js';

export class SqlOutboxRepo implements OutboxRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
    private readonly onInsert: () => void = () => {},
  ) {}

  async insert(row: OutboxRow): Promise<void> {
    const q = prepared(this.db, 'outbox.insert', (db) => db.insert(outbox).values(rowPlaceholders(outbox)).prepare());
    await q.run({ ...row });
    this.onInsert();
  }

  async leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<OutboxRow[]> {
    const rows = await this.db.values<[string]>(
      sql`select id from outbox where status = 'pending' and next_attempt_at <= ${now}
          and (lease_until is null or lease_until < ${now})
          and not exists (select 1 from outbox earlier where earlier.conversation_id = outbox.conversation_id
                          and earlier.status = 'pending' and earlier.id < outbox.id)
          order by next_attempt_at, id limit ${limit}
          ${this.ops.leaseLocking}`,
    );
    const ids = rows.map(([id]) => id);
    if (ids.length === 0) return [];
    await this.db
      .update(outbox)
      .set({ leaseUntil, leaseOwner: owner ?? null })
      .where(inArray(outbox.id, ids));
    return this.db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id));
  }

  async leaseOwners(now: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ owner: outbox.leaseOwner })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), gte(outbox.leaseUntil, now), isNotNull(outbox.leaseOwner)));
    return rows.map((r) => r.owner!);
  }

  async releaseLeases(owners: string[]): Promise<number> {
    if (owners.length === 0) return 0;
    const released = await this.db
      .update(outbox)
      .set({ leaseUntil: null, leaseOwner: null })
      .where(and(eq(outbox.status, 'pending'), inArray(outbox.leaseOwner, owners)))
      .returning({ id: outbox.id });
    return released.length;
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    const q = prepared(this.db, 'outbox.get', (db) =>
      db
        .select()
        .from(outbox)
        .where(eq(outbox.id, sql.placeholder('id')))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async update(id: string, patch: Partial<Omit<OutboxRow, 'id'>>): Promise<void> {
    const { keys, set } = patchPlaceholders(patch);
    const q = prepared(this.db, `outbox.update:${keys}`, (db) =>
      db
        .update(outbox)
        .set(set)
        .where(eq(outbox.id, sql.placeholder('whereId')))
        .prepare(),
    );
    await q.run({ ...patch, whereId: id });
  }

  async forMessages(messageIds: string[]): Promise<Map<string, OutboxRow>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db.select().from(outbox).where(inArray(outbox.messageId, messageIds));
    return new Map(rows.map((r) => [r.messageId, r]));
  }

  async nextDueAt(): Promise<number | undefined> {
    const q = prepared(this.db, 'outbox.nextDueAt', (db) =>
      db
        .select({ at: sql<number>`min(coalesce(${outbox.leaseUntil}, ${outbox.nextAttemptAt}))` })
        .from(outbox)
        .where(eq(outbox.status, 'pending'))
        .prepare(),
    );
    const rows = await q.all();
    const at = rows[0]?.at;
    return at == null ? undefined : Number(at);
  }

  async redact(conversationId: string, reason: string): Promise<number> {
    await this.db
      .update(outbox)
      .set({ status: 'failed', lastError: reason, leaseUntil: null })
      .where(and(eq(outbox.conversationId, conversationId), eq(outbox.status, 'pending')));
    const rows = await this.db
      .update(outbox)
      .set({ payload: '{}' })
      .where(and(eq(outbox.conversationId, conversationId), ne(outbox.payload, '{}')))
      .returning({ id: outbox.id });
    return rows.length;
  }
}
