import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Drafter, DraftSource } from '../llm/drafter.js';
import type { FaqMatcher } from '../faq/matcher.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

export interface DraftingDeps {
  store: Store;
  clock: Clock;
  faq: () => FaqMatcher;
  drafter: Drafter;
  log: Logger;
  timeoutMs: number;
}

/**
 * Drafts a reply for agents after a hand-off has committed. Runs in the background: a failing or
 * slow drafter leaves the conversation queued without a draft, never stuck.
 */
export class DraftJobs {
  private readonly pending = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(private readonly d: DraftingDeps) {}

  request(conversationId: string, messageId: string): void {
    const job = this.run(conversationId, messageId).catch((err) => this.d.log.warn('draft failed', { conversationId, err }));
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /** Waits for running drafts (tests, graceful stop). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }

  private async run(conversationId: string, messageId: string): Promise<void> {
    const { store, faq, drafter } = this.d;
    const { conversation, history } = await store.tx(async (r) => ({
      conversation: await r.conversations.get(conversationId),
      history: await r.messages.recent(conversationId, 20),
    }));
    if (!conversation) return;
    const lastCustomer = [...history].reverse().find((m) => m.author === 'customer');
    const locale = conversation.locale ?? 'en';
    const matcher = faq();
    const sources: DraftSource[] = [];
    for (const cand of matcher.match(lastCustomer?.text ?? '', { locale }).candidates.slice(0, 3)) {
      const entry = matcher.entry(cand.entryId, locale);
      if (entry) sources.push({ entryId: entry.id, question: entry.questions[0] ?? entry.id, answer: entry.answer, score: cand.score });
    }
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.d.timeoutMs)]);
    const draft = await drafter.draft(
      { conversationId, locale, history: history.map((m) => ({ author: m.author, text: m.text })), sources },
      signal,
    );
    if (!draft || signal.aborted) return;
    const now = this.d.clock.now().getTime();
    await store.tx(async (r) => {
      const id = newId(now);
      await r.drafts.insert({
        id,
        conversationId,
        messageId,
        text: draft.text,
        kind: draft.kind,
        entryIds: JSON.stringify(draft.entryIds),
        model: draft.model ?? null,
        createdAt: now,
      });
      await r.events.append(conversationId, { type: 'draft', data: { draftId: id, kind: draft.kind } }, now);
    });
  }
}
