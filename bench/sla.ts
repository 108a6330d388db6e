/**
 * What the SLA arithmetic costs on the paths that run it: one due time (cold calendar and warm),
 * a queue page's due times (200 conversations), and the holding reply's median over 500 first
 * responses — in a zone with DST, office hours with a lunch break, and holidays.
 *
 *   npx tsx bench/sla.ts [ROUNDS]
 */
import { addBusinessMinutes, businessMsBetween, calendar } from '../src/sla/business-calendar.js';
import { parseBusinessHours } from '../src/sla/settings.js';

const rounds = Number(process.argv[2] ?? 2_000);
const spec = {
  timeZone: 'America/New_York',
  hours: parseBusinessHours('mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00'),
  holidays: ['2026-11-26', '2026-12-25'],
};
const start = Date.parse('2026-01-01T00:00:00Z');
const YEAR = 365 * 86_400_000;
let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

function time(name: string, n: number, fn: () => void): void {
  const t0 = process.hrtime.bigint();
  fn();
  const us = Number(process.hrtime.bigint() - t0) / 1_000 / n;
  console.log(`${name.padEnd(58)} ${us.toFixed(2).padStart(9)} µs`);
}

time('one due time (48 business hours), fresh calendar each', rounds, () => {
  for (let i = 0; i < rounds; i++) addBusinessMinutes(calendar(spec), start + random() * YEAR, 48 * 60);
});
const cal = calendar(spec);
time('one due time (48 business hours), warm calendar', rounds, () => {
  for (let i = 0; i < rounds; i++) addBusinessMinutes(cal, start + random() * YEAR, 48 * 60);
});
const page = Array.from({ length: 200 }, () => start + random() * YEAR);
time('a queue page: 200 conversations × 2 targets', Math.max(1, rounds / 100), () => {
  for (let i = 0; i < rounds / 100; i++)
    for (const at of page) {
      addBusinessMinutes(cal, at, 240);
      addBusinessMinutes(cal, at, 1440);
    }
});
const pairs = Array.from({ length: 500 }, () => {
  const at = start + random() * YEAR;
  return [at, at + random() * 6 * 3_600_000] as const;
});
time('the usual wait: median over 500 first responses', Math.max(1, rounds / 100), () => {
  for (let i = 0; i < rounds / 100; i++) pairs.map(([a, b]) => businessMsBetween(cal, a, b)).sort((x, y) => x - y);
});
const now = Date.parse('2026-12-02T15:00:00Z');
const lastDay = Array.from({ length: 500 }, () => {
  const at = now - random() * 86_400_000;
  return [at, Math.min(now, at + random() * 2 * 3_600_000)] as const;
});
time('the usual wait: 500 first responses of the last day', Math.max(1, rounds / 100), () => {
  for (let i = 0; i < rounds / 100; i++) lastDay.map(([a, b]) => businessMsBetween(cal, a, b)).sort((x, y) => x - y);
});
