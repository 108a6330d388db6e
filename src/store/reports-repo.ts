import { sql, type SQL } from 'drizzle-orm';
import { conversationFacts as f } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { GroupedFigures, ReportBucket, ReportFigures, ReportGroupBy, ReportsRepo, ReportWindow, SeriesMetric } from './ports.js';

/**
 * The reports' reads, over `conversation_facts` (kept by conversation-facts.ts): every figure is
 * about the conversations opened in the window, so a report is one range of the `opened_at` index
 * whatever the window's size, and grouped rows are a partition of the total.
 *
 * Percentiles are nearest-rank (the value at rank ⌈q·n⌉ of the n sorted values), computed by the
 * database with window functions both SQLite and PostgreSQL have, so only the chosen rows leave it.
 */
export class SqlReportsRepo implements ReportsRepo {
  constructor(private readonly db: QueryDb) {}

  async figures(w: ReportWindow, groupBy?: ReportGroupBy): Promise<{ total: ReportFigures; groups: GroupedFigures[] }> {
    const where = sql`${f.openedAt} >= ${w.from} and ${f.openedAt} < ${w.to}`;
    const [total] = await this.counts(where, undefined);
    const totalPercentiles = await this.percentiles(where, undefined);
    const figures = (counts: Counts | undefined, p: Percentiles | undefined): ReportFigures => ({
      ...(counts ?? EMPTY_COUNTS),
      firstResponseMs: p?.firstResponse ?? { median: null, p90: null },
      resolutionMs: p?.resolution ?? { median: null, p90: null },
    });
    const result = { total: figures(total, totalPercentiles.get(null)), groups: [] as GroupedFigures[] };
    if (!groupBy) return result;
    const key = GROUP_COLUMNS[groupBy];
    const percentiles = await this.percentiles(where, key);
    result.groups = (await this.counts(where, key))
      .map((c) => ({ key: c.key, ...figures(c, percentiles.get(c.key)) }))
      .sort((a, b) => b.conversations - a.conversations || String(a.key).localeCompare(String(b.key)));
    return result;
  }

  async series(buckets: ReportBucket[], metric: SeriesMetric): Promise<(number | null)[]> {
    const out: (number | null)[] = buckets.map(() => null);
    if (!buckets.length) return out;
    // The buckets as a table of literals: integers made here, never client text.
    const values = buckets.map((b, i) => `(${i}, ${int(b.start)}, ${int(b.end)})`).join(', ');
    const withBuckets = sql`with b (i, s, e) as (values ${sql.raw(values)}) `;
    const from = sql`b join ${f} on ${f.openedAt} >= b.s and ${f.openedAt} < b.e`;
    if (metric === 'first_response_median' || metric === 'resolution_median') {
      const v = metric === 'first_response_median' ? f.firstResponseMs : f.resolutionMs;
      const rows = await this.db.values<[number | string, number | string]>(sql`${withBuckets}
        select i, v from (
          select b.i as i, ${v} as v, row_number() over (partition by b.i order by ${v}) as rn, count(*) over (partition by b.i) as n
          from ${from} where ${v} is not null
        ) t where rn = (n + 1) / 2`);
      for (const [i, v] of rows) out[Number(i)] = Number(v);
      return out;
    }
    const rows = await this.db.values<[number | string, number | string | null, number | string]>(
      sql`${withBuckets}select b.i, ${SERIES_VALUES[metric]}, count(*) from ${from} group by b.i`,
    );
    for (let i = 0; i < out.length; i++) out[i] = metric === 'csat_average' ? null : 0;
    for (const [i, v, n] of rows) {
      if (metric === 'csat_average') {
        const [sum, count] = String(v).split(':').map(Number) as [number, number];
        out[Number(i)] = count ? sum / count : null;
      } else out[Number(i)] = Number(n) && v !== null ? Number(v) : 0;
    }
    return out;
  }

