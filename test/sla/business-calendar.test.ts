import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  addBusinessMs,
  businessMinutesBetween,
  calendar,
  instantOfWallClock,
  isOpen,
  nextOpening,
  wallTime,
} from '../../src/sla/business-calendar.js';
import { parseBusinessHours } from '../../src/sla/settings.js';

const at = (iso: string) => Date.parse(iso);
const cal = (timeZone: string, hours: string, holidays: string[] = []) =>
  calendar({ timeZone, hours: parseBusinessHours(hours), holidays });
const iso = (ms: number) => new Date(ms).toISOString();

describe('business calendar: weekends', () => {
  const ny = cal('America/New_York', 'mon-fri 09:00-17:00');

  it('carries time left on Friday over the weekend to Monday', () => {
    // Fri 2026-03-13 16:00 EDT; one hour left on Friday, one on Monday.
    expect(iso(addBusinessMinutes(ny, at('2026-03-13T20:00:00Z'), 120))).toBe('2026-03-16T14:00:00.000Z');
    expect(businessMinutesBetween(ny, at('2026-03-13T20:00:00Z'), at('2026-03-16T14:00:00Z'))).toBe(120);
    // Nothing counts on Saturday and Sunday.
    expect(businessMinutesBetween(ny, at('2026-03-14T00:00:00Z'), at('2026-03-16T04:00:00Z'))).toBe(0);
  });

  it('starts counting at the next opening when handed off while closed', () => {
    // Saturday noon → Monday 09:00 EDT + 30 min.
    expect(iso(addBusinessMinutes(ny, at('2026-03-14T16:00:00Z'), 30))).toBe('2026-03-16T13:30:00.000Z');
    expect(iso(nextOpening(ny, at('2026-03-14T16:00:00Z')))).toBe('2026-03-16T13:00:00.000Z');
    expect(isOpen(ny, at('2026-03-14T16:00:00Z'))).toBe(false);
  });
});

describe('business calendar: holidays', () => {
  const sh = cal('Asia/Shanghai', 'mon-fri 09:00-18:00', ['2026-10-01', '2026-10-02']);

  it('skips holidays as closed days, in the business zone', () => {
    // Wed 2026-09-30 17:00 CST; Thu and Fri are holidays; Monday 09:00 + 1 h.
    expect(wallTime(sh, addBusinessMinutes(sh, at('2026-09-30T09:00:00Z'), 120))).toBe('2026-10-05 10:00');
    expect(isOpen(sh, at('2026-10-01T03:00:00Z'))).toBe(false);
    expect(wallTime(sh, nextOpening(sh, at('2026-10-01T03:00:00Z')))).toBe('2026-10-05 09:00');
    expect(businessMinutesBetween(sh, at('2026-09-30T00:00:00Z'), at('2026-10-06T00:00:00Z'))).toBe(2 * 9 * 60);
  });

  it('closes a holiday around the clock too', () => {
    const always = calendar({ timeZone: 'Asia/Shanghai', hours: null, holidays: ['2026-10-01'] });
    // 2026-10-01 local is 2026-09-30T16:00Z – 2026-10-01T16:00Z.
    expect(businessMinutesBetween(always, at('2026-09-30T12:00:00Z'), at('2026-10-01T20:00:00Z'))).toBe(8 * 60);
    expect(iso(nextOpening(always, at('2026-10-01T00:00:00Z')))).toBe('2026-10-01T16:00:00.000Z');
  });
});

