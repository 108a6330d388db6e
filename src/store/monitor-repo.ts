import { eq, sql } from 'drizzle-orm';
import { conversations, outbox } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { MonitorRepo, OutboxBacklog, QueueByTeam } from './ports.js';

/** Figures read when Prometheus scrapes or a load balancer asks /readyz; each is one indexed query. */
export class SqlMonitorRepo implements MonitorRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly dialect: 'sqlite' | 'pg',
  ) {}

  async queuedByTeam(): Promise<QueueByTeam[]> {
    const rows = await this.db
      .select({ team: conversations.team, count: sql<number>`count(*)` })
      .from(conversations)
      .where(eq(conversations.status, 'queued'))
      .groupBy(conversations.team);
    return rows.map((r) => ({ team: r.team, count: Number(r.count) }));
  }

  async outboxBacklog(): Promise<OutboxBacklog> {
    const rows = await this.db
      .select({ pending: sql<number>`count(*)`, oldest: sql<number | null>`min(${outbox.createdAt})` })
      .from(outbox)
      .where(eq(outbox.status, 'pending'));
    const oldest = rows[0]?.oldest;
    return { pending: Number(rows[0]?.pending ?? 0), oldestCreatedAt: oldest === null || oldest === undefined ? null : Number(oldest) };
  }

  async lastMigrationAt(): Promise<number | null> {
    // drizzle's migrators record each applied migration's journal timestamp here.
    const table = this.dialect === 'pg' ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
    const rows = await this.db.values<[number | string | null]>(sql`select max(created_at) from ${table}`);
    const at = rows[0]?.[0];
    return at === null || at === undefined ? null : Number(at);
  }
}
