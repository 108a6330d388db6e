export { createDiscordAdapter, type DiscordAdapterDeps } from './adapter.js';
export { discordConfigFromEnv, type DiscordConfig } from './config.js';