  private async counts(where: SQL, key: SQL | undefined): Promise<(Counts & { key: string | null })[]> {
    const rows = await this.db.values<unknown[]>(sql`
      select ${key ?? sql`null`}, count(*), ${BOT_RESOLVED}, count(${f.handedOffAt}), count(${f.resolvedAt}),
        count(${f.firstResponseMs}), count(${f.resolutionMs}), coalesce(sum(${f.slaBreaches}), 0),
        count(${f.csatScore}), coalesce(sum(${f.csatScore}), 0)
      from ${f} where ${where}${key ? sql` group by ${key}` : sql``}`);
    return rows
      .filter((r) => Number(r[1]) > 0)
      .map((r) => ({
        key: r[0] === null ? null : String(r[0] as string),
        conversations: Number(r[1]),
        botResolved: Number(r[2]),
        handoffs: Number(r[3]),
        resolved: Number(r[4]),
        firstResponses: Number(r[5]),
        resolutions: Number(r[6]),
        slaBreaches: Number(r[7]),
        csatResponses: Number(r[8]),
        csatSum: Number(r[9]),
      }));
  }

  /** Median and 90th percentile of first response and resolution time, per group (null: the whole window). */
  private async percentiles(where: SQL, key: SQL | undefined): Promise<Map<string | null, Percentiles>> {
    const byKey = new Map<string | null, Percentiles>();
    const entry = (k: string | null) => {
      let p = byKey.get(k);
      if (!p) byKey.set(k, (p = { firstResponse: { median: null, p90: null }, resolution: { median: null, p90: null } }));
      return p;
    };
    for (const [name, v] of [
      ['firstResponse', f.firstResponseMs],
      ['resolution', f.resolutionMs],
    ] as const) {
      const partition = key ? sql`partition by ${key} ` : sql``;
      const rows = await this.db.values<[string | null, number | string, number | string, number | string]>(sql`
        select g, v, rn, n from (
          select ${key ?? sql`null`} as g, ${v} as v,
            row_number() over (${partition}order by ${v}) as rn, count(*) over (${key ? sql`partition by ${key}` : sql``}) as n
          from ${f} where ${where} and ${v} is not null
        ) t where rn = (n + 1) / 2 or rn = (9 * n + 9) / 10`);
      for (const [g, value, rn, n] of rows) {
        const p = entry(g)[name];
        if (Number(rn) === Math.floor((Number(n) + 1) / 2)) p.median = Number(value);
        if (Number(rn) === Math.floor((9 * Number(n) + 9) / 10)) p.p90 = Number(value);
      }
    }
    return byKey;
  }
}

interface Counts {
  conversations: number;
  botResolved: number;
  handoffs: number;
  resolved: number;
  firstResponses: number;
  resolutions: number;
  slaBreaches: number;
  csatResponses: number;
  csatSum: number;
}
interface Percentiles {
  firstResponse: { median: number | null; p90: number | null };
  resolution: { median: number | null; p90: number | null };
}

const EMPTY_COUNTS: Counts = {
  conversations: 0,
  botResolved: 0,
  handoffs: 0,
  resolved: 0,
  firstResponses: 0,
  resolutions: 0,
  slaBreaches: 0,
  csatResponses: 0,
  csatSum: 0,
};

const GROUP_COLUMNS: Record<ReportGroupBy, SQL> = {
  channel: sql`${f.channel}`,
  team: sql`${f.team}`,
  agent: sql`${f.agentId}`,
};

/** Handled by the bot to the end: never handed off, and no agent ever replied. */
const BOT_RESOLVED = sql`coalesce(sum(case when ${f.handedOffAt} is null and ${f.firstResponseAt} is null then 1 else 0 end), 0)`;

const SERIES_VALUES: Record<Exclude<SeriesMetric, 'first_response_median' | 'resolution_median'>, SQL> = {
  conversations: sql`count(*)`,
  handoffs: sql`count(${f.handedOffAt})`,
  bot_resolved: BOT_RESOLVED,
  sla_breaches: sql`coalesce(sum(${f.slaBreaches}), 0)`,
  // Sum and count in one text value, so the average is divided here the same way on both databases.
  csat_average: sql`coalesce(sum(${f.csatScore}), 0) || ':' || count(${f.csatScore})`,
};

function int(x: number): string {
  if (!Number.isSafeInteger(x)) throw new Error(`report bucket bound is not an integer: ${x}`);
  return String(x);
}
