import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import { webhookDeliveries, webhookEvents, webhooks } from './sqlite/schema.js';
import { ONE_ROW, prepared, type DialectOps, type QueryDb } from './dialect.js';
import type { Webhook, WebhookRow, WebhooksRepo } from './ports.js';

/** The key event appends take turns on (events-repo.ts). */
export const APPEND_LOCK = 'switchboard:events-append';

export class SqlWebhooksRepo implements WebhooksRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async insert(row: WebhookRow, events: string[]): Promise<void> {
    await this.db.insert(webhooks).values(row);
    if (events.length) await this.db.insert(webhookEvents).values(events.map((type) => ({ webhookId: row.id, type })));
  }

  async get(id: string): Promise<Webhook | undefined> {
    const rows = await this.db.select().from(webhooks).where(eq(webhooks.id, id)).limit(ONE_ROW);
    return (await this.withEvents(rows))[0];
  }

  async list(limit: number): Promise<Webhook[]> {
    return this.withEvents(await this.db.select().from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id)).limit(limit));
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(webhooks);
    return Number(rows[0]?.n ?? 0);
  }

  async setSecret(id: string, secret: string, now: number): Promise<boolean> {
    const rows = await this.db
      .update(webhooks)
      .set({ secret, secretRotatedAt: now })
      .where(eq(webhooks.id, id))
      .returning({ id: webhooks.id });
    return rows.length > 0;
  }

  async delete(id: string): Promise<boolean> {
    // Taking the appenders' turn (events-repo.ts) means no transaction is between matching this
    // webhook and committing its delivery: those before have committed (their deliveries are
    // deleted below), those after see it gone.
    await this.ops.lockKey(this.db, APPEND_LOCK);
    await this.db.delete(webhookEvents).where(eq(webhookEvents.webhookId, id));
    await this.db.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id));
    const rows = await this.db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
    return rows.length > 0;
  }

  private async withEvents(rows: WebhookRow[]): Promise<Webhook[]> {
    if (rows.length === 0) return [];
    const subs = await this.db
      .select()
      .from(webhookEvents)
      .where(
        inArray(
          webhookEvents.webhookId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(webhookEvents.type));
    const byHook = new Map<string, string[]>();
    for (const s of subs) byHook.set(s.webhookId, [...(byHook.get(s.webhookId) ?? []), s.type]);
    return rows.map((r) => ({ ...r, events: byHook.get(r.id) ?? [] }));
  }
}

/** The events written together by one flush (events-repo.ts) in one statement, up to this many at a time. */
const EVENTS_PER_STATEMENT = 4;

/**
 * Called by every event append, in its transaction: one pending delivery per webhook that receives
 * each event's type, so an event and its deliveries commit (or roll back) together, on any
 * instance. The unique (webhook, event) index makes a repeated call harmless. One statement per
 * `EVENTS_PER_STATEMENT` events; returns how many deliveries were written. (PostgreSQL writes
 * them in the events' own statement instead: pg/ops.ts.)
 */
export async function enqueueWebhookDeliveriesOf(db: QueryDb, events: { seq: number; type: string; now: number }[]): Promise<number> {
  let written = 0;
  for (let at = 0; at < events.length; at += EVENTS_PER_STATEMENT) {
    const chunk = events.slice(at, at + EVENTS_PER_STATEMENT);
    // Every append runs it, so it is prepared once per number of events. Each select gives every
    // column in table order; casts give PostgreSQL the types of parameters and nulls (in a select
    // list they would be text).
    const q = prepared(db, `webhookDeliveries.enqueue:${chunk.length}`, (d) =>
      d
        .insert(webhookDeliveries)
        .select(
          sql.join(
            chunk.map(
              (
                _,
                i,
              ) => sql`select distinct ${webhookEvents.webhookId} || ':' || cast(${sql.placeholder(`seqText${i}`)} as text), ${webhookEvents.webhookId},
                cast(${sql.placeholder(`seq${i}`)} as bigint), 'pending', 0, cast(${sql.placeholder(`now${i}`)} as bigint),
                cast(null as bigint), cast(null as text), cast(null as integer), cast(null as text),
                cast(${sql.placeholder(`now${i}`)} as bigint), cast(null as bigint)
              from ${webhookEvents} where ${webhookEvents.type} in (${sql.placeholder(`type${i}`)}, '*')`,
            ),
            sql` union all `,
          ),
        )
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id })
        .prepare(),
    );
    const values: Record<string, string | number> = {};
    chunk.forEach((e, i) => {
      values[`seqText${i}`] = String(e.seq);
      values[`seq${i}`] = e.seq;
      values[`now${i}`] = e.now;
      values[`type${i}`] = e.type;
    });
    written += (await q.all(values)).length;
  }
  return written;
}
