import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database, DialectOps } from '../dialect.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'drizzle', 'sqlite');

/** One connection and `BEGIN IMMEDIATE` transactions: every transaction runs alone, so nothing needs locking. */
const ops: DialectOps = {
  lockConversation: async () => {},
  lockKey: async () => {},
  leaseLocking: sql``,
  columnDefault: sql`null`,
  settledEvents: undefined,
};

export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const client = new BetterSqlite3(file);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  const db = drizzle(client);
  migrate(db, { migrationsFolder: MIGRATIONS });

  // better-sqlite3 is synchronous and has one connection, so an async transaction must not
  // interleave with another: a promise chain serialises them.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    dialect: 'sqlite',
    ops,
    transaction<T>(fn: (d: typeof db) => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        client.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(db);
          client.exec('COMMIT');
          return result;
        } catch (err) {
          if (client.inTransaction) client.exec('ROLLBACK');
          throw err;
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
    async close() {
      await tail;
      client.close();
    },
  };
}
