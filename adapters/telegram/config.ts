import { z } from 'zod';
import { MB } from '../../src/kit/byte-stream.js';
import { envUrl, parseEnv, requiredWith, type Env } from '../../src/kit/env.js';

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
  /** Largest customer file fetched (getFile serves 20 MB on the public Bot API). */
  maxDownloadBytes?: number;
  /** Largest file sent with a reply (the Bot API takes 50 MB uploads). */
  maxUploadBytes?: number;
}

const megabytes = z.coerce.number().int('must be a whole number of megabytes').min(1).max(2000);

const envSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456789:AA… (from @BotFather)'),
    TELEGRAM_API_ROOT: envUrl({ protocol: /^https?$/, message: 'must be an http(s) URL', trimSlash: true }).optional(),
    TELEGRAM_WEBHOOK_URL: envUrl({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    TELEGRAM_MAX_DOWNLOAD_MB: megabytes.optional(),
    TELEGRAM_MAX_UPLOAD_MB: megabytes.optional(),
  })
  .superRefine(requiredWith('TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET'));

/**
 * Reads the Telegram settings from the environment record the app was started with.
 * Without TELEGRAM_WEBHOOK_SECRET a random one is made per start, which is fine for one
 * instance; several instances behind one webhook must share a configured secret.
 */
export function telegramConfigFromEnv(env: Env, makeSecret: () => string): TelegramConfig {
  const e = parseEnv(envSchema, env);
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {}),
    ...(e.TELEGRAM_MAX_DOWNLOAD_MB ? { maxDownloadBytes: e.TELEGRAM_MAX_DOWNLOAD_MB * MB } : {}),
    ...(e.TELEGRAM_MAX_UPLOAD_MB ? { maxUploadBytes: e.TELEGRAM_MAX_UPLOAD_MB * MB } : {}),
    ...(e.TELEGRAM_WEBHOOK_URL ? { webhook: { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET ?? makeSecret() } } : {}),
  };
}
