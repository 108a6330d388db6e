import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/ids.js';
import { openStore } from '../../src/store/store.js';
import { authenticate } from '../../src/access/tokens.js';
import { tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const DRIZZLE = join(import.meta.dirname, '..', '..', 'drizzle');
/** The last migration before tokens had a table of their own. */
const BEFORE_TOKENS = 4;

/** A copy of a dialect's migrations holding only the first `count`, as an older release shipped them. */
async function olderMigrations(dialect: 'sqlite' | 'pg', dir: string): Promise<string> {
  const out = join(dir, `migrations-${dialect}`);
  await cp(join(DRIZZLE, dialect), out, { recursive: true });
  const journalFile = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
  for (const e of journal.entries.slice(BEFORE_TOKENS)) await rm(join(out, `${e.tag}.sql`));
  journal.entries = journal.entries.slice(0, BEFORE_TOKENS);
  await writeFile(journalFile, JSON.stringify(journal));
  return out;
}

const OLD_TOKEN = 'sb_token-from-before-the-migration';

describe('the token migration', () => {
  it('SQLite: an agent’s one token becomes its first token row and keeps working', async () => {
    const dir = await tempDir();
    try {
      const file = join(dir.path, 'switchboard.db');
      const client = new BetterSqlite3(file);
      migrateSqlite(drizzleSqlite(client), { migrationsFolder: await olderMigrations('sqlite', dir.path) });
      client
        .prepare('insert into agents (id, name, role, token_hash, created_at) values (?, ?, ?, ?, ?)')
        .run('agt-old', 'Old', 'admin', hashToken(OLD_TOKEN), 1234);
      client.close();
      const store = await openStore({ sqliteFile: file });
      try {
        const { agent, token } = await authenticate(store, OLD_TOKEN, 5000);
        expect(agent).toEqual({ id: 'agt-old', name: 'Old', role: 'admin', createdAt: 1234 });
        expect(token).toMatchObject({
          id: 'agt-old',
          agentId: 'agt-old',
          label: 'migrated',
          createdAt: 1234,
          expiresAt: null,
          revokedAt: null,
        });
      } finally {
        await store.close();
      }
    } finally {
      await dir.rm();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('PostgreSQL: the same', async () => {
    const db = await createTestDatabase();
    const dir = await tempDir();
    try {
      const pool = new pg.Pool({ connectionString: db.url });
      await migratePg(drizzlePg(pool), { migrationsFolder: await olderMigrations('pg', dir.path) });
      await pool.query('insert into agents (id, name, role, token_hash, created_at) values ($1, $2, $3, $4, $5)', [
        'agt-old',
        'Old',
        'agent',
        hashToken(OLD_TOKEN),
        1234,
      ]);
      await pool.end();
      const store = await openStore({ databaseUrl: db.url, sqliteFile: '' });
      try {
        const { agent, token } = await authenticate(store, OLD_TOKEN, 5000);
        expect(agent).toEqual({ id: 'agt-old', name: 'Old', role: 'agent', createdAt: 1234 });
        expect(token).toMatchObject({ id: 'agt-old', label: 'migrated', expiresAt: null, revokedAt: null });
        // The first use is recorded.
        expect((await store.tx((r) => r.agentTokens.get('agt-old')))?.lastUsedAt).toBe(5000);
      } finally {
        await store.close();
      }
    } finally {
      await dir.rm();
      await db.drop();
    }
  });
});
