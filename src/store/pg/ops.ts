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
};
