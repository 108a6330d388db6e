import { sql } from 'drizzle-orm';
import type { Placeholder } from 'drizzle-orm';
import type { DialectOps } from '../dialect.js';

/** PostgreSQL runs transactions concurrently (and on several instances): these are its locks and its event visibility. */
export const ops: DialectOps = {
  async lockConversation(db, id) {
    await db.run(sql`select id from conversations where id = ${id} for update`);
  },
  async lockKey(db, key) {
    await db.run(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  },
  rowsChangeDuringTransaction: true,
  // Written into the statement as ONE_ROW is (src/store/dialect.ts): `limit 1 for update`.
  oneRowLocked: sql.raw('1 for update') as unknown as Placeholder,
  leaseLocking: sql`for update skip locked`,
  columnDefault: sql`default`,
  // Not needed: appends take turns (events-repo.ts), so an event is visible only after every
  // lower sequence number is. Hiding events younger than the oldest open transaction was not
  // enough: a committed event could be shown while a lower one was hidden, and then skipped.
  settledEvents: undefined,
  async appendEvents(db, lockKey, rows) {
    // The VALUES carry their position, so the insert takes sequence numbers in the order given
    // (its defaults are evaluated after the ORDER BY), and the lock's one row joined in front of
    // them is taken before the first number is. `distinct`: a webhook may take the type and '*'.
    const values = sql.join(
      rows.map(
        (r, i) =>
          sql`(cast(${r.conversationId} as text), cast(${r.type} as text), cast(${r.data} as text), cast(${r.createdAt} as bigint), ${sql.raw(String(i))})`,
      ),
      sql`, `,
    );
    const out = await db.all<[number, number]>(sql`
      with locked as (select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))),
      added as (
        insert into events (conversation_id, type, data, created_at)
        select v.conversation_id, v.type, v.data, v.created_at
        from locked, (values ${values}) as v (conversation_id, type, data, created_at, ord)
        order by v.ord
        returning seq, type, created_at
      ),
      delivered as (
        insert into webhook_deliveries (id, webhook_id, event_seq, status, attempts, next_attempt_at, created_at)
        select distinct w.webhook_id || ':' || a.seq, w.webhook_id, a.seq, 'pending', 0, a.created_at, a.created_at
        from added a join webhook_events w on w.type in (a.type, '*')
        on conflict do nothing
        returning 1
      )
      select seq, (select count(*) from delivered) from added order by seq`);
    return { seqs: out.map((r) => Number(r[0])), deliveries: Number(out[0]?.[1] ?? 0) };
  },
};
