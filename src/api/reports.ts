import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import { csvResponse, toCsv } from '../kit/csv.js';
import { SERIES_CSV_HEADER, SUMMARY_CSV_HEADER, seriesCsvRows, seriesReport, summaryCsvRows, summaryReport } from '../queue/report.js';
import { checkTimeZone, reportWindow } from '../queue/report-time.js';
import { REPORT_GROUPS, SERIES_METRICS } from '../store/ports.js';
import type { Store } from '../store/store.js';
import type { SlaSettings } from '../sla/settings.js';
import { requireRole, type ApiEnv } from './auth.js';

const common = {
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  tz: z.string().max(64).default('UTC'),
  format: z.enum(['json', 'csv']).default('json'),
  channel: z.string().min(1).max(40).optional(),
  team: z.string().min(1).max(100).optional(),
};
const summaryQuery = z.strictObject({ ...common, groupBy: z.enum(REPORT_GROUPS).optional() });
const seriesQuery = z.strictObject({ ...common, metric: z.enum(SERIES_METRICS), interval: z.enum(['day', 'hour']).default('day') });

function parseQuery<S extends z.ZodType>(schema: S, raw: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : 'query');
    throw new ValidationError(`${field}: ${issue.message}`, field);
  }
  return parsed.data;
}

const day = (iso: string) => iso.slice(0, 10);

/** The channel and team filters given, without undefined keys. */
const only = (q: { channel?: string; team?: string }) => ({
  ...(q.channel !== undefined ? { channel: q.channel } : {}),
  ...(q.team !== undefined ? { team: q.team } : {}),
});

/**
 * GET /api/reports/summary?from&to&tz&groupBy=channel|team|agent&channel&team&format=csv and
 * GET /api/reports/timeseries?metric&interval=day|hour&from&to&tz&channel&team&format=csv (admin).
 * `channel` and `team` narrow both to the conversations of that channel and/or team.
 */
export function reportRoutes(d: { store: Store; clock: Clock; sla: SlaSettings }) {
  const app = new Hono<ApiEnv>();
  app.use('*', requireRole('admin'));
  app.get('/summary', async (c) => {
    const q = parseQuery(summaryQuery, c.req.query());
    const tz = checkTimeZone(q.tz);
    const w = { ...reportWindow(q, tz, d.clock.now().getTime()), ...only(q) };
    const report = await summaryReport(d.store, w, tz, q.groupBy, d.sla);
    if (q.format === 'json') return c.json(report);
    const name = `summary${q.groupBy ? `-by-${q.groupBy}` : ''}-${day(report.from)}-${day(report.to)}.csv`;
    return csvResponse(toCsv(SUMMARY_CSV_HEADER, summaryCsvRows(report)), name);
  });
  app.get('/timeseries', async (c) => {
    const q = parseQuery(seriesQuery, c.req.query());
    const tz = checkTimeZone(q.tz);
    const w = { ...reportWindow(q, tz, d.clock.now().getTime()), ...only(q) };
    const report = await seriesReport(d.store, w, tz, q.metric, q.interval);
    if (q.format === 'json') return c.json(report);
    return csvResponse(
      toCsv(SERIES_CSV_HEADER, seriesCsvRows(report)),
      `${q.metric}-${q.interval}-${day(report.from)}-${day(report.to)}.csv`,
    );
  });
  return app;
}
