/** Backup and restore, the store's entry point for them: each dialect's own tools (see the files re-exported). */
export { backupSqlite, inspectSqlite, restoreSqlite, sqliteHasData, type SqliteContents } from './sqlite/backup.js';
export { pgConversationCount, pgDump, pgRestore, PgToolMissing } from './pg/backup.js';
