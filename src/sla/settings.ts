import { z } from 'zod';
import { PRIORITIES, type Priority } from '../domain/conversation.js';
import { DAY_NAMES, isValidTimeZone, type TimeRange, type WeeklyHours } from './business-calendar.js';

/**
 * The SLA settings: when the team works and the targets per priority. They start from the
 * environment (BUSINESS_HOURS, BUSINESS_TIMEZONE, HOLIDAYS, SLA_TARGETS) and an admin may replace
 * them through `PUT /api/settings/sla`; the stored copy then wins on every instance (policy.ts).
 * The parsers here serve both, so a value means the same wherever it is written.
 */

export interface Target {
  /** Business minutes from hand-off to the first agent reply. */
  firstResponseMinutes: number;
  /** Business minutes from hand-off to resolved. */
  resolutionMinutes: number;
}
export type SlaTargets = Record<Priority, Target>;

export interface SlaSettings {
  timeZone: string;
  /** As BUSINESS_HOURS reads, e.g. `mon-fri 09:00-18:00; sat 10:00-14:00`; empty: around the clock. */
  businessHours: string;
  /** Closed days, YYYY-MM-DD in the business zone. */
  holidays: string[];
  targets: SlaTargets;
}

export const DEFAULT_TARGETS: SlaTargets = {
  urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  normal: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 48 * 60 },
};

export const DEFAULT_SLA_SETTINGS: SlaSettings = { timeZone: 'UTC', businessHours: '', holidays: [], targets: DEFAULT_TARGETS };

/** Limits: a year of business minutes per target, a few years of holidays, a short hours text. */
export const MAX_TARGET_MINUTES = 366 * 24 * 60;
export const MAX_HOLIDAYS = 1_000;
export const MAX_HOURS_TEXT = 1_000;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const dayIndex = (name: string): number => {
  const i = DAY_NAMES.indexOf(name.toLowerCase() as (typeof DAY_NAMES)[number]);
  if (i < 0) throw new SettingsError(`"${name}" is not a day (use ${DAY_NAMES.join(', ')})`);
  return i;
};

function days(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to, extra] = part.trim().split('-');
    if (extra !== undefined || !from) throw new SettingsError(`"${part.trim()}" is not a day or a span of days like mon-fri`);
    const a = dayIndex(from);
    const b = to === undefined ? a : dayIndex(to);
    // A span may wrap the week's end: fri-mon is fri, sat, sun, mon.
    for (let d = a; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === b) break;
    }
  }
  return [...out];
}

function clock(text: string, end: boolean): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 1440 || (!end && minutes === 1440))
    throw new SettingsError(`"${text}" is not a time of day like 09:00${end ? ' (24:00 ends the day)' : ''}`);
  return minutes;
}

function range(text: string): TimeRange {
  const [a, b, extra] = text.trim().split('-');
  if (!a || !b || extra !== undefined) throw new SettingsError(`"${text.trim()}" is not a range like 09:00-18:00`);
  const r = { start: clock(a, false), end: clock(b, true) };
  if (r.end <= r.start)
    throw new SettingsError(
      `"${text.trim()}" ends before it starts (a range past midnight is written as two: 22:00-24:00 and 00:00-02:00 the next day)`,
    );
  return r;
}

/**
 * `mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00` → ranges per weekday; empty → null (around
 * the clock). Days not named are closed; ranges of one day may not overlap.
 */
