import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_ANTHROPIC_BASE_URL, type AnthropicDrafterConfig } from './anthropic-drafter.js';

/**
 * The client of the helper calls (summaries, translations): the drafter's key, base URL, timeout
 * and retries, with the SDK's own logging off, since its messages can quote the request.
 */
export function quietClient(config: AnthropicDrafterConfig): Anthropic {
  return new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL,
    timeout: config.timeoutMs ?? 20_000,
    maxRetries: config.maxRetries ?? 2,
    logLevel: 'off',
  });
}
