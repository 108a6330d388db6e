import { eq, sql } from 'drizzle-orm';
import { settings } from './sqlite/schema.js';
import { prepared, type QueryDb } from './dialect.js';
import type { SettingRow, SettingsRepo } from './ports.js';

export class SqlSettingsRepo implements SettingsRepo {
  constructor(private readonly db: QueryDb) {}

  async get(key: string): Promise<SettingRow | undefined> {
    // Read on every list page (the SLA policy in force): prepared once.
    const q = prepared(this.db, 'settings.get', (db) =>
      db
        .select()
        .from(settings)
        .where(eq(settings.key, sql.placeholder('key')))
        .limit(1)
        .prepare(),
    );
    return (await q.all({ key }))[0];
  }

  async set(row: SettingRow): Promise<void> {
    // Written out because the SQLite builder table-qualifies the conflict target, which PostgreSQL rejects.
    await this.db.run(
      sql`insert into settings (key, value, updated_at, updated_by) values (${row.key}, ${row.value}, ${row.updatedAt}, ${row.updatedBy})
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
  }
}