export function parseBusinessHours(text: string): WeeklyHours | null {
  if (text.trim() === '') return null;
  if (text.length > MAX_HOURS_TEXT) throw new SettingsError(`longer than ${MAX_HOURS_TEXT} characters`);
  const week: TimeRange[][] = [[], [], [], [], [], [], []];
  for (const clause of text.split(';').map((c) => c.trim())) {
    if (!clause) continue;
    const m = /^(\S+)\s+(.+)$/.exec(clause);
    if (!m) throw new SettingsError(`"${clause}" must be days and ranges, like "mon-fri 09:00-18:00"`);
    const ranges = m[2]!.split(',').map(range);
    for (const d of days(m[1]!)) week[d]!.push(...ranges);
  }
  for (const [d, ranges] of week.entries()) {
    ranges.sort((x, y) => x.start - y.start);
    for (let i = 1; i < ranges.length; i++)
      if (ranges[i]!.start < ranges[i - 1]!.end) throw new SettingsError(`the ranges of ${DAY_NAMES[d]} overlap`);
  }
  if (week.every((r) => r.length === 0)) throw new SettingsError('no opening hours at all (leave it empty for around the clock)');
  return week;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
export function isIsoDate(s: string): boolean {
  if (!isoDate.test(s)) return false;
  // Month 13 is no date at all; 02-30 is one that rolls over into March.
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function parseHolidays(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const d of list) if (!isIsoDate(d)) throw new SettingsError(`"${d}" is not a date like 2026-10-01`);
  if (list.length > MAX_HOLIDAYS) throw new SettingsError(`more than ${MAX_HOLIDAYS} holidays`);
  return [...new Set(list)].sort();
}

/** `15m`, `4h`, `1.5h`, `90` (minutes) → minutes. */
function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h)?$/.exec(text.trim());
  const minutes = m ? Number(m[1]) * (m[2] === 'h' ? 60 : 1) : NaN;
  if (!m || !(minutes > 0) || minutes > MAX_TARGET_MINUTES) throw new SettingsError(`"${text.trim()}" is not a duration like 15m or 4h`);
  return minutes;
}

/** `urgent:15m/4h,high:1h/8h` → targets; priorities not named keep `base`'s. */
export function parseTargets(text: string, base: SlaTargets = DEFAULT_TARGETS): SlaTargets {
  const out: SlaTargets = { ...base };
  for (const item of text.split(',').map((s) => s.trim())) {
    if (!item) continue;
    const m = /^([a-z]+)\s*:\s*([^/]+)\/(.+)$/.exec(item);
    if (!m) throw new SettingsError(`"${item}" must read priority:first-response/resolution, like urgent:15m/4h`);
    const priority = PRIORITIES.find((p) => p === m[1]);
    if (!priority) throw new SettingsError(`"${m[1]}" is not a priority (${PRIORITIES.join(', ')})`);
    out[priority] = { firstResponseMinutes: duration(m[2]!), resolutionMinutes: duration(m[3]!) };
  }
  checkTargets(out);
  return out;
}

function checkTargets(t: SlaTargets): void {
  for (const p of PRIORITIES)
    if (t[p].resolutionMinutes < t[p].firstResponseMinutes)
      throw new SettingsError(`${p}: the resolution target is shorter than the first-response target`);
}

/** The error text of a SettingsError, anything else rethrown. */
export function settingsMessage(err: unknown): string {
  if (err instanceof SettingsError || err instanceof RangeError) return err.message;
  throw err;
}

const minutes = z.number().positive().max(MAX_TARGET_MINUTES);
const target = z.object({ firstResponseMinutes: minutes, resolutionMinutes: minutes }).strict();

/** The JSON form (the API's body, the stored row): every field checked as the environment's are. */
export const slaSettingsSchema = z
  .object({
    timeZone: z.string().min(1).max(100).refine(isValidTimeZone, 'must be an IANA time zone like Asia/Shanghai'),
    businessHours: z
      .string()
      .max(MAX_HOURS_TEXT)
      .superRefine((v, ctx) => {
        try {
          parseBusinessHours(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: settingsMessage(err) });
        }
      }),
    holidays: z
      .array(z.string().refine(isIsoDate, 'must be a date like 2026-10-01'))
      .max(MAX_HOLIDAYS)
      .transform((l) => [...new Set(l)].sort()),
    targets: z
      .object(Object.fromEntries(PRIORITIES.map((p) => [p, target])) as Record<Priority, typeof target>)
      .strict()
      .superRefine((t, ctx) => {
        try {
          checkTargets(t);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: settingsMessage(err) });
        }
      }),
  })
  .strict();
