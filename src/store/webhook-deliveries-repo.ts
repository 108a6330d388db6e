import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { events, webhookDeliveries, webhooks } from './sqlite/schema.js';
import { ONE_ROW, patchPlaceholders, prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { WebhookDeliveriesRepo, WebhookDeliveryLogRow, WebhookDeliveryRow, WebhookJob } from './ports.js';

/** Leased like the outbox (outbox-repo.ts), without its one-row-per-conversation order: webhooks carry their own time and id. */
export class SqlWebhookDeliveriesRepo implements WebhookDeliveriesRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<WebhookJob[]> {
    const rows = await this.db.values<[string]>(
      sql`select id from webhook_deliveries where status = 'pending' and next_attempt_at <= ${now}
          and (lease_until is null or lease_until < ${now})
          order by next_attempt_at, id limit ${limit}
          ${this.ops.leaseLocking}`,
    );
    const ids = rows.map(([id]) => id);
    if (ids.length === 0) return [];
    await this.db
      .update(webhookDeliveries)
      .set({ leaseUntil, leaseOwner: owner ?? null })
      .where(inArray(webhookDeliveries.id, ids));
    const jobs = await this.db
      .select({
        delivery: webhookDeliveries,
        url: webhooks.url,
        secret: webhooks.secret,
        event: {
          seq: events.seq,
          conversationId: events.conversationId,
          type: events.type,
          data: events.data,
          createdAt: events.createdAt,
        },
      })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .innerJoin(events, eq(events.seq, webhookDeliveries.eventSeq))
      .where(inArray(webhookDeliveries.id, ids))
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id));
    return jobs;
  }

  async leaseOwners(now: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ owner: webhookDeliveries.leaseOwner })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, 'pending'), gte(webhookDeliveries.leaseUntil, now), isNotNull(webhookDeliveries.leaseOwner)));
    return rows.map((r) => r.owner!);
  }

  async releaseLeases(owners: string[]): Promise<number> {
    if (owners.length === 0) return 0;
    const released = await this.db
      .update(webhookDeliveries)
      .set({ leaseUntil: null, leaseOwner: null })
      .where(and(eq(webhookDeliveries.status, 'pending'), inArray(webhookDeliveries.leaseOwner, owners)))
      .returning({ id: webhookDeliveries.id });
    return released.length;
  }

  async get(id: string): Promise<WebhookDeliveryRow | undefined> {
    return (await this.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(ONE_ROW))[0];
  }

  async update(id: string, patch: Partial<Omit<WebhookDeliveryRow, 'id' | 'webhookId' | 'eventSeq'>>): Promise<void> {
    const { keys, set } = patchPlaceholders(patch);
    const q = prepared(this.db, `webhookDeliveries.update:${keys}`, (db) =>
      db
        .update(webhookDeliveries)
        .set(set)
        .where(eq(webhookDeliveries.id, sql.placeholder('whereId')))
        .prepare(),
    );
    await q.run({ ...patch, whereId: id });
  }

  async nextDueAt(): Promise<number | undefined> {
    const q = prepared(this.db, 'webhookDeliveries.nextDueAt', (db) =>
      db
        .select({ at: sql<number>`min(coalesce(${webhookDeliveries.leaseUntil}, ${webhookDeliveries.nextAttemptAt}))` })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.status, 'pending'))
        .prepare(),
    );
    const at = (await q.all())[0]?.at;
    return at == null ? undefined : Number(at);
  }

  async prune(before: number, limit: number): Promise<number> {
    const ids = await this.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(inArray(webhookDeliveries.status, ['delivered', 'failed']), lt(webhookDeliveries.createdAt, before)))
      .limit(limit);
    if (ids.length === 0) return 0;
    const gone = await this.db
      .delete(webhookDeliveries)
      .where(
        inArray(
          webhookDeliveries.id,
          ids.map((r) => r.id),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return gone.length;
  }

  async log(webhookId: string, opts: { beforeSeq?: number; limit: number }): Promise<WebhookDeliveryLogRow[]> {
    const conds = [eq(webhookDeliveries.webhookId, webhookId)];
    if (opts.beforeSeq !== undefined) conds.push(lt(webhookDeliveries.eventSeq, opts.beforeSeq));
    const rows = await this.db
      .select({ d: webhookDeliveries, eventType: events.type })
      .from(webhookDeliveries)
      .innerJoin(events, eq(events.seq, webhookDeliveries.eventSeq))
      .where(and(...conds))
      .orderBy(desc(webhookDeliveries.eventSeq))
      .limit(opts.limit);
    return rows.map(({ d, eventType }) => ({ ...d, eventType }));
  }
}
