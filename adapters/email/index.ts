export { createEmailAdapter } from './adapter.js';
export { emailConfigFromEnv, EMAIL_DEFAULTS, type EmailConfig } from './config.js';
