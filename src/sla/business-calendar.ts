/**
 * Business-time arithmetic: when the team works, in one IANA time zone, and how much of that time
 * lies between two instants. Pure functions over a `BusinessCalendar`; time zones come from Intl
 * (Node's ICU), so daylight-saving changes are the zone database's, not ours.
 *
 * Opening hours are wall-clock times of the business zone. A day whose wall clock jumps (DST)
 * has a shorter or longer range in real time, and business time is always real elapsed time: on
 * the spring-forward night in New York, 01:00-04:00 holds two hours. A wall time the clock skips
 * is read as the same time after the jump (02:30 → 03:30), a repeated one as its first occurrence.
 */

/** Minutes from local midnight: start inclusive, end exclusive, 0 ≤ start < end ≤ 1440. */
export interface TimeRange {
  start: number;
  end: number;
}

/** Ranges per weekday, index 0 = Sunday … 6 = Saturday (Date#getUTCDay), each sorted and apart. */
export type WeeklyHours = readonly (readonly TimeRange[])[];

export interface CalendarSpec {
  timeZone: string;
  /** null: open around the clock (holidays still close whole days). */
  hours: WeeklyHours | null;
  /** Closed days, `YYYY-MM-DD` in the business zone. */
  holidays: readonly string[];
}

export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** A calendar with no opening in this many days is refused rather than searched for ever. */
const MAX_DAYS = 3_700;

