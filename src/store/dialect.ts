import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';

/**
 * How the repositories are written once for two databases.
 *
 * drizzle's query builders are typed per dialect (sqlite-core, pg-core) and share no common type,
 * so one repository cannot honestly be typed against both. Instead of a cast, the repositories
 * speak one query language, drizzle's SQLite core over the tables of `sqlite/schema.ts`, and
 * each dialect supplies a database that runs it:
 * - SQLite: better-sqlite3 itself (`sqlite/database.ts`).
 * - PostgreSQL: drizzle's SQLite proxy driver whose statements go to a pg connection
 *   (`pg/database.ts`); the queries used here (select/insert/update, `on conflict`, `returning`,
 *   `limit`) are standard SQL that both databases accept, and the store contract suite runs every
 *   repository method on both. `pg/schema.ts` owns PostgreSQL's DDL and migrations; the schema
 *   parity test keeps the two schemas' tables, columns and nullability identical, which is what
 *   lets the SQLite table objects describe PostgreSQL's tables.
 * What SQL cannot share is the handful of `DialectOps` below, one implementation per folder.
 */
export type QueryDb = BaseSQLiteDatabase<'sync' | 'async', unknown>;

export interface DialectOps {
  /** Holds the conversation's row until the transaction ends (SQLite transactions are already exclusive). */
  lockConversation(db: QueryDb, id: string): Promise<void>;
  /** Serialises transactions that take the same key until they end (SQLite: already exclusive). */
  lockKey(db: QueryDb, key: string): Promise<void>;
  /** Ends the outbox lease query: rows another worker is leasing right now are skipped, not waited for. */
  readonly leaseLocking: SQL;
  /** What an insert writes for a column the database fills itself (`default`; SQLite: null). */
  readonly columnDefault: SQL;
  /**
   * Which events a reader may see. Sequence numbers are handed out at insert but become visible
   * at commit, so where writers run concurrently a reader could see seq 11 before seq 10 commits
   * and then skip 10 for ever; there readers only see events of transactions older than every
   * transaction still running. Undefined where writers are serialised (SQLite).
   */
  readonly settledEvents: SQL | undefined;
}

export interface Database {
  readonly dialect: 'sqlite' | 'pg';
  readonly ops: DialectOps;
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: (db: QueryDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
