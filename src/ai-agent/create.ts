import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_ANTHROPIC_MODEL } from '../llm/anthropic-drafter.js';
import { createAnswerSelector } from '../llm/answer-selector.js';
import type { Drafter } from '../llm/drafter.js';
import type { Logger } from '../log.js';
import type { DraftJobs } from '../pipeline/drafting.js';
import type { AiAgentDeps } from './plan.js';

/** The model for AI agent mode and the uncertain band; none without an API key (the bot then behaves as before). */
export function createAiAgentDeps(
  c: { apiKey?: string; model?: string; baseURL?: string; timeoutMs: number },
  drafter: Drafter,
  drafts: DraftJobs,
  log: Logger,
): AiAgentDeps | undefined {
  if (!c.apiKey || drafter.kind !== 'llm') return undefined;
  const selector = createAnswerSelector(
    {
      apiKey: c.apiKey,
      model: c.model ?? DEFAULT_ANTHROPIC_MODEL,
      baseURL: c.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL,
      timeoutMs: c.timeoutMs,
    },
    log,
  );
  return {
    drafter,
    selector,
    timeoutMs: c.timeoutMs,
    // The drafts' budget and circuit breaker hold for these calls too.
    budget: drafts,
    log,
  };
}
