export { createTelegramAdapter, type TelegramAdapterDeps } from './adapter.js';
export { telegramConfigFromEnv, type TelegramConfig } from './config.js';
