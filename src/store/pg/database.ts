import { AsyncLocalStorage } from 'node:async_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzleProxy } from 'drizzle-orm/sqlite-proxy';
import type { Database, QueryDb } from '../dialect.js';
import { numberedParams } from './params.js';
import { ops } from './ops.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'drizzle', 'pg');

/** Several instances may start at once: one migrates, the others wait on this advisory lock. */
const MIGRATION_LOCK = 727001;

export async function openPostgres(url: string): Promise<Database> {
  // The repositories' SQLite table objects do no column conversion, so int8 must already arrive
  // as a number (epoch ms and sequence numbers fit). pg applies its global parsers per query.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server must not crash the process; the pool reconnects.
  pool.on('error', () => undefined);
  const conn = await pool.connect();
  try {
    await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzlePg(pool), { migrationsFolder: MIGRATIONS });
  } finally {
    await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    conn.release();
  }

  // One query database for the store (so prepared queries are built once); each query goes to
  // the connection of the transaction it runs in.
  const current = new AsyncLocalStorage<pg.PoolClient>();
  const statements = new StatementNames();
  const db: QueryDb = drizzleProxy(async (text, params, method) => {
    // `.get()` would need the proxy's undocumented "one row or undefined" reply; the
    // repositories read with select()/returning(), and the contract suite would catch a `.get()`.
    if (method === 'get') throw new Error('store: use select().limit(1), not .get(), in repositories');
    const client = current.getStore();
    if (!client) throw new Error('store: a query ran outside a transaction');
    const res = await client.query({ ...statements.of(text), values: params, rowMode: 'array' });
    return { rows: res.rows };
  });

  const transaction = async <T>(fn: (db: QueryDb) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await current.run(client, () => fn(db));
      await client.query('commit');
      return result;
    } catch (err) {
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      await client.query('rollback').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  };

  return {
    dialect: 'pg',
    ops,
    db,
    transaction,
    read: transaction,
    close: () => pool.end(),
  };
}

/**
 * The PostgreSQL text of each repository statement, and a name under which each connection
 * parses and plans it once (a named prepared statement). Statements beyond the first
 * `MAX_NAMED` distinct ones (`inArray` lists of every length) run unnamed.
 */
class StatementNames {
  private static readonly MAX_NAMED = 500;
  private readonly known = new Map<string, { text: string; name?: string }>();

  of(sqliteText: string): { text: string; name?: string } {
    let s = this.known.get(sqliteText);
    if (!s) {
      const text = numberedParams(sqliteText);
      s = this.known.size < StatementNames.MAX_NAMED ? { text, name: `sb${this.known.size}` } : { text };
      if (s.name) this.known.set(sqliteText, s);
    }
    return s;
  }
}
