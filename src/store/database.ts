import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { sql } from 'drizzle-orm';
import * as sqliteSchema from './schema.sqlite.js';
import * as pgSchema from './schema.pg.js';

/**
 * The query builders of drizzle's SQLite and PostgreSQL cores share one API for everything the
 * repositories use (select/insert/update, returning, onConflictDoNothing), and the two schemas
 * mirror each other, so repositories are written once against the SQLite types and run on both.
 * Dialect-specific SQL (row locks) goes through `Database.dialect`.
 */
export type Db = BetterSQLite3Database<typeof sqliteSchema>;
export const tables = sqliteSchema;
export type Dialect = 'sqlite' | 'pg';

export interface Database {
  readonly dialect: Dialect;
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Raw statement for dialect-specific SQL (row locks, advisory locks). Returns rows. */
  execute(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const client = new BetterSqlite3(file);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  const db = drizzleSqlite(client, { schema: sqliteSchema });
  migrateSqlite(db, { migrationsFolder: join(MIGRATIONS, 'sqlite') });

  // better-sqlite3 is synchronous and has one connection, so an async transaction must not
  // interleave with another: a promise chain serialises them.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    dialect: 'sqlite',
    transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
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
    async execute(d, query) {
      return d.all(query) as Record<string, unknown>[];
    },
    async close() {
      await tail;
      client.close();
    },
  };
}

export async function openPostgres(url: string): Promise<Database> {
  // Repositories build queries from the SQLite table objects, whose integer columns do no
  // conversion, so int8 must already arrive as a number (epoch ms and sequence numbers fit).
  // drizzle passes pg's global parsers per query, so the global one is what counts.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server must not crash the process; the pool reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema: pgSchema });
  // Several instances may start at once: one migrates, the others wait on the advisory lock.
  const conn = await pool.connect();
  try {
    await conn.query('select pg_advisory_lock(727001)');
    await migratePg(db, { migrationsFolder: join(MIGRATIONS, 'pg') });
  } finally {
    await conn.query('select pg_advisory_unlock(727001)').catch(() => undefined);
    conn.release();
  }
  return {
    dialect: 'pg',
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    async execute(d, query) {
      const res = await (d as unknown as { execute(q: unknown): Promise<{ rows: Record<string, unknown>[] }> }).execute(query);
      return res.rows;
    },
    close: () => pool.end(),
  };
}
