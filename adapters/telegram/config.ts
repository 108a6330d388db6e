import { z } from 'zod';
import { ValidationError } from '../../src/domain/errors.js';

export interface TelegramConfig {
  token: string;
  /** Bot API root without trailing slash; a self-hosted Bot API server or a test fake. */
  apiRoot?: string;
  /** When set, Telegram posts updates to this public URL instead of being polled. */
  webhook?: { url: string; secret: string };
  /** Long-poll wait in seconds. */
  pollTimeoutSeconds?: number;
  /** First pause after a failed poll or store; doubles up to 30 s. */
  retryDelayMs?: number;
}

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)'),
  TELEGRAM_API_ROOT: z
    .url({ protocol: /^https?$/, error: 'TELEGRAM_API_ROOT must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'TELEGRAM_WEBHOOK_URL must be an http(s) URL' }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
});

/**
 * Reads the Telegram settings from the environment record the app was started with.
 * Without TELEGRAM_WEBHOOK_SECRET a random one is made per start, which is fine for one
 * instance; several instances behind one webhook must share a configured secret.
 */
export function telegramConfigFromEnv(env: Record<string, string | undefined>, makeSecret: () => string): TelegramConfig {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, String(issue.path[0] ?? 'TELEGRAM'));
  }
  const e = parsed.data;
  if (e.TELEGRAM_WEBHOOK_SECRET && !e.TELEGRAM_WEBHOOK_URL) {
    throw new ValidationError('TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_WEBHOOK_URL is not', 'TELEGRAM_WEBHOOK_URL');
  }
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {}),
    ...(e.TELEGRAM_WEBHOOK_URL ? { webhook: { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET ?? makeSecret() } } : {}),
  };
}
