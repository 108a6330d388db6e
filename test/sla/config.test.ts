import { describe, expect, it } from 'vitest';
import { loadConfig, slaSettingsOf } from '../../src/config.js';
import { ValidationError } from '../../src/domain/errors.js';
import { DEFAULT_TARGETS, parseBusinessHours, parseHolidays, parseTargets, slaSettingsSchema } from '../../src/sla/settings.js';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('SLA settings from the environment', () => {
  it('reads hours, zone, holidays and targets', () => {
    const c = loadConfig({
      BUSINESS_HOURS: 'mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00',
      BUSINESS_TIMEZONE: 'Asia/Shanghai',
      HOLIDAYS: '2026-10-02, 2026-10-01',
      SLA_TARGETS: 'urgent:15m/4h,high:1h/8h,normal:4h/24h,low:8h/48h',
    });
    expect(slaSettingsOf(c)).toEqual({
      timeZone: 'Asia/Shanghai',
      businessHours: 'mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00',
      holidays: ['2026-10-01', '2026-10-02'],
      targets: {
        urgent: { firstResponseMinutes: 15, resolutionMinutes: 240 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        normal: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
      },
    });
  });

  it('defaults to around the clock in UTC with the default targets', () => {
    expect(slaSettingsOf(loadConfig({}))).toEqual({ timeZone: 'UTC', businessHours: '', holidays: [], targets: DEFAULT_TARGETS });
  });

  it('keeps SLA_FIRST_RESPONSE_MINUTES working alone: every priority’s first-response target', () => {
    const t = slaSettingsOf(loadConfig({ SLA_FIRST_RESPONSE_MINUTES: '30' })).targets;
    expect(Object.values(t).map((x) => x.firstResponseMinutes)).toEqual([30, 30, 30, 30]);
    expect(t.urgent.resolutionMinutes).toBe(DEFAULT_TARGETS.urgent.resolutionMinutes);
  });

  it('names the variable and the problem at start-up', () => {
    expect(errorOf({ BUSINESS_HOURS: 'mon-fry 09:00-18:00' })).toMatch(/BUSINESS_HOURS: "fry" is not a day/);
    expect(errorOf({ BUSINESS_HOURS: 'mon-fri 18:00-09:00' })).toMatch(/BUSINESS_HOURS: "18:00-09:00" ends before it starts/);
    expect(errorOf({ BUSINESS_HOURS: 'mon 09:00-13:00,12:00-18:00' })).toMatch(/BUSINESS_HOURS: the ranges of mon overlap/);
    expect(errorOf({ BUSINESS_HOURS: 'mon-fri 9:00-18:00' })).toMatch(/BUSINESS_HOURS: "9:00" is not a time of day/);
    expect(errorOf({ BUSINESS_HOURS: 'mon-fri' })).toMatch(/BUSINESS_HOURS: "mon-fri" must be days and ranges/);
    expect(errorOf({ BUSINESS_TIMEZONE: 'Asia/Beijing' })).toMatch(/BUSINESS_TIMEZONE: must be an IANA time zone/);
    expect(errorOf({ HOLIDAYS: '2026-02-30' })).toMatch(/HOLIDAYS: "2026-02-30" is not a date/);
    expect(errorOf({ HOLIDAYS: '2026-01-01,2026-13-01' })).toMatch(/HOLIDAYS: "2026-13-01" is not a date/);
    expect(errorOf({ SLA_TARGETS: 'critical:5m/1h' })).toMatch(/SLA_TARGETS: "critical" is not a priority/);
    expect(errorOf({ SLA_TARGETS: 'urgent:15/4d' })).toMatch(/SLA_TARGETS: "4d" is not a duration/);
    expect(errorOf({ SLA_TARGETS: 'urgent:4h/1h' })).toMatch(/SLA_TARGETS: urgent: the resolution target is shorter/);
    expect(errorOf({ SLA_TARGETS: 'urgent:15m/4h', SLA_FIRST_RESPONSE_MINUTES: '60' })).toMatch(
      /SLA_FIRST_RESPONSE_MINUTES: superseded by SLA_TARGETS/,
    );
    // Every problem at once, each by name.
    const all = errorOf({ BUSINESS_HOURS: 'xyz 09:00-10:00', BUSINESS_TIMEZONE: 'Nowhere', HOLIDAYS: 'tomorrow' });
    expect(all).toMatch(/BUSINESS_HOURS/);
    expect(all).toMatch(/BUSINESS_TIMEZONE/);
    expect(all).toMatch(/HOLIDAYS/);
  });
});

describe('SLA setting parsers', () => {
  it('reads day spans, lists and a span across the week’s end', () => {
    const week = parseBusinessHours('fri-mon 10:00-11:00; wed,thu 08:00-09:00')!;
    expect(week.map((d) => d.length)).toEqual([1, 1, 0, 1, 1, 1, 1]);
    expect(week[3]).toEqual([{ start: 480, end: 540 }]);
    expect(parseBusinessHours('  ')).toBeNull();
    expect(parseBusinessHours('sun 00:00-24:00')![0]).toEqual([{ start: 0, end: 1440 }]);
    expect(() => parseBusinessHours('sun 24:00-24:00')).toThrow(/not a time of day/);
  });

  it('targets: minutes and hours, decimals, unnamed priorities keep the defaults', () => {
    const t = parseTargets('urgent:10/1.5h');
    expect(t.urgent).toEqual({ firstResponseMinutes: 10, resolutionMinutes: 90 });
    expect(t.low).toEqual(DEFAULT_TARGETS.low);
    expect(() => parseTargets('urgent:0m/1h')).toThrow(/not a duration/);
    expect(() => parseTargets('urgent 15m/4h')).toThrow(/priority:first-response\/resolution/);
  });

  it('holidays: sorted, repeated ones once', () => {
    expect(parseHolidays('2026-12-25,2026-01-01,2026-12-25')).toEqual(['2026-01-01', '2026-12-25']);
  });

  it('the JSON form checks every field as the environment does', () => {
    const good = { timeZone: 'Europe/Berlin', businessHours: 'mon-fri 09:00-17:00', holidays: [], targets: DEFAULT_TARGETS };
    expect(slaSettingsSchema.safeParse(good).success).toBe(true);
    expect(slaSettingsSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(slaSettingsSchema.safeParse({ ...good, businessHours: 'mon 10:00' }).success).toBe(false);
    expect(slaSettingsSchema.safeParse({ ...good, targets: { ...DEFAULT_TARGETS, low: undefined } }).success).toBe(false);
  });
});
