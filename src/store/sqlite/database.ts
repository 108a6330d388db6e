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
  // interleave with another on the same connection: each connection runs them one at a time.
  const writes = grouped(client);
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

/**
 * Write transactions taken into one commit at most, and the time after which no further one
 * joins it: both bound how long the first of a group waits for the last before it is committed.
 */
const GROUP_MAX = 64;
const GROUP_MAX_MS = 10;

interface Pending {
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs write transactions one after another, several to a commit (group commit): the
 * transactions requested while one commit is written or during one turn of the event loop run
 * in one `BEGIN IMMEDIATE … COMMIT`, each inside its own savepoint. A transaction that throws
 * is rolled back to its savepoint alone and rejects; the others still commit. Nobody hears of
 * success before the shared COMMIT has returned, and if the COMMIT fails every transaction of
 * the group rejects, so "resolved" still means "durable". One commit per group instead of one
 * per transaction is what lets many small writes (an inbound message, a lease, a delivery
 * record) share the cost of writing the WAL.
 */
function grouped(client: BetterSqlite3.Database) {
  const begin = client.prepare('BEGIN IMMEDIATE');
  const commit = client.prepare('COMMIT');
  const rollback = client.prepare('ROLLBACK');
  const savepoint = client.prepare('SAVEPOINT tx');
  const release = client.prepare('RELEASE tx');
  const rollbackTo = client.prepare('ROLLBACK TO tx');
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;

  const runGroup = async (group: Pending[]): Promise<void> => {
    const done: { p: Pending; value: unknown }[] = [];
    try {
      begin.run();
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    // Ends the group early: what ran so far is lost with the transaction, the rest runs in a new group.
    const abandon = (at: number, err: unknown) => {
      if (client.inTransaction) rollback.run();
      for (const d of done) d.p.reject(err);
      group[at]!.reject(err);
      queue = [...group.slice(at + 1), ...queue];
    };
    const started = performance.now();
    for (let i = 0; i < group.length; i++) {
      if (i > 0 && performance.now() - started > GROUP_MAX_MS) {
        // A slow member (or a loaded machine): what ran so far commits now, the rest goes next.
        queue = [...group.slice(i), ...queue];
        break;
      }
      const p = group[i]!;
      try {
        savepoint.run();
        const value = await p.fn();
        release.run();
        done.push({ p, value });
      } catch (err) {
        // SQLite rolls the whole transaction back on some errors (I/O, disk full).
        if (!client.inTransaction) return abandon(i, err);
        try {
          rollbackTo.run();
          release.run();
        } catch {
          return abandon(i, err);
        }
        p.reject(err);
      }
    }
    try {
      commit.run();
    } catch (err) {
      if (client.inTransaction) rollback.run();
      for (const d of done) d.p.reject(err);
      return;
    }
    for (const d of done) d.p.resolve(d.value);
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      // One turn of the event loop before each group, so the requests that arrive meanwhile share
      // its commit. Before the later groups too: better-sqlite3 answers synchronously, so without
      // it a backlog of groups (and the transactions their commits set off) ran as one task, and
      // the server read no request and accepted no connection until the queue was empty.
      await new Promise<void>((r) => setImmediate(r));
      const group = queue.slice(0, GROUP_MAX);
      queue = queue.slice(GROUP_MAX);
      await runGroup(group);
    }
  };

  const schedule = (): void => {
    if (running || queue.length === 0) return;
    running = drain().finally(() => {
      running = undefined;
      schedule(); // a request that came in as the last group finished
    });
  };

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
