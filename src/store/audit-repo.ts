import { and, asc, eq, gt, gte, or, type SQL } from 'drizzle-orm';
import { audit } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { AuditRepo, AuditRow } from './ports.js';

export class SqlAuditRepo implements AuditRepo {
  constructor(private readonly db: QueryDb) {}

  async append(row: AuditRow): Promise<void> {
    await this.db.insert(audit).values(row);
  }

  async list(opts: { since?: number; actorId?: string; after?: { at: number; id: string }; limit: number }): Promise<AuditRow[]> {
    const conds: (SQL | undefined)[] = [];
    if (opts.since !== undefined) conds.push(gte(audit.at, opts.since));
    if (opts.actorId !== undefined) conds.push(eq(audit.actorId, opts.actorId));
    if (opts.after) conds.push(or(gt(audit.at, opts.after.at), and(eq(audit.at, opts.after.at), gt(audit.id, opts.after.id))));
    return this.db
      .select()
      .from(audit)
      .where(and(...conds))
      .orderBy(asc(audit.at), asc(audit.id))
      .limit(opts.limit);
  }
}
