import Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../log.js';
import { buildDraftPrompt, DRAFT_TOOL_NAME, type DraftToolInput } from './draft-prompt.js';
import { partialStringField } from './partial-reply.js';
import type { Draft, DraftOptions, DraftRequest, Drafter } from './drafter.js';

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicDrafterConfig {
  apiKey: string;
  model?: string;
  baseURL?: string;
  /** Per attempt. A draft is only a suggestion, so a stalled API must not hold a job for long. */
  timeoutMs?: number;
  /** The SDK's retries with backoff on 408/409/429/5xx/529, honouring `retry-after`. */
  maxRetries?: number;
  maxTokens?: number;
}

/**
 * Drafts with the Anthropic Messages API, streamed: the model answers through a forced tool call
 * (reply, cited entry ids, whether a person must check), and the reply text is handed to
 * `onText` as the tool input streams in. Throws on API errors (after the SDK's retries) so the
 * caller can record them.
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
    kind: 'llm',
    model,
    async draft(req: DraftRequest, opts: DraftOptions = {}): Promise<Draft | null> {
      const prompt = buildDraftPrompt(req);
      if (!prompt) return null;
      const stream = client.messages.stream(
        {
          model,
          max_tokens: maxTokens,
          system: prompt.system,
          tools: [prompt.tool],
          tool_choice: { type: 'tool', name: DRAFT_TOOL_NAME },
          messages: [{ role: 'user', content: prompt.user }],
        },
        { signal: opts.signal },
      );
      let relayed = '';
      let json = '';
      stream.on('streamEvent', (event) => {
        if (event.type !== 'content_block_delta' || event.delta.type !== 'input_json_delta') return;
        json += event.delta.partial_json;
        // The reply only ever grows as the tool input streams in.
        const reply = partialStringField(json, 'reply');
        if (reply === undefined || reply.length <= relayed.length || !reply.startsWith(relayed)) return;
        opts.onText?.(reply.slice(relayed.length));
        relayed = reply;
      });
      const message = await stream.finalMessage();
      const usage = {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
        cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
      };
      const result = readResult(message);
      const text = result.reply.trim();
      if (!text) return null;
      if (result.reply.length > relayed.length && result.reply.startsWith(relayed)) opts.onText?.(result.reply.slice(relayed.length));
      const known = new Set(req.sources.map((s) => s.entryId));
      // Only ids we sent count: a model citing an entry it never saw cites nothing true.
      const entryIds = [...new Set(result.cited.filter((id) => known.has(id)))];
      return {
        text,
        kind: 'llm',
        entryIds,
        ungrounded: entryIds.length === 0,
        needsCheck: result.needsCheck,
        ...(result.needsCheckReason ? { needsCheckReason: result.needsCheckReason } : {}),
        model: message.model,
        usage,
      };
    },
  };
}

function readResult(message: Anthropic.Message): { reply: string; cited: string[]; needsCheck: boolean; needsCheckReason?: string } {
  const tool = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === DRAFT_TOOL_NAME);
  if (!tool) {
    // A reply outside the tool has no citations we can trust; a person looks before it goes out.
    const reply = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    return { reply, cited: [], needsCheck: true, needsCheckReason: 'the model answered without the structured result' };
  }
  const input = (tool.input ?? {}) as Partial<DraftToolInput>;
  const cited = Array.isArray(input.cited_entry_ids) ? input.cited_entry_ids.filter((x): x is string => typeof x === 'string') : [];
  const reason = typeof input.needs_human_check_reason === 'string' ? input.needs_human_check_reason.trim().slice(0, 500) : '';
  return {
    reply: typeof input.reply === 'string' ? input.reply : '',
    cited,
    needsCheck: input.needs_human_check === true,
    ...(reason ? { needsCheckReason: reason } : {}),
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
