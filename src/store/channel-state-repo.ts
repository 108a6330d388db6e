import { eq } from 'drizzle-orm';
import { tables, type Db } from './database.js';

const { channelState } = tables;

export class ChannelStateRepo {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.select().from(channelState).where(eq(channelState.key, key)).limit(1))[0]?.value;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    await this.db
      .insert(channelState)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: channelState.key, set: { value, updatedAt: now } });
  }
}
