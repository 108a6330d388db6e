/**
 * The console's two languages. Each folder declares its own strings with `defineStrings`, English
 * and simplified Chinese side by side, so the compiler refuses a key that one language lacks.
 * The locale comes from the agent's choice (kept in localStorage) or else the browser; switching
 * fires a `localechange` event on window so mounted views re-render their labels.
 */

export type Locale = 'en' | 'zh';

const LOCALE_KEY = 'switchboard.locale';

function stored(): Locale | null {
  try {
    const v = localStorage.getItem(LOCALE_KEY);
    return v === 'en' || v === 'zh' ? v : null;
  } catch {
    // Storage can be blocked (privacy settings); the browser language still decides.
    return null;
  }
}

function fromBrowser(): Locale {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const lang of langs) {
    const l = (lang || '').toLowerCase();
    if (l.startsWith('zh')) return 'zh';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

let current: Locale = stored() ?? fromBrowser();

export function locale(): Locale {
  return current;
}

/** The BCP 47 tag for Intl and `<html lang>`. */
export function localeTag(): string {
  return current === 'zh' ? 'zh-CN' : 'en';
}

export function setLocale(next: Locale): void {
  current = next;
  try {
    localStorage.setItem(LOCALE_KEY, next);
  } catch {
    // Not remembered across reloads; the switch still applies now.
  }
  document.documentElement.lang = localeTag();
  window.dispatchEvent(new Event('localechange'));
}

export type Vars = Record<string, string | number>;

/**
 * A translator for one set of strings. `{name}` placeholders are filled from `vars`; the result is
 * plain text (callers put it in text nodes, never in innerHTML).
 */
export function defineStrings<K extends string>(en: Record<K, string>, zh: Record<K, string>): (key: K, vars?: Vars) => string {
  return (key, vars) => {
    const template = (current === 'zh' ? zh : en)[key] ?? en[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
  };
}

export function formatDateTime(iso: string | number | Date): string {
  return new Intl.DateTimeFormat(localeTag(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | number | Date): string {
  return new Intl.DateTimeFormat(localeTag(), { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatTime(iso: string | number | Date): string {
  return new Intl.DateTimeFormat(localeTag(), { timeStyle: 'short' }).format(new Date(iso));
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(localeTag(), options).format(n);
}

/** "3 min", "2 h 5 min", "1 d 4 h" in the current language, from milliseconds. */
export function formatDuration(ms: number): string {
  const zh = current === 'zh';
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return zh ? `${min} 分钟` : `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return zh ? `${h} 小时 ${min % 60} 分钟` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return zh ? `${d} 天 ${h % 24} 小时` : `${d} d ${h % 24} h`;
}

document.documentElement.lang = localeTag();
