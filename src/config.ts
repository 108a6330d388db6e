import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from './domain/errors.js';
import { faqEnvShape } from './faq/env.js';
import { parsePriceTable } from './llm/pricing.js';
import { envDuration, envPort, withoutBlanks, type Env } from './kit/env.js';
import { isValidTimeZone } from './sla/business-calendar.js';
import {
  DEFAULT_TARGETS,
  parseBusinessHours,
  parseHolidays,
  parseTargets,
  settingsMessage,
  type SlaSettings,
  type SlaTargets,
} from './sla/settings.js';

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

/** `email:billing,telegram:general`: each channel's default team (by id or name) for hand-offs no rule routed. */
const defaultTeams = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const pair of v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(telegram|discord|email|webchat)\s*:\s*(\S.{0,99})$/.exec(pair);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${pair}": must be channel:team, channel one of telegram, discord, email, webchat` });
        return z.NEVER;
      }
      out[m[1]!] = m[2]!.trim();
    }
    return out;
  });
/** A text setting read by one of src/sla/settings.ts's parsers; its SettingsError becomes the variable's issue. */
function parsed<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx): T => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: settingsMessage(err) });
      return z.NEVER;
    }
  });
}

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
  /** Per-model prices per million tokens for the LLM report's estimates (src/llm/pricing.ts); JSON. */
  LLM_PRICES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      try {
        return parsePriceTable(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
  /** In LLM_PRICES' currency; once the month's (UTC) estimated spend reaches it, drafting pauses until next month or a higher budget. */
  LLM_MONTHLY_BUDGET: z.coerce.number().nonnegative().optional(),
  /** When to write a summary note automatically: `handoff`, `transfer`, both (comma-separated) or empty for never. */
  LLM_SUMMARY_ON: z
    .string()
    .default('handoff,transfer')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['handoff', 'transfer']))),
  LLM_MAX_CONCURRENT: z.coerce.number().int().positive().default(4),
  LLM_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  LLM_BREAKER_COOLDOWN_SECONDS: z.coerce.number().positive().default(60),
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(72),
  CLOSE_AFTER_HOURS: z.coerce.number().positive().default(168),
  /** How often the leader looks for snoozed conversations whose time came (src/queue/snooze.ts). */
  SNOOZE_CHECK_SECONDS: z.coerce.number().positive().default(30),
  /** Superseded by SLA_TARGETS: when set alone, every priority's first-response target (resolution targets keep their defaults). */
  SLA_FIRST_RESPONSE_MINUTES: z.coerce.number().positive().optional(),
  /** `mon-fri 09:00-18:00; sat 10:00-14:00`; unset: open around the clock. Validated here, kept as text. */
  BUSINESS_HOURS: z
    .string()
    .default('')
    .pipe(parsed((text) => (parseBusinessHours(text), text.trim()))),
  BUSINESS_TIMEZONE: z.string().trim().default('UTC').refine(isValidTimeZone, 'must be an IANA time zone like Asia/Shanghai'),
  HOLIDAYS: z.string().default('').pipe(parsed(parseHolidays)),
  /** `urgent:15m/4h,high:1h/8h,normal:4h/24h,low:8h/48h`: first-response/resolution per priority, business time. */
  SLA_TARGETS: parsed((text) => parseTargets(text)).optional(),
  /** How often the leader looks for breached SLA targets. */
  SLA_CHECK_SECONDS: z.coerce.number().positive().default(30),
  /**
   * On PostgreSQL, how often an instance also looks for other instances' commits itself: a net
   * under the LISTEN/NOTIFY wake-ups (src/store/pg/notify.ts), which normally bring them at once.
   */
  INSTANCE_POLL_SECONDS: z.coerce.number().positive().default(30),
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
  /** `true`: webhooks may be delivered to loopback and private-network addresses (refused by default). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Delivered and failed webhook deliveries are kept in the delivery log this many days. */
  WEBHOOK_LOG_DAYS: z.coerce.number().positive().default(30),
  /** On SIGTERM: how long requests and sends in flight may take to finish before connections are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** On SIGTERM: a shutdown not finished this long after the signal is abandoned, naming what it waited for; unset: SHUTDOWN_TIMEOUT_MS + 10 s. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().optional(),
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
  /** The shop's name in the widget's header and the bubble's label. */
  WIDGET_NAME: z.string().trim().max(60).default('Support'),
  /** The widget's accent colour (bubble, header, the customer's messages). */
  WIDGET_COLOR: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb')
    .default('#2563eb'),
  /** Shown as the first message of every chat, before the visitor writes; unset: no greeting. */
  WIDGET_GREETING_EN: z.string().trim().max(500).optional(),
  WIDGET_GREETING_ZH: z.string().trim().max(500).optional(),
  /** Which bottom corner of the host page the bubble sits in. */
  WIDGET_POSITION: z.enum(['right', 'left']).default('right'),
  /** `true`: the widget asks for name and email before the first message. */
  WIDGET_PRECHAT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** How long a visitor's page trail is kept after their last page view or heartbeat. */
  WIDGET_VISITOR_RETENTION_MINUTES: z.coerce.number().positive().min(2).default(30),
  /** An agent's web chat reply the visitor has not seen in the chat this long goes to their email too; `0`: never. */
  WIDGET_EMAIL_AFTER: z.union([z.literal('0').transform(() => 0), envDuration]).default(5 * 60_000),
  RATE_LIMIT_PRESENCE_PER_MINUTE: perMinute(120),
  /** `true`: agents see what a web chat visitor is typing before they send it (never stored). */
  WIDGET_DRAFT_PREVIEW: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Typing signals one web chat session may send per minute (the chat sends at most one a second). */
  RATE_LIMIT_TYPING_PER_MINUTE: perMinute(90),
  /** Key of the HMAC-SHA256 a shop signs its logged-in user's id with (data-user-hash); unset: no verified users. */
  WIDGET_IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** An agent whose console and API have been silent this long (no request, no open event stream) counts as offline. */
  AGENT_AWAY_AFTER_SECONDS: z.coerce.number().int().min(10).default(180),
  DEFAULT_TEAMS: defaultTeams,
  /** Files: largest one (MB), most per message, and what one customer may store per 24 hours (MB). */
  ATTACHMENT_MAX_MB: z.coerce.number().positive().default(25),
  ATTACHMENTS_PER_MESSAGE: z.coerce.number().int().min(1).max(100).default(10),
  ATTACHMENT_DAILY_MB_PER_CUSTOMER: z.coerce.number().positive().default(100),
  /** Set: files are kept in this S3-compatible bucket instead of DATA_DIR/attachments. */
  ATTACHMENT_S3_BUCKET: optional,
  ATTACHMENT_S3_ENDPOINT: z.url().optional(),
  ATTACHMENT_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  ATTACHMENT_S3_ACCESS_KEY_ID: optional,
  ATTACHMENT_S3_SECRET_ACCESS_KEY: optional,
  ATTACHMENT_S3_PREFIX: z.string().trim().default(''),
  /** How often every auto-assign team's queue is looked at, besides the moments that free a slot. */
  ASSIGN_SWEEP_SECONDS: z.coerce.number().positive().default(15),
});

