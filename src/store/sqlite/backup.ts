import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/** What a database file holds, as far as an operator checking a backup cares. */
export interface SqliteContents {
  /** `pragma integrity_check`'s verdict: 'ok', or the first problems it found. */
  integrity: string;
  /** Row counts of the tables people would miss; undefined when the file is not a switchboard database. */
  rows?: { conversations: number; messages: number; customers: number; agents: number };
  bytes: number;
}

const COUNTED = ['conversations', 'messages', 'customers', 'agents'] as const;

/**
 * A consistent copy of a live database with SQLite's online backup API: pages are copied in
 * steps while the service keeps writing (a write restarts the copy of what changed), so the
 * service never stops. Written next to `dest` and renamed into place, so `dest` is never half a backup.
 */
export async function backupSqlite(source: string, dest: string): Promise<void> {
  const db = new BetterSqlite3(source, { fileMustExist: true });
  const partial = `${dest}.partial`;
  try {
    db.pragma('busy_timeout = 5000');
    rmSync(partial, { force: true });
    await db.backup(partial);
    // The copy inherits WAL mode; a backup is one self-contained file, so it is switched back.
    const copy = new BetterSqlite3(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    renameSync(partial, dest);
  } finally {
    rmSync(partial, { force: true });
    db.close();
  }
}

/** Opens `file` read-only and checks it; never changes it. */
export function inspectSqlite(file: string): SqliteContents {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const verdict = db.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = verdict.map((r) => r.integrity_check).join('; ');
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name),
    );
    const ours = COUNTED.every((t) => tables.has(t)) && tables.has('__drizzle_migrations');
    const count = (t: string) => (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
    const rows = ours
      ? { conversations: count('conversations'), messages: count('messages'), customers: count('customers'), agents: count('agents') }
      : undefined;
    return { integrity, rows, bytes: statSync(file).size };
  } catch (err) {
    // Not a database at all (or damaged beyond opening): report it the way integrity_check would.
    return { integrity: err instanceof Error ? err.message : String(err), bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

/** True when `file` exists and holds any conversation, customer, message or agent. */
export function sqliteHasData(file: string): boolean {
  if (!existsSync(file)) return false;
  const rows = inspectSqlite(file).rows;
  return rows === undefined ? statSync(file).size > 0 : Object.values(rows).some((n) => n > 0);
}

/**
 * Replaces the database at `target` with a copy of `backup` (the service must be stopped). The
 * copy is made beside the target and renamed over it; the target's old WAL and shared-memory
 * files are removed first, so SQLite cannot replay the old database's log onto the restored one.
 */
export async function restoreSqlite(backup: string, target: string): Promise<void> {
  const partial = `${target}.restoring`;
  const src = new BetterSqlite3(backup, { readonly: true, fileMustExist: true });
  try {
    rmSync(partial, { force: true });
    await src.backup(partial);
  } finally {
    src.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  renameSync(partial, target);
}
