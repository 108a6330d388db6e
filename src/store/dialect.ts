import { getTableColumns, sql, type Placeholder, type SQL, type Table } from 'drizzle-orm';
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
  /** False where transactions run one at a time (SQLite), so a row read in one cannot change before it ends. */
  readonly rowsChangeDuringTransaction: boolean;
  /**
   * A `.limit()` of one row that also locks the row it reads until the transaction ends
   * (`1 for update`; SQLite: `1`, its transactions are already exclusive). See ONE_ROW.
   */
  readonly oneRowLocked: Placeholder;
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
  /**
   * Where transactions appending events run side by side (PostgreSQL): takes the appends' lock
   * (`lockKey`), inserts the events in the order given and a delivery for each webhook that
   * receives their type, all in one statement, as the lock is held from it to the commit.
   * Undefined where the repository's own statements do (SQLite, which has no lock to hold).
   */
  appendEvents?(db: QueryDb, lockKey: string, rows: AppendedEvent[]): Promise<{ seqs: number[]; deliveries: number }>;
}

/** An event as written to the log (src/store/events-repo.ts). */
export interface AppendedEvent {
  conversationId: string | null;
  type: string;
  /** encodeEventData's JSON. */
  data: string;
  createdAt: number;
}

export interface Database {
  readonly dialect: 'sqlite' | 'pg';
  readonly ops: DialectOps;
  /**
   * The one query database of this store; every transaction runs its queries on it (PostgreSQL
   * routes them to the transaction's connection), so queries prepared on it are reused for ever.
   */
  readonly db: QueryDb;
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: (db: QueryDb) => Promise<T>): Promise<T>;
  /**
   * Runs a `fn` that only reads, on a consistent snapshot of committed data. SQLite runs it on a
   * second connection, so reads do not wait behind queued writes; PostgreSQL runs a transaction.
   */
  read<T>(fn: (db: QueryDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `limit 1` written into the statement instead of bound. SQLite recompiles a statement whose
 * LIMIT is a bound parameter each time it is bound again (its planner may use the value), which
 * made a one-row look-up cost about three times what it does with the literal; drizzle writes a
 * limit given as SQL into the text. Use it for every `.limit(1)`.
 */
export const ONE_ROW = sql.raw('1') as unknown as Placeholder;

const preparedQueries = new WeakMap<QueryDb, Map<string, unknown>>();

/**
 * A query built and prepared once per database under `key`, then run with `sql.placeholder`
 * values. Building a drizzle query and compiling its SQL costs more than running it on SQLite, so
 * the hot paths (ingest, outbox, web chat) prepare theirs. `key` must name one query shape: a
 * query whose SQL depends on its arguments (`inArray` lists, optional conditions) puts that shape
 * in the key or is not prepared.
 */
export function prepared<T>(db: QueryDb, key: string, build: (db: QueryDb) => T): T {
  let byKey = preparedQueries.get(db);
  if (!byKey) preparedQueries.set(db, (byKey = new Map<string, unknown>()));
  let query = byKey.get(key) as T | undefined;
  if (query === undefined) byKey.set(key, (query = build(db)));
  return query;
}

/** `{ column: placeholder }` for every column of `table`: a prepared insert of a whole row. */
export function rowPlaceholders<T extends Table>(table: T): { [K in keyof T['$inferInsert']]: Placeholder } {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((k) => [k, sql.placeholder(k)])) as {
    [K in keyof T['$inferInsert']]: Placeholder;
  };
}

/**
 * A prepared update's `set` for the keys `patch` gives a value (drizzle skips undefined ones
 * too), and the cache key naming that shape. The values bind as placeholders named for the keys.
 */
export function patchPlaceholders(patch: object): { keys: string; set: Record<string, SQL> } {
  const defined = Object.entries(patch).flatMap(([k, v]) => (v === undefined ? [] : [k]));
  return { keys: defined.join(','), set: Object.fromEntries(defined.map((k) => [k, sql`${sql.placeholder(k)}`])) };
}

/** The lengths an `in (…)` list is padded to, so a few prepared queries serve every list up to the longest. */
const IN_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const inLists = new Map<number, Placeholder[]>();
/** The placeholders' names, made once: a list page binds a few hundred. */
const IN_NAMES = Array.from({ length: IN_SIZES.at(-1)! }, (_, i) => `in${i}`);

/**
 * Placeholders for an `in (…)` list of `ids` padded to the next of `IN_SIZES` (the padding repeats
 * the last id, which changes no result), with their values and the size to put in the prepared
 * query's key. Undefined for an empty list or one longer than the longest size: build that query.
 */
export function inPlaceholders(ids: readonly string[]): { size: number; list: Placeholder[]; values: Record<string, string> } | undefined {
  const size = IN_SIZES.find((n) => n >= ids.length);
  if (ids.length === 0 || size === undefined) return undefined;
  let list = inLists.get(size);
  if (!list) inLists.set(size, (list = Array.from({ length: size }, (_, i) => sql.placeholder(IN_NAMES[i]!))));
  const values: Record<string, string> = {};
  for (let i = 0; i < size; i++) values[IN_NAMES[i]!] = ids[Math.min(i, ids.length - 1)]!;
  return { size, list, values };
}

/**
 * A `limit n` written into the statement (see ONE_ROW): a bound LIMIT made SQLite prepare the
 * statement again at every run, about 13 µs, more than an empty index range costs to read. Only
 * for a limit from a small set (a page size: at most MAX_PAGE + 1 values), since each value is a
 * statement of its own, kept for the life of the process.
 */
export function literalLimit(n: number): Placeholder {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`store: a limit must be a whole number, not ${n}`);
  return sql.raw(String(n)) as unknown as Placeholder;
}

/**
 * Turns the rows of a prepared select's `.values()` (arrays, in the order of its selection) into
 * objects with the selection's keys, as `.all()` would. drizzle's own mapping walks every
 * column's decoder and path for every value, which cost a list page more than SQLite's read;
 * this is one object per row, its keys set in order. Only for a flat selection of columns whose
 * driver value is the value itself (text and integer columns, no JSON or boolean modes), on both
 * dialects.
 */
export function rowsOf<T>(keys: readonly string[]): (rows: unknown[][]) => T[] {
  const n = keys.length;
  return (rows) => {
    const out = new Array<T>(rows.length);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      // Keys added in the same order: every row shares one hidden class.
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[keys[i]!] = r[i];
      out[j] = o as T;
    }
    return out;
  };
}