describe('business calendar: daylight-saving changes', () => {
  it('New York, spring forward (2026-03-08): business hours stay 09:00 local, so a day apart is an hour less', () => {
    const ny = cal('America/New_York', 'mon-fri 09:00-17:00');
    // Fri 2026-03-06 16:00 EST (21:00Z) + 2 h → Mon 2026-03-09 10:00 EDT (14:00Z): 65 real hours later.
    const due = addBusinessMinutes(ny, at('2026-03-06T21:00:00Z'), 120);
    expect(iso(due)).toBe('2026-03-09T14:00:00.000Z');
    expect((due - at('2026-03-06T21:00:00Z')) / 3_600_000).toBe(65);
    expect(wallTime(ny, due)).toBe('2026-03-09 10:00');
  });

  it('New York, fall back (2026-11-01): Monday 10:00 EST is 67 real hours after Friday 16:00 EDT', () => {
    const ny = cal('America/New_York', 'mon-fri 09:00-17:00');
    const due = addBusinessMinutes(ny, at('2026-10-30T20:00:00Z'), 120);
    expect(iso(due)).toBe('2026-11-02T15:00:00.000Z');
    expect((due - at('2026-10-30T20:00:00Z')) / 3_600_000).toBe(67);
  });

  it('a range across the jump holds the real time that passes: 01:00-04:00 is 2 h in March, 4 h in November', () => {
    const night = cal('America/New_York', 'sun 01:00-04:00');
    expect(businessMinutesBetween(night, at('2026-03-07T12:00:00Z'), at('2026-03-09T12:00:00Z'))).toBe(120);
    expect(businessMinutesBetween(night, at('2026-10-31T12:00:00Z'), at('2026-11-02T12:00:00Z'))).toBe(240);
    // 01:00 EST + 60 min is 03:00 EDT: 02:00 never happens that night.
    expect(wallTime(night, addBusinessMinutes(night, at('2026-03-08T06:00:00Z'), 60))).toBe('2026-03-08 03:00');
    // 01:00 EDT + 90 min is 01:30 EST, the second 01:30 of the night.
    expect(iso(addBusinessMinutes(night, at('2026-11-01T05:00:00Z'), 90))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('reads a skipped wall time as the same time after the jump, a repeated one as its first occurrence', () => {
    const ny = cal('America/New_York', '');
    expect(iso(instantOfWallClock(ny, Date.UTC(2026, 2, 8, 2, 30)))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(instantOfWallClock(ny, Date.UTC(2026, 10, 1, 1, 30)))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(instantOfWallClock(ny, Date.UTC(2026, 6, 1, 9, 0)))).toBe('2026-07-01T13:00:00.000Z');
  });

  it('Europe/Berlin: around the clock, business time is real time over the 23- and 25-hour days', () => {
    const berlin = cal('Europe/Berlin', '');
    // Local midnight to midnight on 2026-03-29 (23 h) and 2026-10-25 (25 h).
    expect(businessMinutesBetween(berlin, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(berlin, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60);
    expect(iso(addBusinessMinutes(berlin, at('2026-03-28T11:00:00Z'), 24 * 60))).toBe('2026-03-29T11:00:00.000Z');
  });

  it('Europe/Berlin: office hours across the October change', () => {
    const berlin = cal('Europe/Berlin', 'mon-fri 09:00-18:00');
    // Fri 2026-10-23 17:00 CEST (15:00Z) + 2 h → Mon 2026-10-26 10:00 CET (09:00Z).
    expect(iso(addBusinessMinutes(berlin, at('2026-10-23T15:00:00Z'), 120))).toBe('2026-10-26T09:00:00.000Z');
    expect(iso(nextOpening(berlin, at('2026-10-24T10:00:00Z')))).toBe('2026-10-26T08:00:00.000Z');
    // Before the change the same wall time is an hour earlier in UTC.
    expect(iso(nextOpening(berlin, at('2026-10-17T10:00:00Z')))).toBe('2026-10-19T07:00:00.000Z');
  });
});

describe('business calendar: several ranges a day', () => {
  const split = cal('UTC', 'mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00');

  it('skips the lunch break', () => {
    expect(iso(addBusinessMinutes(split, at('2026-12-07T11:30:00Z'), 60))).toBe('2026-12-07T13:30:00.000Z');
    expect(businessMinutesBetween(split, at('2026-12-07T11:00:00Z'), at('2026-12-07T14:00:00Z'))).toBe(120);
    expect(iso(nextOpening(split, at('2026-12-07T12:15:00Z')))).toBe('2026-12-07T13:00:00.000Z');
  });

  it('opens at a range start and closes at its end (end exclusive)', () => {
    expect(isOpen(split, at('2026-12-07T11:59:59Z'))).toBe(true);
    expect(isOpen(split, at('2026-12-07T12:00:00Z'))).toBe(false);
    expect(isOpen(split, at('2026-12-07T13:00:00Z'))).toBe(true);
    expect(isOpen(split, at('2026-12-12T10:30:00Z'))).toBe(true);
    expect(isOpen(split, at('2026-12-13T10:30:00Z'))).toBe(false);
    expect(iso(nextOpening(split, at('2026-12-07T13:00:00Z')))).toBe('2026-12-07T13:00:00.000Z');
  });

  it('a week holds 5 × 8 h plus Saturday’s 4 h', () => {
    expect(businessMinutesBetween(split, at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'))).toBe((5 * 8 + 4) * 60);
    // Friday 17:00 + 2 h: one hour Friday, one on Saturday morning.
    expect(iso(addBusinessMinutes(split, at('2026-12-11T17:00:00Z'), 120))).toBe('2026-12-12T11:00:00.000Z');
  });

  it('runs on through midnight when one day ends at 24:00 and the next starts at 00:00', () => {
    const late = cal('UTC', 'mon 22:00-24:00; tue 00:00-02:00');
    expect(iso(addBusinessMinutes(late, at('2026-12-07T22:00:00Z'), 180))).toBe('2026-12-08T01:00:00.000Z');
    expect(isOpen(late, at('2026-12-08T00:00:00Z'))).toBe(true);
    // A target met exactly at closing is met there, not at the next opening.
    expect(iso(addBusinessMinutes(late, at('2026-12-07T22:00:00Z'), 240))).toBe('2026-12-08T02:00:00.000Z');
  });
});

describe('business calendar: arithmetic', () => {
  it('between(from, add(from, n)) is n, and between is antisymmetric, over many instants and zones', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const calendars = [
      cal('America/New_York', 'mon-fri 09:00-17:00', ['2026-11-26']),
      cal('Europe/Berlin', 'mon-fri 08:00-12:00,13:00-17:30; sat 10:00-14:00'),
      cal('Asia/Shanghai', 'mon-sun 00:00-24:00', ['2026-10-01']),
      cal('America/New_York', 'sun 01:00-04:00'),
    ];
    for (let i = 0; i < 400; i++) {
      const c = calendars[i % calendars.length]!;
      const from = at('2026-01-01T00:00:00Z') + Math.floor(random() * 365 * 86_400_000);
      const minutes = Math.floor(random() * 4_000) + 1;
      const due = addBusinessMinutes(c, from, minutes);
      expect(due).toBeGreaterThanOrEqual(from + minutes * 60_000);
      expect(businessMinutesBetween(c, from, due)).toBeCloseTo(minutes, 6);
      expect(businessMinutesBetween(c, due, from)).toBeCloseTo(-minutes, 6);
      expect(isOpen(c, due - 1)).toBe(true);
    }
  });

  it('refuses a negative duration and an unknown zone', () => {
    const c = cal('UTC', '');
    expect(() => addBusinessMs(c, 0, -1)).toThrow(RangeError);
    expect(() => calendar({ timeZone: 'Mars/Olympus', hours: null, holidays: [] })).toThrow(/unknown time zone/);
  });
});