export type Config = z.infer<typeof schema> & { sqliteFile: string };

const checked = schema.superRefine((c, ctx) => {
  if (c.SLA_TARGETS && c.SLA_FIRST_RESPONSE_MINUTES !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['SLA_FIRST_RESPONSE_MINUTES'],
      message: 'superseded by SLA_TARGETS: set only SLA_TARGETS (see the README, "SLAs in business hours")',
    });
});

/** How long after SIGTERM the process exits even if its shutdown has not finished. */
export function shutdownGraceMs(c: Config): number {
  return c.SHUTDOWN_GRACE_SECONDS === undefined ? c.SHUTDOWN_TIMEOUT_MS + 10_000 : c.SHUTDOWN_GRACE_SECONDS * 1000;
}

/** The SLA settings the environment gives (an admin's saved ones win over them; src/sla/policy.ts). */
export function slaSettingsOf(c: Config): SlaSettings {
  let targets: SlaTargets = c.SLA_TARGETS ?? DEFAULT_TARGETS;
  const legacy = c.SLA_FIRST_RESPONSE_MINUTES;
  if (!c.SLA_TARGETS && legacy !== undefined)
    targets = Object.fromEntries(
      Object.entries(DEFAULT_TARGETS).map(([p, t]) => [
        p,
        { firstResponseMinutes: legacy, resolutionMinutes: Math.max(legacy, t.resolutionMinutes) },
      ]),
    ) as SlaTargets;
  return { timeZone: c.BUSINESS_TIMEZONE, businessHours: c.BUSINESS_HOURS, holidays: c.HOLIDAYS, targets };
}

/** Validates the environment once at start; every problem is reported by variable name. */
export function loadConfig(env: Env): Config {
  const parsed = checked.safeParse(withoutBlanks(env));
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
