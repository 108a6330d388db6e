import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from './domain/errors.js';
import { faqEnvShape } from './faq/env.js';
import { envDuration, envPort, withoutBlanks, type Env } from './kit/env.js';

const optional = z.string().trim().min(1).optional().catch(undefined);
/** A rate limit in requests per minute; 0 turns it off. */
const perMinute = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
/** Comma-separated origins (`https://shop.example`), each with a scheme and no path. */
const origins = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins like https://shop.example, separated by commas')));

/** Core settings (DESIGN.md § Configuration). Channel settings are validated by each channel's factory. */
const schema = z.object({
  PORT: envPort({ anyFree: true }).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  ...faqEnvShape,
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_MODEL: optional,
  ANTHROPIC_BASE_URL: z.url().optional(),
  DRAFT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(72),
  CLOSE_AFTER_HOURS: z.coerce.number().positive().default(168),
  SLA_FIRST_RESPONSE_MINUTES: z.coerce.number().positive().default(60),
  SSE_MAX_STREAMS_PER_SESSION: z.coerce.number().int().positive().default(5),
  SSE_MAX_STREAMS_PER_IP: z.coerce.number().int().positive().default(100),
  SSE_HEARTBEAT_SECONDS: z.coerce.number().positive().default(15),
  SSE_IDLE_TIMEOUT_SECONDS: z.coerce.number().positive().default(900),
  /** Bearer token that `GET /metrics` on PORT requires; without it (and METRICS_PORT) metrics are not served. */
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** A second port serving only `GET /metrics`, without a token: keep it off the public network. */
  METRICS_PORT: envPort({ anyFree: true }).optional(),
  /** New agent tokens expire this many days after they are made; unset: they do not expire. */
  AGENT_TOKEN_TTL_DAYS: z.coerce.number().positive().optional(),
  /** Message bodies and attachment references of conversations closed longer than this are purged; unset: kept. */
  RETENTION_DAYS: z.coerce.number().positive().optional(),
  /** How long a reply is retried before it is marked failed. */
  OUTBOX_GIVE_UP_AFTER: envDuration.default(24 * 3_600_000),
  /** A send the channel has not answered by then counts as a retryable failure (below the 60 s lease). */
  OUTBOX_SEND_TIMEOUT_MS: z.coerce.number().int().positive().max(55_000).default(30_000),
  /** A webhook receiver that has not answered by then counts as a failed attempt (below the 60 s lease). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(55_000).default(10_000),
  /** Attempts at one webhook delivery before it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(25),
  /** A webhook delivery still failing this long after its event is marked failed. */
  WEBHOOK_GIVE_UP_AFTER: envDuration.default(24 * 3_600_000),
  /** Delivered and failed webhook deliveries are kept in the delivery log this many days. */
  WEBHOOK_LOG_DAYS: z.coerce.number().positive().default(30),
  /** On SIGTERM: how long requests and sends in flight may take to finish before connections are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  MAX_BODY_KB: z.coerce.number().int().positive().default(256),
  RATE_LIMIT_IP_PER_MINUTE: perMinute(600),
  RATE_LIMIT_AGENT_PER_MINUTE: perMinute(1200),
  RATE_LIMIT_SESSION_CREATE_PER_MINUTE: perMinute(20),
  RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: perMinute(30),
  RATE_LIMIT_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  WEBCHAT_SESSION_IDLE_DAYS: z.coerce.number().positive().default(30),
  WIDGET_ORIGINS: origins,
});

export type Config = z.infer<typeof schema> & { sqliteFile: string };

/** Validates the environment once at start; every problem is reported by variable name. */
export function loadConfig(env: Env): Config {
  const parsed = schema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ValidationError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { ...parsed.data, sqliteFile: join(resolve(parsed.data.DATA_DIR), 'switchboard.db') };
}

/** The process environment plus `.env` in the working directory (the environment wins). */
export function readEnv(cwd = process.cwd()): Record<string, string | undefined> {
  const file = join(cwd, '.env');
  if (existsSync(file)) {
    const before = { ...process.env };
    process.loadEnvFile(file);
    Object.assign(process.env, before);
  }
  return { ...process.env };
}
