import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { emailCopies } from './sqlite/schema.js';
import { ONE_ROW, patchPlaceholders, prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { EmailCopiesRepo, EmailCopyRow } from './ports.js';

export class SqlEmailCopiesRepo implements EmailCopiesRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async insert(row: EmailCopyRow): Promise<boolean> {
    const added = await this.db.insert(emailCopies).values(row).onConflictDoNothing().returning({ id: emailCopies.messageId });
    return added.length > 0;
  }

  async leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<EmailCopyRow[]> {
    const rows = await this.db.values<[string]>(
      sql`select message_id from email_copies where status = 'pending' and next_attempt_at <= ${now}
          and (lease_until is null or lease_until < ${now})
          and not exists (select 1 from email_copies earlier where earlier.conversation_id = email_copies.conversation_id
                          and earlier.status = 'pending' and earlier.message_id < email_copies.message_id)
          order by next_attempt_at, message_id limit ${limit}
          ${this.ops.leaseLocking}`,
    );
    const ids = rows.map(([id]) => id);
    if (ids.length === 0) return [];
    await this.db
      .update(emailCopies)
      .set({ leaseUntil, leaseOwner: owner ?? null })
      .where(inArray(emailCopies.messageId, ids));
    const leased = await this.db
      .select()
      .from(emailCopies)
      .where(inArray(emailCopies.messageId, ids))
      .orderBy(asc(emailCopies.nextAttemptAt));
    return leased as EmailCopyRow[];
  }

  async leaseOwners(now: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ owner: emailCopies.leaseOwner })
      .from(emailCopies)
      .where(and(eq(emailCopies.status, 'pending'), gte(emailCopies.leaseUntil, now), isNotNull(emailCopies.leaseOwner)));
    return rows.map((r) => r.owner!);
  }

  async releaseLeases(owners: string[]): Promise<number> {
    if (owners.length === 0) return 0;
    const released = await this.db
      .update(emailCopies)
      .set({ leaseUntil: null, leaseOwner: null })
      .where(and(eq(emailCopies.status, 'pending'), inArray(emailCopies.leaseOwner, owners)))
      .returning({ id: emailCopies.messageId });
    return released.length;
  }

  async get(messageId: string): Promise<EmailCopyRow | undefined> {
    return (await this.db.select().from(emailCopies).where(eq(emailCopies.messageId, messageId)).limit(ONE_ROW))[0] as
      EmailCopyRow | undefined;
  }

  async update(messageId: string, patch: Partial<Omit<EmailCopyRow, 'messageId' | 'conversationId'>>): Promise<void> {
    const { keys, set } = patchPlaceholders(patch);
    const q = prepared(this.db, `emailCopies.update:${keys}`, (db) =>
      db
        .update(emailCopies)
        .set(set)
        .where(eq(emailCopies.messageId, sql.placeholder('whereId')))
        .prepare(),
    );
    await q.run({ ...patch, whereId: messageId });
  }

  async nextDueAt(): Promise<number | undefined> {
    const rows = await this.db
      .select({ at: sql<number>`min(coalesce(${emailCopies.leaseUntil}, ${emailCopies.nextAttemptAt}))` })
      .from(emailCopies)
      .where(eq(emailCopies.status, 'pending'));
    const at = rows[0]?.at;
    return at == null ? undefined : Number(at);
  }

  async forMessages(messageIds: string[]): Promise<Map<string, EmailCopyRow>> {
    if (messageIds.length === 0) return new Map();
    const rows = (await this.db.select().from(emailCopies).where(inArray(emailCopies.messageId, messageIds))) as EmailCopyRow[];
    return new Map(rows.map((r) => [r.messageId, r]));
  }

  async sentIds(conversationId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: emailCopies.externalId })
      .from(emailCopies)
      .where(and(eq(emailCopies.conversationId, conversationId), eq(emailCopies.status, 'sent'), isNotNull(emailCopies.externalId)))
      .orderBy(asc(emailCopies.sentAt), asc(emailCopies.messageId));
    return rows.map((r) => r.id!).slice(-limit);
  }

  async skipPending(conversationId: string, upTo: number, now: number, reason: string): Promise<number> {
    const rows = await this.db
      .update(emailCopies)
      .set({ status: 'skipped', lastError: reason, leaseUntil: null, leaseOwner: null })
      .where(
        and(
          eq(emailCopies.conversationId, conversationId),
          eq(emailCopies.status, 'pending'),
          lte(emailCopies.createdAt, upTo),
          or(isNull(emailCopies.leaseUntil), lt(emailCopies.leaseUntil, now)),
        ),
      )
      .returning({ id: emailCopies.messageId });
    return rows.length;
  }
}
