import { newId } from '../domain/ids.js';
import { addGeneratedNote } from './generated-note.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import { SUMMARY_MAX_TOKENS, summaryPromptChars, type Summarizer } from '../llm/summarizer.js';
import type { MessageRow } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { DRAFT_DEFAULTS_ROW, type DraftJobs, type PauseReason, type Reservation } from './drafting.js';

export type SummaryTrigger = 'handoff' | 'transfer' | 'request';

export interface SummariesDeps {
  store: Store;
  clock: Clock;
  /** Absent without ANTHROPIC_API_KEY: there is no summary without a model. */
  summarizer?: Summarizer;
  /** The drafts' budget and circuit breaker govern summaries too: one spend, one failing API. */
  drafting: DraftJobs;
  log: Logger;
  timeoutMs: number;
  /** LLM_SUMMARY_ON: the automatic triggers. */
  on: ReadonlySet<'handoff' | 'transfer'>;
}

/** Fewer messages than this is nothing to summarise: the agent reads them faster than a summary. */
const MIN_MESSAGES = 3;

export type SummaryResult = { note: MessageRow } | { skipped: PauseReason | 'too_short' | 'unavailable' | 'empty' };

/**
 * Internal summaries as notes marked generated (`meta.generated`), never sent to the customer.
 * Their tokens are kept as a `summary` row beside the drafts, so the budget and the LLM report
 * count them.
 */
export class Summaries {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();

  constructor(private readonly d: SummariesDeps) {}

  get available(): boolean {
    return this.d.summarizer !== undefined;
  }

  request(conversationId: string, trigger: 'handoff' | 'transfer'): void {
    if (!this.d.summarizer || !this.d.on.has(trigger)) return;
    const job = this.summarize(conversationId, trigger).catch((err) => this.d.log.warn('summary failed', { conversationId, err }));
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }

  async summarize(conversationId: string, trigger: SummaryTrigger): Promise<SummaryResult> {
    const { summarizer, drafting, store } = this.d;
    if (!summarizer) return { skipped: 'unavailable' };
    const status = await drafting.status();
    if (status.paused) return { skipped: status.paused };
    const history = await store.read((r) => r.messages.recent(conversationId, 40));
    const shown = history.filter((m) => m.direction !== 'internal');
    if (trigger !== 'request' && shown.length < MIN_MESSAGES) return { skipped: 'too_short' };
    const messages = shown.map((m) => ({ author: m.author, text: m.text }));
    // The call's worst case is reserved (one budget with drafts, on every instance) until the
    // transaction that records its tokens commits, or released if it records none.
    const held = await drafting.reserve({
      kind: 'summary',
      model: summarizer.model,
      promptChars: summaryPromptChars(messages),
      maxOutputTokens: SUMMARY_MAX_TOKENS,
    });
    if ('paused' in held) return { skipped: held.paused };
    try {
      return await this.summarizeHeld(conversationId, trigger, messages, held);
    } finally {
      await held.release();
    }
  }

  private async summarizeHeld(
    conversationId: string,
    trigger: SummaryTrigger,
    messages: { author: MessageRow['author']; text: string }[],
    held: Reservation,
  ): Promise<SummaryResult> {
    const { summarizer, drafting, store } = this.d;
    const breaker = drafting.breaker;
    if (breaker && !breaker.allow()) return { skipped: 'breaker' };
    let summary;
    try {
      summary = await summarizer!.summarize(messages, AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.d.timeoutMs)]));
      breaker?.success();
    } catch (err) {
      if (!this.controller.signal.aborted) breaker?.failure(err instanceof Error ? err.message.slice(0, 200) : 'error');
      throw err;
    }
    if (!summary) return { skipped: 'empty' };
    const now = this.d.clock.now().getTime();
    const found = summary;
    return store.tx(async (r) => {
      const conv = await r.conversations.get(conversationId);
      if (!conv) return { skipped: 'empty' as const };
      const note = await addGeneratedNote(r, conv, found.text, { kind: 'summary', trigger, model: found.model }, now);
      await r.drafts.insert({
        ...DRAFT_DEFAULTS_ROW,
        id: newId(now),
        conversationId,
        messageId: note.id,
        text: found.text,
        kind: 'summary',
        model: found.model,
        createdAt: now,
        inputTokens: found.usage.inputTokens,
        outputTokens: found.usage.outputTokens,
        cacheWriteTokens: found.usage.cacheWriteTokens,
        cacheReadTokens: found.usage.cacheReadTokens,
      });
      await held.settleIn(r);
      return { note };
    });
  }
}
