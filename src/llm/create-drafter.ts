import type { Logger } from '../log.js';
import { createAnthropicDrafter, DEFAULT_ANTHROPIC_MODEL } from './anthropic-drafter.js';
import type { Drafter } from './drafter.js';
import { createFaqDrafter } from './faq-drafter.js';

export interface DrafterConfig {
  /** ANTHROPIC_API_KEY; without it drafts are the closest FAQ answers. */
  apiKey?: string;
  /** ANTHROPIC_MODEL */
  model?: string;
  /** ANTHROPIC_BASE_URL */
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export function createDrafter(config: DrafterConfig, log: Logger): Drafter {
  if (!config.apiKey) {
    log.info('drafts: no ANTHROPIC_API_KEY, proposing closest FAQ answers');
    return createFaqDrafter();
  }
  log.info('drafts: Anthropic', {
    model: config.model ?? DEFAULT_ANTHROPIC_MODEL,
    // Origin only: a URL's user-info part could hold a credential.
    ...(config.baseURL ? { baseURL: URL.canParse(config.baseURL) ? new URL(config.baseURL).origin : 'invalid' } : {}),
  });
  return createAnthropicDrafter({ ...config, apiKey: config.apiKey }, log);
}
