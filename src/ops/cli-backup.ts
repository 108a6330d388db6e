/**
 * `switchboard backup FILE` and `switchboard restore FILE [--force]` against the configured
 * database: SQLite through its online backup API (the service may keep running during a
 * backup; stop it for a restore), PostgreSQL through pg_dump/pg_restore when they are on PATH.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import {
  backupSqlite,
  inspectSqlite,
  pgConversationCount,
  pgDump,
  pgRestore,
  PgToolMissing,
  restoreSqlite,
  sqliteHasData,
  type SqliteContents,
} from '../store/backup.js';

export interface BackupIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

const PG_BY_HAND = {
  backup: 'pg_dump --format=custom --no-owner --file=FILE "$DATABASE_URL"',
  restore: 'pg_restore --no-owner --exit-on-error [--clean --if-exists] --dbname="$DATABASE_URL" FILE',
};

export async function runBackup(args: string[], io: BackupIo): Promise<number> {
  const file = onlyFile(args, 'backup', io);
  if (!file) return 2;
  const config = loadConfig(io.env);
  if (config.DATABASE_URL) {
    return pgTool(io, 'backup', () => pgDump(config.DATABASE_URL!, file), `backed up PostgreSQL to ${file} (pg_dump custom format)`);
  }
  if (!existsSync(config.sqliteFile)) {
    io.stderr.write(`backup: no database at ${config.sqliteFile} (check DATA_DIR)\n`);
    return 1;
  }
  mkdirSync(dirname(file), { recursive: true });
  await backupSqlite(config.sqliteFile, file);
  const contents = inspectSqlite(file);
  if (contents.integrity !== 'ok') {
    io.stderr.write(`backup: the copy at ${file} fails its integrity check: ${contents.integrity}\n`);
    return 1;
  }
  io.stdout.write(`backed up ${config.sqliteFile} to ${file}: ${describe(contents)}\n`);
  return 0;
}

export async function runRestore(args: string[], io: BackupIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  } catch (err) {
    io.stderr.write(`restore: ${(err as Error).message}\nusage: switchboard restore FILE [--force]\n`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    io.stderr.write('usage: switchboard restore FILE [--force]\n');
    return 2;
  }
  const force = parsed.values.force;
  if (!existsSync(file)) {
    io.stderr.write(`restore: no such file: ${file}\n`);
    return 1;
  }
  const config = loadConfig(io.env);
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const existing = await pgConversationCount(url);
    if (existing > 0 && !force) {
      io.stderr.write(`restore: the database already holds ${existing} conversations; --force replaces them\n`);
      return 1;
    }
    return pgTool(io, 'restore', () => pgRestore(url, file, { clean: existing > 0 }), `restored ${file} into PostgreSQL`);
  }

  const source = inspectSqlite(resolve(file));
  if (source.integrity !== 'ok' || !source.rows) {
    const why = source.integrity !== 'ok' ? `fails its integrity check: ${source.integrity}` : 'is not a switchboard database';
    io.stderr.write(`restore: ${file} ${why}; nothing was changed\n`);
    return 1;
  }
  if (sqliteHasData(config.sqliteFile) && !force) {
    io.stderr.write(`restore: ${config.sqliteFile} already holds data; stop the service and pass --force to replace it\n`);
    return 1;
  }
  mkdirSync(dirname(config.sqliteFile), { recursive: true });
  await restoreSqlite(resolve(file), config.sqliteFile);
  const restored = inspectSqlite(config.sqliteFile);
  if (restored.integrity !== 'ok') {
    io.stderr.write(`restore: the restored database fails its integrity check: ${restored.integrity}\n`);
    return 1;
  }
  io.stdout.write(`restored ${file} into ${config.sqliteFile}: ${describe(restored)}\n`);
  return 0;
}

function onlyFile(args: string[], cmd: string, io: BackupIo): string | undefined {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    io.stderr.write(`usage: switchboard ${cmd} FILE\n`);
    return undefined;
  }
  return resolve(args[0]!);
}

async function pgTool(io: BackupIo, cmd: 'backup' | 'restore', run: () => Promise<void>, done: string): Promise<number> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof PgToolMissing)) throw err;
    io.stderr.write(
      `${cmd}: DATABASE_URL is PostgreSQL and ${err.tool} is not on PATH; install the PostgreSQL client and run:\n  ${PG_BY_HAND[cmd]}\n`,
    );
    return 1;
  }
  io.stdout.write(`${done}\n`);
  return 0;
}

function describe(c: SqliteContents): string {
  const r = c.rows!;
  return `${r.conversations} conversations, ${r.messages} messages, ${r.customers} customers, ${r.agents} agents, ${(c.bytes / 1e6).toFixed(1)} MB, integrity ok`;
}
