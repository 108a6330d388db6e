import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/** The environment record the app was started with (never process.env read directly). */
export type Env = Record<string, string | undefined>;

/** The variables that are actually set: a blank line in .env means "unset", so it cannot override a default. */
export function withoutBlanks(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** For a schema read outside an object parsed with withoutBlanks: blank or spaces only counts as unset. */
export function unsetIfBlank<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
}

/** true/false, 1/0, yes/no. */
export const envFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A positive duration such as `500ms`, `30s`, `15m`, `24h` or `7d` (a bare number is milliseconds), in milliseconds. */
export const envDuration = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)?$/i, 'must be a duration such as 30s, 15m, 24h or 7d')
  .transform((v) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(v)!;
    return Math.round(Number(n) * UNIT_MS[(unit?.toLowerCase() ?? 'ms') as keyof typeof UNIT_MS]);
  })
  .refine((ms) => ms > 0, 'must be longer than zero');

/** A TCP port; `anyFree` also accepts 0 (let the system pick, as tests do for the HTTP server). */
export function envPort(opts: { anyFree?: boolean } = {}) {
  return z.coerce
    .number()
    .int()
    .min(opts.anyFree ? 0 : 1)
    .max(65535);
}

/**
 * A URL whose scheme matches `protocol` (e.g. /^https?$/); `message` says what is expected.
 * `trimSlash` drops trailing slashes, for base URLs that paths get appended to.
 */
export function envUrl(opts: { protocol: RegExp; message: string; trimSlash?: boolean }) {
  const url = z.url({ protocol: opts.protocol, error: opts.message });
  return opts.trimSlash ? url.transform((u) => u.replace(/\/+$/, '')) : url;
}

/** An object-level check: `needed` must be set whenever `when` is. */
export function requiredWith<T extends object>(needed: keyof T & string, when: keyof T & string) {
  return (e: T, ctx: z.RefinementCtx) => {
    if (e[when] !== undefined && e[needed] === undefined) {
      ctx.addIssue({ code: 'custom', path: [needed], message: `is required when ${when} is set` });
    }
  };
}

/** An object-level check: `a` and `b` are set together or not at all (say, a user name and its password). */
export function bothOrNeither<T extends object>(a: keyof T & string, b: keyof T & string) {
  return (e: T, ctx: z.RefinementCtx) => {
    if ((e[a] === undefined) !== (e[b] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [b], message: `set both ${a} and ${b}, or neither` });
    }
  };
}

/**
 * Parses the set variables of `env` with `schema`. The first problem becomes a ValidationError
 * naming its variable ("IMAP_USER is required", "TELEGRAM_API_ROOT must be an http(s) URL"),
 * prefixed with `context` (e.g. "email channel") when given. Messages never repeat a value,
 * which may be a secret.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env, opts: { context?: string } = {}): z.output<S> {
  const present = withoutBlanks(env);
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'environment';
  const missing = issue.code === 'invalid_type' && present[String(issue.path[0])] === undefined;
  const prefix = opts.context ? `${opts.context}: ` : '';
  throw new ValidationError(`${prefix}${field} ${missing ? 'is required' : issue.message}`, field);
}
