import Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../log.js';
import { buildDraftPrompt } from './draft-prompt.js';
import type { Draft, DraftRequest, Drafter } from './drafter.js';

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicDrafterConfig {
  apiKey: string;
  model?: string;
  baseURL?: string;
  /** Per attempt. A draft is only a suggestion, so a stalled API must not hold a job for long. */
  timeoutMs?: number;
  maxRetries?: number;
  maxTokens?: number;
}

/**
 * Drafts with the Anthropic Messages API. Throws on API errors (after the SDK's retries) so the
 * caller can log them; the caller treats any failure as "no draft".
 */
export function createAnthropicDrafter(config: AnthropicDrafterConfig, log: Logger): Drafter {
  const model = config.model ?? DEFAULT_ANTHROPIC_MODEL;
  const maxTokens = config.maxTokens ?? 1024;
  // Every option is explicit so the SDK does not fall back to reading the environment.
  const client = new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL,
    timeout: config.timeoutMs ?? 20_000,
    maxRetries: config.maxRetries ?? 2,
    logger: sdkLogger(log),
    logLevel: 'warn',
  });

  return {
    async draft(req: DraftRequest, signal?: AbortSignal): Promise<Draft | null> {
      const prompt = buildDraftPrompt(req);
      if (!prompt) return null;
      const message = await client.messages.create(
        {
          model,
          max_tokens: maxTokens,
          system: prompt.system,
          messages: [{ role: 'user', content: prompt.user }],
        },
        { signal },
      );
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('')
        .trim();
      if (!text) return null;
      // The model sees every source; which ones it leaned on is not reported, so all are credited.
      const usage = { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
      return { text, kind: 'llm', entryIds: req.sources.map((s) => s.entryId), model: message.model, usage };
    },
  };
}

function sdkLogger(log: Logger) {
  const child = log.child({ component: 'anthropic-sdk' });
  const line = (rest: unknown[]) => (rest.length ? { details: rest } : undefined);
  return {
    error: (msg: string, ...rest: unknown[]) => child.error(msg, line(rest)),
    warn: (msg: string, ...rest: unknown[]) => child.warn(msg, line(rest)),
    info: (msg: string, ...rest: unknown[]) => child.info(msg, line(rest)),
    debug: (msg: string, ...rest: unknown[]) => child.debug(msg, line(rest)),
  };
}
