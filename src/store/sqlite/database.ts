import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database, DialectOps } from '../dialect.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'drizzle', 'sqlite');

/** Distinct statements kept compiled per connection; `inArray` lists of every length make the set open-ended. */
const STATEMENT_CACHE = 500;

/** One connection and `BEGIN IMMEDIATE` transactions: every transaction runs alone, so nothing needs locking. */
const ops: DialectOps = {
  lockConversation: async () => {},
  lockKey: async () => {},
  rowsChangeDuringTransaction: false,
  leaseLocking: sql``,
  columnDefault: sql`null`,
  settledEvents: undefined,
};

export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const client = connect(file);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  const db = drizzle(client);
  migrate(db, { migrationsFolder: MIGRATIONS });
  // A second connection sees only committed data (WAL keeps readers and the writer apart), so a
  // read need not queue behind writes. An in-memory database is private to its connection.
  const reader = file === ':memory:' ? undefined : connect(file, { readonly: true });
  const readDb = reader ? drizzle(reader) : db;

  // better-sqlite3 is synchronous and each connection is one, so an async transaction must not
  // interleave with another on the same connection: a promise chain per connection serialises them.
  const writes = serial(client, 'BEGIN IMMEDIATE');
  const reads = reader ? serial(reader, 'BEGIN') : writes;
  return {
    dialect: 'sqlite',
    ops,
    db,
    transaction: (fn) => writes.run(() => fn(db)),
    read: (fn) => reads.run(() => fn(readDb)),
    async close() {
      await Promise.all([writes.idle(), reads.idle()]);
      reader?.close();
      client.close();
    },
  };
}

function connect(file: string, opts: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const client = new BetterSqlite3(file, opts);
  client.pragma('busy_timeout = 5000');
  cacheStatements(client);
  return client;
}

/**
 * drizzle prepares every query it runs; compiling the same SQL again is a large share of a short
 * query's cost, so the connection hands back the statement it compiled before.
 */
function cacheStatements(client: BetterSqlite3.Database): void {
  const compile = client.prepare.bind(client);
  const cache = new Map<string, BetterSqlite3.Statement>();
  client.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      cache.set(source, (stmt = compile(source)));
    }
    // drizzle switches a statement to raw (array) rows when it maps fields itself; start each use plain.
    if (stmt.reader) stmt.raw(false);
    return stmt;
  }) as typeof client.prepare;
}

/** Runs transactions on one connection one after another. */
function serial(client: BetterSqlite3.Database, beginSql: string) {
  const begin = client.prepare(beginSql);
  const commit = client.prepare('COMMIT');
  const rollback = client.prepare('ROLLBACK');
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        begin.run();
        try {
          const result = await fn();
          commit.run();
          return result;
        } catch (err) {
          if (client.inTransaction) rollback.run();
          throw err;
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
    idle: () => tail,
  };
}
