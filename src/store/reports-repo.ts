import { sql, type SQL } from 'drizzle-orm';
import { conversationFacts as f } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { GroupedFigures, ReportBucket, ReportFigures, ReportGroupBy, ReportsRepo, ReportWindow, SeriesMetric } from './ports.js';

/**
 * The reports' reads, over `conversation_facts` (kept by conversation-facts.ts): every figure is
 * about the conversations opened in the window, so a report is one range of the `opened_at` index
 * whatever the window's size, and grouped rows are a partition of the total.
 *
 * Percentiles are nearest-rank (the value at rank ⌈q·n⌉ of the n sorted values): the window's
 * values (one number per conversation, at most a year's) are read unsorted and sorted here.
 */
export class SqlReportsRepo implements ReportsRepo {
  constructor(private readonly db: QueryDb) {}

  async figures(
    w: ReportWindow,
    groupBy?: ReportGroupBy,
    businessMs?: (start: number, end: number) => number,
  ): Promise<{ total: ReportFigures; groups: GroupedFigures[] }> {
    const where = sql`${f.openedAt} >= ${w.from} and ${f.openedAt} < ${w.to}${only(w)}`;
    const key = groupBy ? GROUP_COLUMNS[groupBy] : undefined;
    const counts = await this.counts(where, key);
    const firstResponse = await this.values(where, key, f.firstResponseMs, f.firstResponseAt, businessMs);
    const resolution = await this.values(where, key, f.resolutionMs, f.resolvedAt, businessMs);
    const figures = (c: Counts, k: string | null | typeof ALL): ReportFigures => ({
      ...countsOf(c),
      firstResponseMs: percentiles(firstResponse.wall.get(k)),
      resolutionMs: percentiles(resolution.wall.get(k)),
      firstResponseBusinessMs: percentiles(firstResponse.business?.get(k)),
      resolutionBusinessMs: percentiles(resolution.business?.get(k)),
    });
    // The total is the sum of the groups' counts: one scan, and the partition holds by construction.
    const total = counts.reduce<Counts>((a, c) => {
      const out = { ...a };
      for (const k of Object.keys(EMPTY_COUNTS) as (keyof Counts)[]) out[k] += c[k];
      return out;
    }, EMPTY_COUNTS);
    const groups = key
      ? counts
          .map((c) => ({ key: c.key, ...figures(c, c.key) }))
          .sort((a, b) => b.conversations - a.conversations || String(a.key).localeCompare(String(b.key)))
      : [];
    return { total: figures(total, ALL), groups };
  }

  async series(
    buckets: ReportBucket[],
    metric: SeriesMetric,
    filter: Pick<ReportWindow, 'channel' | 'team'> = {},
  ): Promise<(number | null)[]> {
    const out: (number | null)[] = buckets.map(() => null);
    if (!buckets.length) return out;
    // The buckets as a table of literals: integers made here, never client text.
    const values = buckets.map((b, i) => `(${i}, ${int(b.start)}, ${int(b.end)})`).join(', ');
    const withBuckets = sql`with b (i, s, e) as (values ${sql.raw(values)}) `;
    const from = sql`b join ${f} on ${f.openedAt} >= b.s and ${f.openedAt} < b.e${only(filter)}`;
    if (metric === 'first_response_median' || metric === 'resolution_median') {
      const v = metric === 'first_response_median' ? f.firstResponseMs : f.resolutionMs;
      const rows = await this.db.values<[number | string, number | string]>(
        sql`select ${f.openedAt}, ${v} from ${f} where ${f.openedAt} >= ${buckets[0]!.start} and ${f.openedAt} < ${buckets.at(-1)!.end}${only(filter)} and ${v} is not null`,
      );
      const lists = buckets.map((): number[] => []);
      for (const [at, value] of rows) {
        const i = bucketOf(buckets, Number(at));
        if (i >= 0) lists[i]!.push(Number(value));
      }
      return lists.map((list) => percentiles(Float64Array.from(list).sort()).median);
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

  /**
   * The window's values of `v`, unsorted, per group and all together under ALL. Fetched as they
   * lie and sorted here as typed arrays: cheaper than the database's sort or window functions,
   * and the same on both databases. With `businessMs`, each value is measured again in business
   * time from the same row: it ends at `end` (the reply or the resolution) and began `v` before.
   */
  private async values(
    where: SQL,
    key: SQL | undefined,
    v: typeof f.firstResponseMs | typeof f.resolutionMs,
    end: typeof f.firstResponseAt | typeof f.resolvedAt,
    businessMs: ((start: number, end: number) => number) | undefined,
  ): Promise<{ wall: Map<Group, Float64Array>; business: Map<Group, Float64Array> | undefined }> {
    const rows = await this.db.values<[string | null, number | string, number | string]>(
      sql`select ${key ?? sql`null`}, ${v}, ${end} from ${f} where ${where} and ${v} is not null`,
    );
    const wall = new Map<Group, number[]>([[ALL, []]]);
    const business = new Map<Group, number[]>([[ALL, []]]);
    const push = (lists: Map<Group, number[]>, g: string | null, n: number) => {
      lists.get(ALL)!.push(n);
      if (key) {
        let list = lists.get(g);
        if (!list) lists.set(g, (list = []));
        list.push(n);
      }
    };
    for (const [g, value, at] of rows) {
      const n = Number(value);
      push(wall, g, n);
      if (businessMs) {
        const stop = Number(at);
        push(business, g, businessMs(stop - n, stop));
      }
    }
    const sorted = (lists: Map<Group, number[]>) =>
      new Map<Group, Float64Array>([...lists].map(([k, list]) => [k, Float64Array.from(list).sort()]));
    return { wall: sorted(wall), business: businessMs ? sorted(business) : undefined };
  }
}

/** The filter's conditions, each bound as a parameter, to follow a where clause. */
function only(filter: Pick<ReportWindow, 'channel' | 'team'>): SQL {
  return sql`${filter.channel !== undefined ? sql` and ${f.channel} = ${filter.channel}` : sql``}${
    filter.team !== undefined ? sql` and ${f.team} = ${filter.team}` : sql``
  }`;
}

/** The bucket holding `t` (buckets are in order and do not overlap), or -1. */
function bucketOf(buckets: ReportBucket[], t: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (t < b.start) hi = mid - 1;
    else if (t >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Stands for "every group" in the maps of values (a group's key may be null). */
const ALL = Symbol('all');
type Group = string | null | typeof ALL;

/** Nearest-rank median and 90th percentile of sorted values. */
function percentiles(sorted: Float64Array | undefined): { median: number | null; p90: number | null } {
  if (!sorted?.length) return { median: null, p90: null };
  const rank = (q: number) => sorted[Math.ceil(q * sorted.length) - 1]!;
  return { median: rank(0.5), p90: rank(0.9) };
}

function countsOf(c: Counts): Counts {
  return Object.fromEntries((Object.keys(EMPTY_COUNTS) as (keyof Counts)[]).map((k) => [k, c[k]])) as unknown as Counts;
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
