/** The Messages API fake scripted for AI agent mode and the uncertain band (test/e2e/ai-agent*.test.ts). */
import type { FakeAnthropic, RecordedRequest, ScriptedReply } from '../fakes/anthropic-messages-api.js';

const MODEL = 'claude-test-sonnet';
export const llmEnv = (llm: FakeAnthropic, faqDir: string) => ({
  ANTHROPIC_API_KEY: llm.apiKey,
  ANTHROPIC_BASE_URL: llm.url,
  ANTHROPIC_MODEL: MODEL,
  DRAFT_TIMEOUT_MS: '3000',
  FAQ_DIR: faqDir,
});

export const toolOf = (req: RecordedRequest) => (req.body.tool_choice as { name?: string } | undefined)?.name;
/** The FAQ entry ids a draft request offered as sources. */
export const sourceIds = (req: RecordedRequest) =>
  [...((req.body.system as { text: string }[])[1]?.text ?? '').matchAll(/<entry id="([^"]+)">/g)].map((m) => m[1]!);

/** The model's structured answer for drafts (and auto-answers); `cite` picks which offered ids it cites. */
export const answering =
  (reply: string, opts: { cite?: (ids: string[]) => string[]; needsCheck?: boolean; pick?: string | null } = {}) =>
  (req: RecordedRequest): ScriptedReply => {
    if (toolOf(req) === 'select_answer') return { toolInput: { entry_id: opts.pick ?? null } };
    return {
      toolInput: {
        reply,
        cited_entry_ids: (opts.cite ?? ((ids) => ids.slice(0, 1)))(sourceIds(req)),
        needs_human_check: opts.needsCheck ?? false,
        ...(opts.needsCheck ? { needs_human_check_reason: 'order data' } : {}),
      },
    };
  };
