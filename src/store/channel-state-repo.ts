import { eq, sql } from 'drizzle-orm';
import { channelState } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { ChannelStateRepo } from './ports.js';

export class SqlChannelStateRepo implements ChannelStateRepo {
  constructor(private readonly db: QueryDb) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.select().from(channelState).where(eq(channelState.key, key)).limit(ONE_ROW))[0]?.value;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    // Written out because the SQLite builder table-qualifies the conflict target, which PostgreSQL rejects.
    await this.db.run(
      sql`insert into channel_state (key, value, updated_at) values (${key}, ${value}, ${now})
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    );
  }
}
