import { eq, lt, sql } from 'drizzle-orm';
import { rateLimits } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { RateLimitsRepo } from './ports.js';

export class SqlRateLimitsRepo implements RateLimitsRepo {
  constructor(private readonly db: QueryDb) {}

  async hit(key: string, windowStart: number): Promise<number> {
    // The update takes the row's lock, so concurrent instances count one after another. A key not
    // seen yet is inserted; if another instance inserted it first, the update runs again.
    for (;;) {
      const updated = await this.db
        .update(rateLimits)
        .set({
          count: sql`case when ${rateLimits.windowStart} = ${windowStart} then ${rateLimits.count} + 1 else 1 end`,
          windowStart,
        })
        .where(eq(rateLimits.key, key))
        .returning({ count: rateLimits.count });
      if (updated[0]) return updated[0].count;
      const inserted = await this.db
        .insert(rateLimits)
        .values({ key, windowStart, count: 1 })
        .onConflictDoNothing()
        .returning({ count: rateLimits.count });
      if (inserted[0]) return inserted[0].count;
    }
  }

  async purge(before: number): Promise<void> {
    await this.db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
  }
}
