import { ValidationError } from '../domain/errors.js';
import type { ReportBucket, ReportWindow } from '../store/ports.js';

/**
 * The calendar of the reports: windows given as dates or instants, read in an IANA time zone,
 * and cut into day or hour buckets whose boundaries are that zone's midnights and hours (a day
 * across a daylight-saving change is 23 or 25 hours long).
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The longest window a report covers, and the most buckets a series has (a leap year of hours fits). */
export const MAX_WINDOW_DAYS = 400;
export const MAX_BUCKETS = 9000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone named by `tz`, or a 400 for a name the runtime's time-zone database does not know. */
export function checkTimeZone(tz: string): string {
  if (tz.length > 64) throw new ValidationError('tz: must be an IANA time zone such as Asia/Shanghai', 'tz');
  try {
    formatter(tz);
  } catch {
    throw new ValidationError(`tz: unknown time zone "${tz}" (use an IANA name such as Asia/Shanghai or UTC)`, 'tz');
  }
  return tz;
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields of instant `t` in `tz`. */
function wall(t: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(t))
      .map((p) => [p.type, Number(p.value)]),
  );
  return { y: parts.year!, mo: parts.month! - 1, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

/** How far `tz` is ahead of UTC at instant `t`, in ms. */
function offset(t: number, tz: string): number {
  const w = wall(t, tz);
  return Date.UTC(w.y, w.mo, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000;
}

/** The instant the wall clock in `tz` shows this time (for a time skipped by a DST change: just after it). */
export function zonedTime(tz: string, y: number, mo: number, d: number, h = 0): number {
  const guess = Date.UTC(y, mo, d, h);
  // The offset at the guess may differ from the offset at the answer near a change: correct once.
  const first = guess - offset(guess, tz);
  return guess - offset(first, tz);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A full instant: a date, a time, and Z or an offset. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DD` is that day's start in `tz` (with `endOfDay`, the next day's start); anything else must be a full ISO instant. */
export function parseReportTime(raw: string, tz: string, field: string, endOfDay: boolean): number {
  const date = DATE_ONLY.exec(raw);
  if (date) {
    const [y, mo, d] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    const check = new Date(Date.UTC(y, mo, d));
    if (check.getUTCMonth() !== mo || check.getUTCDate() !== d) throw new ValidationError(`${field}: no such date`, field);
    return zonedTime(tz, y, mo, d + (endOfDay ? 1 : 0));
  }
  const t = INSTANT.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(t))
    throw new ValidationError(`${field}: must be a date (YYYY-MM-DD) or an ISO instant with a zone (2026-01-31T08:00:00Z)`, field);
  return t;
}

/** `from`/`to` of a request, defaulting to the 30 days before now; at most MAX_WINDOW_DAYS long. */
export function reportWindow(q: { from?: string; to?: string }, tz: string, now: number): ReportWindow {
  const to = q.to === undefined ? now : parseReportTime(q.to, tz, 'to', true);
  const from = q.from === undefined ? to - 30 * DAY : parseReportTime(q.from, tz, 'from', false);
  if (from >= to) throw new ValidationError('from: must be before to', 'from');
  if (to - from > MAX_WINDOW_DAYS * DAY) throw new ValidationError(`to: a report covers at most ${MAX_WINDOW_DAYS} days`, 'to');
  return { from, to };
}

/**
 * The window cut at `tz`'s midnights (day) or hours (hour); the first and last bucket are clipped
 * to the window, so the buckets cover exactly what the summary of the same window covers.
 */
export function buckets(w: ReportWindow, interval: 'day' | 'hour', tz: string): ReportBucket[] {
  const starts: number[] = [];
  if (interval === 'hour') {
    // Hours of wall-clock time; zones a half or quarter hour off UTC have their own hour marks.
    const at = wall(w.from, tz);
    let t = w.from - (at.mi * 60 + at.s) * 1000 - (w.from % 1000);
    for (; t < w.to; t += HOUR) starts.push(t);
  } else {
    const at = wall(w.from, tz);
    for (let i = 0, t = zonedTime(tz, at.y, at.mo, at.d); t < w.to; t = zonedTime(tz, at.y, at.mo, at.d + ++i)) {
      starts.push(t);
      if (starts.length > MAX_BUCKETS) break;
    }
  }
  if (starts.length > MAX_BUCKETS)
    throw new ValidationError(`interval: at most ${MAX_BUCKETS} buckets; use a shorter window or interval=day`, 'interval');
  return starts.map((s, i) => ({ start: Math.max(s, w.from), end: Math.min(starts[i + 1] ?? w.to, w.to) }));
}
