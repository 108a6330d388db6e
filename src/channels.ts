import { createTelegramAdapter, telegramConfigFromEnv } from '../adapters/telegram/index.js';
import type { ChannelAdapter } from './domain/channel.js';
import { newSecret } from './domain/ids.js';
import type { ChannelStateStore } from './domain/state-port.js';
import type { Clock } from './domain/clock.js';
import type { Logger } from './log.js';

/** What the composition root gives every adapter. Adapters never read process.env themselves. */
export interface AdapterDeps {
  clock: Clock;
  log: Logger;
  /** Durable per-channel state (cursors, UIDs), namespaced by channel. */
  state: ChannelStateStore;
}

/**
 * Builds the optional channels whose credentials are present in `env`.
 * Web chat is built-in and always on; it is wired in main.ts because it reads the store.
 */
export function buildChannelAdapters(env: Record<string, string | undefined>, deps: AdapterDeps): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = [];
  if (env.TELEGRAM_BOT_TOKEN) adapters.push(createTelegramAdapter(telegramConfigFromEnv(env, newSecret), deps));
  return adapters;
}