/** A calendar ready for arithmetic: the spec plus its zone's formatter and a cache of days' open intervals. */
export interface BusinessCalendar {
  readonly spec: CalendarSpec;
  readonly holidays: ReadonlySet<string>;
  readonly format: Intl.DateTimeFormat;
  readonly days: Map<number, [number, number][]>;
  /** The zone's offset per quarter hour of UTC (offsets change on quarter hours since 1970). */
  readonly offsets: Map<number, number>;
  /** `addBusinessMs` answers by duration, then start: lists show the same conversations' due times page after page. */
  readonly added: Map<number, Map<number, number>>;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function calendar(spec: CalendarSpec): BusinessCalendar {
  if (!isValidTimeZone(spec.timeZone)) throw new RangeError(`unknown time zone "${spec.timeZone}"`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: spec.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return { spec, holidays: new Set(spec.holidays), format, days: new Map(), offsets: new Map(), added: new Map() };
}

/** The wall clock of the business zone at `at` read from Intl, as if it were UTC (ms), e.g. 09:00 local → Date.UTC(…, 9). */
function formattedWallClock(cal: BusinessCalendar, at: number): number {
  const p: Record<string, number> = {};
  for (const part of cal.format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const n = (k: string) => p[k] ?? 0;
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

const QUARTER_HOUR = 900_000;

/**
 * The zone's offset from UTC at `at`, in ms (east positive). Formatting is the slow part of all
 * this arithmetic, so offsets are cached per quarter hour: since 1970 every zone's changes fall on one.
 */
function offsetAt(cal: BusinessCalendar, at: number): number {
  if (at < 0) {
    const whole = Math.floor(at / 1000) * 1000;
    return formattedWallClock(cal, whole) - whole;
  }
  const bucket = Math.floor(at / QUARTER_HOUR);
  let offset = cal.offsets.get(bucket);
  if (offset === undefined) {
    offset = formattedWallClock(cal, bucket * QUARTER_HOUR) - bucket * QUARTER_HOUR;
    if (cal.offsets.size > 50_000) cal.offsets.clear();
    cal.offsets.set(bucket, offset);
  }
  return offset;
}

/** The wall clock of the business zone at `at`, as if it were UTC (ms). */
function wallClock(cal: BusinessCalendar, at: number): number {
  return at + offsetAt(cal, at);
}

/** The instant a wall-clock time (`wall`, as if UTC) of the business zone happens. */
export function instantOfWallClock(cal: BusinessCalendar, wall: number): number {
  const before = offsetAt(cal, wall - DAY_MS / 2);
  const after = offsetAt(cal, wall + DAY_MS / 2);
  const early = wall - before;
  if (offsetAt(cal, early) === before) return early;
  const late = wall - after;
  if (offsetAt(cal, late) === after) return late;
  // Skipped by the clock: the same distance past the jump.
  return early;
}

/** The business zone's calendar day (as Date.UTC of its midnight) that `at` falls on. */
function localDay(cal: BusinessCalendar, at: number): number {
  const wall = wallClock(cal, at);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

export function isoDay(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/** A local day's open intervals as instants, in order (cached: a day's hours never change for one calendar). */
function intervalsOfDay(cal: BusinessCalendar, day: number): [number, number][] {
  const cached = cal.days.get(day);
  if (cached) return cached;
  let out: [number, number][] = [];
  if (!cal.holidays.has(isoDay(day))) {
    const ranges = cal.spec.hours ? (cal.spec.hours[new Date(day).getUTCDay()] ?? []) : [{ start: 0, end: 1440 }];
    out = ranges
      .map((r): [number, number] => [instantOfWallClock(cal, day + r.start * MINUTE), instantOfWallClock(cal, day + r.end * MINUTE)])
      .filter(([s, e]) => e > s);
  }
  if (cal.days.size > 5_000) cal.days.clear();
  cal.days.set(day, out);
  return out;
}

/**
 * Open intervals from `from` on, in order, the first clipped to start no earlier than it. Ranges
 * that touch (24:00 and the next day's 00:00) stay apart: the sums and the next opening are the same.
 */
function* openFrom(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  // The day before too: its last range may end after `from` once the offset is applied.
  let day = localDay(cal, from) - DAY_MS;
  let idle = 0;
  for (;;) {
    const intervals = intervalsOfDay(cal, day);
    day += DAY_MS;
    if (intervals.length === 0 && ++idle > MAX_DAYS)
      throw new RangeError(`no business hours within ${MAX_DAYS} days of ${new Date(from).toISOString()}`);
    for (const [s, e] of intervals) {
      if (e <= from) continue;
      idle = 0;
      yield [Math.max(s, from), e];
    }
  }
}

/** Whether the team works at `at`. */
export function isOpen(cal: BusinessCalendar, at: number): boolean {
  const first = openFrom(cal, at).next().value as [number, number];
  return first[0] === at;
}

/** When the team is next at work: `at` itself when open, else the start of the next opening. */
export function nextOpening(cal: BusinessCalendar, at: number): number {
  return (openFrom(cal, at).next().value as [number, number])[0];
}

/** The instant `ms` of business time after `from` (a target reached at the end of a range is met there). */
export function addBusinessMs(cal: BusinessCalendar, from: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`business time must be a finite, non-negative duration, not ${ms}`);
  let byFrom = cal.added.get(ms);
  if (!byFrom) {
    if (cal.added.size > 64) cal.added.clear();
    cal.added.set(ms, (byFrom = new Map<number, number>()));
  }
  const known = byFrom.get(from);
  if (known !== undefined) return known;
  let left = ms;
  for (const [s, e] of openFrom(cal, from)) {
    if (left <= e - s) {
      if (byFrom.size > 50_000) byFrom.clear();
      byFrom.set(from, s + left);
      return s + left;
    }
    left -= e - s;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

export function addBusinessMinutes(cal: BusinessCalendar, from: number, minutes: number): number {
  return addBusinessMs(cal, from, minutes * MINUTE);
}

/** Business time from `a` to `b` in ms; negative when `b` is before `a`. */
export function businessMsBetween(cal: BusinessCalendar, a: number, b: number): number {
  if (b < a) return -businessMsBetween(cal, b, a);
  let total = 0;
  for (const [s, e] of openFrom(cal, a)) {
    if (s >= b) break;
    total += Math.min(e, b) - s;
    if (e >= b) break;
  }
  return total;
}

export function businessMinutesBetween(cal: BusinessCalendar, a: number, b: number): number {
  return businessMsBetween(cal, a, b) / MINUTE;
}

/** The business zone's local date and time of `at` (for replies and tests). */
export function wallTime(cal: BusinessCalendar, at: number): string {
  return new Date(wallClock(cal, at)).toISOString().slice(0, 16).replace('T', ' ');
}
