import { Client, GatewayIntentBits, SimpleShardingStrategy, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from './config.js';

/** DMs always, guild messages for mentions; message content is a privileged intent the bot must have enabled. */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

/** Rate-limit waits up to this long happen inside a send; longer ones go back to the outbox. */
const MAX_WAIT_IN_SEND_MS = 2000;

/**
 * REST options for sending. Short waits — above all Discord's global 50 requests per second,
 * which discord.js keeps to on its own (a wait of up to about 1 s) — are taken inside the send:
 * failing the send would only make the outbox wait the same time after a round trip through
 * the database. A longer rate limit, and any server error, is handed back to the outbox at
 * once (with Discord's retry-after) instead of discord.js holding the send.
 */
export function sendingRestOptions(config: DiscordConfig): Partial<RESTOptions> {
  return {
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    retries: 0,
    rejectOnRateLimit: (limit) => limit.retryAfter > MAX_WAIT_IN_SEND_MS,
    timeout: 15_000,
  };
}

/**
 * The gateway connection. Messages are read from raw MESSAGE_CREATE dispatches, so neither
 * channel partials nor the message cache are needed to see DMs.
 */
export function createGatewayClient(config: DiscordConfig): Client {
  const gatewayUrl = config.gatewayUrl;
  return new Client({
    intents: INTENTS,
    rest: config.apiUrl ? { api: config.apiUrl } : {},
    ws: gatewayUrl
      ? {
          // discord.js connects to the URL `GET /gateway/bot` names and has no option for another
          // one; the override replaces that URL where the shard manager reads it.
          buildStrategy(manager) {
            const fetchInfo = manager.fetchGatewayInformation.bind(manager);
            manager.fetchGatewayInformation = async (force?: boolean) => ({ ...(await fetchInfo(force)), url: gatewayUrl });
            return new SimpleShardingStrategy(manager);
          },
        }
      : {},
  });
}
