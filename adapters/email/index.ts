export { createEmailAdapter } from './adapter.js';
export { emailConfigFromEnv, type EmailConfig } from './config.js';
