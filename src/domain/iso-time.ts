/**
 * `new Date(ms).toISOString()` without the Date: a list page writes some four hundred timestamps,
 * and making a Date for each and asking it for its string was about three times this arithmetic.
 * Years 0–9999 only (toISOString's own form); anything else goes to toISOString.
 */
const LAST_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const DAY_MS = 86_400_000;

/** `00`…`99` and `000`…`999`, made once: a page writes some four hundred times, each of several fields. */
const TWO = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const two = (n: number) => TWO[n]!;
const three = (n: number) => THREE[n]!;
const four = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);

/** The date part of the day last written: a page's timestamps mostly fall on a few days. */
let lastDay = Number.NaN;
let lastDate = '';
/** The time last written and its string: a conversation's times often repeat (created, waiting since, last message). */
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_MS) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  if (days !== lastDay) {
    lastDate = civilDate(days);
    lastDay = days;
  }
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  lastIso = `${lastDate}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(rest - seconds * 1000)}Z`;
  lastMs = ms;
  return lastIso;
}

/** `YYYY-MM-DD` of a day count since 1970-01-01: H. Hinnant's days_from_civil inverse, in 400-year eras from 0000-03-01. */
function civilDate(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${four(year)}-${two(month)}-${two(day)}`;
}
