import { formatDuration, locale, localeTag } from '../i18n.js';

/** An axis label: "12/2" in English, "12/2" in Chinese too, short enough for a day's column. */
export function formatDayShort(iso: string): string {
  return new Intl.DateTimeFormat(localeTag(), { month: 'numeric', day: 'numeric' }).format(new Date(iso));
}

/** The agent's own time zone, so a report's days are the days the agent lives in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** YYYY-MM-DD of a local date, as an <input type="date"> holds it. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A report's time: seconds under a minute ("42 s"), else the console's own duration format. */
export function formatSeconds(s: number): string {
  if (s < 59.5) return locale() === 'zh' ? `${Math.round(s)} 秒` : `${Math.round(s)} s`;
  return formatDuration(s * 1000);
}
