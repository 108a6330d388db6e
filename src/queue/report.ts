import { EVENT_TYPES } from '../domain/events.js';
import type { CsvCell } from '../kit/csv.js';
import type { Store } from '../store/store.js';
import type { ReportFigures, ReportGroupBy, ReportWindow, SeriesMetric } from '../store/ports.js';
import { businessMsBetween } from '../sla/business-calendar.js';
import { currentPolicy } from '../sla/policy.js';
import type { SlaSettings } from '../sla/settings.js';
import { buckets } from './report-time.js';

/**
 * Service reports (DESIGN.md § Who uses it), read from the per-conversation facts the event log
 * keeps (src/store/conversation-facts.ts has the definitions and the attribution rule). Every
 * figure is about the conversations opened in the window, so a conversation counts once in a
 * summary, once in its group and once in its time bucket.
 */

/** The event type whose count is `slaBreaches`; until this version records it, the count is 0 and the report says so. */
const SLA_EVENT = 'sla.breached';

export interface FiguresView {
  conversations: number;
  botResolved: number;
  /** botResolved / conversations; null when nothing was opened. */
  botResolvedShare: number | null;
  handoffs: number;
  resolved: number;
  firstResponseSeconds: { median: number | null; p90: number | null; count: number };
  resolutionSeconds: { median: number | null; p90: number | null; count: number };
  /** The same two times in business time: only the hours the SLA calendar in force has open count. */
  firstResponseBusinessSeconds: { median: number | null; p90: number | null };
  resolutionBusinessSeconds: { median: number | null; p90: number | null };
  slaBreaches: number;
  /** Average of the scores (1–5); responseRate is responses / resolved conversations. */
  csat: { average: number | null; responses: number; responseRate: number | null };
}

export interface SummaryView {
  from: string;
  to: string;
  tz: string;
  groupBy: ReportGroupBy | null;
  slaBreachesRecorded: boolean;
  notes: string[];
  total: FiguresView;
  groups: (FiguresView & { key: string | null })[];
}

export interface SeriesView {
  metric: SeriesMetric;
  interval: 'day' | 'hour';
  tz: string;
  from: string;
  to: string;
  unit: 'count' | 'seconds' | 'score';
  points: { start: string; end: string; value: number | null }[];
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

function view(f: ReportFigures): FiguresView {
  return {
    conversations: f.conversations,
    botResolved: f.botResolved,
    botResolvedShare: ratio(f.botResolved, f.conversations),
    handoffs: f.handoffs,
    resolved: f.resolved,
    firstResponseSeconds: { median: seconds(f.firstResponseMs.median), p90: seconds(f.firstResponseMs.p90), count: f.firstResponses },
    resolutionSeconds: { median: seconds(f.resolutionMs.median), p90: seconds(f.resolutionMs.p90), count: f.resolutions },
    firstResponseBusinessSeconds: { median: seconds(f.firstResponseBusinessMs.median), p90: seconds(f.firstResponseBusinessMs.p90) },
    resolutionBusinessSeconds: { median: seconds(f.resolutionBusinessMs.median), p90: seconds(f.resolutionBusinessMs.p90) },
    slaBreaches: f.slaBreaches,
    csat: {
      average: f.csatResponses ? Math.round((f.csatSum / f.csatResponses) * 1000) / 1000 : null,
      responses: f.csatResponses,
      responseRate: ratio(f.csatResponses, f.resolved),
    },
  };
}

const slaRecorded = () => EVENT_TYPES.includes(SLA_EVENT);

/**
 * The summary. Business times use the SLA calendar in force now (`sla` is the environment's
 * settings, which an admin's stored copy overrides), read in the same read as the figures; the
 * calendar is the compiled one the SLA clocks use, so its cached days serve every conversation.
 */
export async function summaryReport(
  store: Store,
  w: ReportWindow,
  tz: string,
  groupBy: ReportGroupBy | undefined,
  sla: SlaSettings,
): Promise<SummaryView> {
  const { total, groups } = await store.read(async (r) => {
    const { calendar } = await currentPolicy(r, sla);
    return r.reports.figures(w, groupBy, (start, end) => businessMsBetween(calendar, start, end));
  });
  const recorded = slaRecorded();
  return {
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    tz,
    groupBy: groupBy ?? null,
    slaBreachesRecorded: recorded,
    notes: recorded ? [] : [`slaBreaches counts "${SLA_EVENT}" events, which this version does not record yet: it is 0.`],
    total: view(total),
    groups: groups.map((g) => ({ key: g.key, ...view(g) })),
  };
}

const UNITS: Record<SeriesMetric, SeriesView['unit']> = {
  conversations: 'count',
  handoffs: 'count',
  bot_resolved: 'count',
  sla_breaches: 'count',
  first_response_median: 'seconds',
  resolution_median: 'seconds',
  csat_average: 'score',
};

export async function seriesReport(
  store: Store,
  w: ReportWindow,
  tz: string,
  metric: SeriesMetric,
  interval: 'day' | 'hour',
): Promise<SeriesView> {
  const cut = buckets(w, interval, tz);
  const values = await store.read((r) => r.reports.series(cut, metric, { channel: w.channel, team: w.team }));
  const unit = UNITS[metric];
  return {
    metric,
    interval,
    tz,
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    unit,
    points: cut.map((b, i) => {
      const v = values[i] ?? null;
      const value = v === null ? null : unit === 'seconds' ? v / 1000 : unit === 'score' ? Math.round(v * 1000) / 1000 : v;
      return { start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString(), value };
    }),
  };
}

export const SUMMARY_CSV_HEADER = [
  'row',
  'key',
  'conversations',
  'bot_resolved',
  'bot_resolved_share',
  'handoffs',
  'resolved',
  'first_response_median_s',
  'first_response_p90_s',
  'first_responses',
  'resolution_median_s',
  'resolution_p90_s',
  'resolutions',
  'first_response_business_median_s',
  'first_response_business_p90_s',
  'resolution_business_median_s',
  'resolution_business_p90_s',
  'sla_breaches',
  'csat_average',
  'csat_responses',
  'csat_response_rate',
];

/** The total first (row "total", key empty), then one row per group (row "group"). */
export function summaryCsvRows(s: SummaryView): CsvCell[][] {
  const cells = (row: string, key: string | null, f: FiguresView): CsvCell[] => [
    row,
    key,
    f.conversations,
    f.botResolved,
    f.botResolvedShare,
    f.handoffs,
    f.resolved,
    f.firstResponseSeconds.median,
    f.firstResponseSeconds.p90,
    f.firstResponseSeconds.count,
    f.resolutionSeconds.median,
    f.resolutionSeconds.p90,
    f.resolutionSeconds.count,
    f.firstResponseBusinessSeconds.median,
    f.firstResponseBusinessSeconds.p90,
    f.resolutionBusinessSeconds.median,
    f.resolutionBusinessSeconds.p90,
    f.slaBreaches,
    f.csat.average,
    f.csat.responses,
    f.csat.responseRate,
  ];
  return [cells('total', null, s.total), ...s.groups.map((g) => cells('group', g.key, g))];
}

export const SERIES_CSV_HEADER = ['start', 'end', 'value'];
export const seriesCsvRows = (s: SeriesView): CsvCell[][] => s.points.map((p) => [p.start, p.end, p.value]);
