import { sql } from 'drizzle-orm';
import type { DialectOps } from '../dialect.js';
import { events } from '../sqlite/schema.js';

/** PostgreSQL runs transactions concurrently (and on several instances): these are its locks and its event visibility. */
export const ops: DialectOps = {
  async lockConversation(db, id) {
    await db.run(sql`select id from conversations where id = ${id} for update`);
  },
  async lockKey(db, key) {
    await db.run(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  },
  rowsChangeDuringTransaction: true,
  leaseLocking: sql`for update skip locked`,
  columnDefault: sql`default`,
  // events.tx_id defaults to the writing transaction's id (pg/schema.ts).
  settledEvents: sql`${events.txId} < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
};
