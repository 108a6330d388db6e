import { z } from 'zod';
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
}

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
});

/** Reads the Discord settings from the environment record the app was started with. */
export function discordConfigFromEnv(env: Env): DiscordConfig {
  const e = parseEnv(envSchema, env);
  return {
    token: e.DISCORD_BOT_TOKEN,
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
    ...(e.DISCORD_GATEWAY_URL ? { gatewayUrl: e.DISCORD_GATEWAY_URL } : {}),
  };
}
