import { and, asc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { cannedResponses } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { CannedRepo, CannedResponseRow } from './ports.js';

export class SqlCannedRepo implements CannedRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: CannedResponseRow): Promise<void> {
    await this.db.insert(cannedResponses).values(row);
  }

  async get(id: string): Promise<CannedResponseRow | undefined> {
    return (await this.db.select().from(cannedResponses).where(eq(cannedResponses.id, id)).limit(ONE_ROW))[0];
  }

  async update(id: string, patch: Partial<Omit<CannedResponseRow, 'id' | 'ownerId' | 'createdAt'>>): Promise<void> {
    await this.db.update(cannedResponses).set(patch).where(eq(cannedResponses.id, id));
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(cannedResponses).where(eq(cannedResponses.id, id)).returning({ id: cannedResponses.id });
    return rows.length > 0;
  }

  async list(opts: {
    prefix?: string;
    teams?: { ids: string[]; global: boolean };
    after?: { shortcut: string; id: string };
    limit: number;
  }): Promise<CannedResponseRow[]> {
    const conds: SQL[] = [];
    if (opts.teams) {
      const { ids, global } = opts.teams;
      const of = [...(ids.length ? [inArray(cannedResponses.teamId, ids)] : []), ...(global ? [isNull(cannedResponses.teamId)] : [])];
      conds.push(of.length ? or(...of)! : sql`1 = 0`);
    }
    // An exact comparison of the first characters, not LIKE: `%` and `_` typed by an agent stay plain characters, and
    // both databases agree (SQLite's LIKE ignores ASCII case, PostgreSQL's does not). Canned responses are a short,
    // curated list, so this scan of it is cheap.
    if (opts.prefix) conds.push(sql`substr(${cannedResponses.shortcut}, 1, ${opts.prefix.length}) = ${opts.prefix}`);
    if (opts.after)
      conds.push(
        or(
          gt(cannedResponses.shortcut, opts.after.shortcut),
          and(eq(cannedResponses.shortcut, opts.after.shortcut), gt(cannedResponses.id, opts.after.id)),
        )!,
      );
    return this.db
      .select()
      .from(cannedResponses)
      .where(and(...conds))
      .orderBy(asc(cannedResponses.shortcut), asc(cannedResponses.id))
      .limit(opts.limit);
  }

  async find(shortcut: string, locale: string | null, teamId: string | null): Promise<CannedResponseRow | undefined> {
    const rows = await this.db
      .select()
      .from(cannedResponses)
      .where(
        and(
          eq(cannedResponses.shortcut, shortcut),
          locale === null ? isNull(cannedResponses.locale) : eq(cannedResponses.locale, locale),
          teamId === null ? isNull(cannedResponses.teamId) : eq(cannedResponses.teamId, teamId),
        ),
      )
      .limit(ONE_ROW);
    return rows[0];
  }
}
