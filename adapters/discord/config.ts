import { z } from 'zod';
import { MB } from '../../src/kit/byte-stream.js';
import { envUrl, parseEnv, type Env } from '../../src/kit/env.js';

export interface DiscordConfig {
  token: string;
  /** REST base including `/api` (discord.js `rest.api`); a proxy or a test fake. Default `https://discord.com/api`. */
  apiUrl?: string;
  /** Gateway to connect to instead of the one `GET /gateway/bot` names. */
  gatewayUrl?: string;
  /** How long `start` waits for the gateway's READY before carrying on and connecting in the background. */
  readyTimeoutMs?: number;
  /** First pause after a failed store or connection attempt; doubles up to 30 s. */
  retryDelayMs?: number;
  /** How many recently active channels are caught up after a reconnect. */
  catchUpChannels?: number;
  /**
   * Where attachment URLs are fetched instead of Discord's CDN (a proxy or a test fake): a
   * `cdn.discordapp.com` URL is fetched from here with the same path and query. Default none.
   */
  cdnUrl?: string;
  /** Largest customer file downloaded. */
  maxDownloadBytes?: number;
  /** Largest file sent with a reply: the server's upload limit (10 MB unless boosted). */
  maxUploadBytes?: number;
  /** Guild channels where each customer's message opens a thread of their own (see README.md). */
  supportChannels?: string[];
}

const megabytes = z.coerce.number().int('must be a whole number of megabytes').min(1).max(500);

const envSchema = z.object({
  DISCORD_BOT_TOKEN: z
    .string()
    .refine((t) => !/^Bot\s/i.test(t), 'must be the token alone, without the "Bot " prefix')
    .refine(
      (t) => /^[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/.test(t),
      'must look like a bot token from the Discord developer portal (three dot-separated parts)',
    ),
  DISCORD_API_URL: envUrl({
    protocol: /^https?$/,
    message: 'must be an http(s) URL, e.g. https://discord.com/api',
    trimSlash: true,
  }).optional(),
  DISCORD_GATEWAY_URL: envUrl({
    protocol: /^wss?$/,
    message: 'must be a ws(s) URL, e.g. wss://gateway.discord.gg',
    trimSlash: true,
  }).optional(),
  DISCORD_CDN_URL: envUrl({ protocol: /^https?$/, message: 'must be an http(s) URL', trimSlash: true }).optional(),
  DISCORD_MAX_DOWNLOAD_MB: megabytes.optional(),
  DISCORD_MAX_UPLOAD_MB: megabytes.optional(),
  DISCORD_SUPPORT_CHANNELS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => /^\d{17,20}$/.test(id)), 'must be comma-separated channel ids (Developer Mode → Copy Channel ID)')
    .optional(),
});

/** Reads the Discord settings from the environment record the app was started with. */
export function discordConfigFromEnv(env: Env): DiscordConfig {
  const e = parseEnv(envSchema, env);
  return {
    token: e.DISCORD_BOT_TOKEN,
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
    ...(e.DISCORD_GATEWAY_URL ? { gatewayUrl: e.DISCORD_GATEWAY_URL } : {}),
    ...(e.DISCORD_CDN_URL ? { cdnUrl: e.DISCORD_CDN_URL } : {}),
    ...(e.DISCORD_MAX_DOWNLOAD_MB ? { maxDownloadBytes: e.DISCORD_MAX_DOWNLOAD_MB * MB } : {}),
    ...(e.DISCORD_MAX_UPLOAD_MB ? { maxUploadBytes: e.DISCORD_MAX_UPLOAD_MB * MB } : {}),
    ...(e.DISCORD_SUPPORT_CHANNELS?.length ? { supportChannels: e.DISCORD_SUPPORT_CHANNELS } : {}),
  };
}
