export { createTelegramAdapter, DEFAULT_WEBHOOK_PATH, type TelegramAdapterDeps } from './adapter.js';
export { telegramConfigFromEnv, type TelegramConfig } from './config.js';
