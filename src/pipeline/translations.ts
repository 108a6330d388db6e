/**
 * Translation for agents (en ⇄ zh): a customer's message into the agent's language as a
 * generated internal note, and an agent's reply into the customer's language. The drafts' budget
 * and circuit breaker govern it (one spend, one failing API), and its tokens are kept as a
 * `translation` row beside the drafts, so the budget and the LLM report count them.
 */
import { addGeneratedNote } from './generated-note.js';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { Logger } from '../log.js';
import {
  asLanguage,
  detectLanguage,
  translationMaxTokens,
  translationPromptChars,
  type Language,
  type Translation,
  type TranslationRequest,
  type Translator,
} from '../llm/translator.js';
import type { MessageRow, Repos } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { DRAFT_DEFAULTS_ROW, type DraftJobs, type PauseReason } from './drafting.js';

export interface TranslationsDeps {
  store: Store;
  clock: Clock;
  /** Absent without ANTHROPIC_API_KEY. */
  translator?: Translator;
  drafting: DraftJobs;
  log: Logger;
  timeoutMs: number;
}

/** Drafting is paused (budget, breaker): the API answers 409 with why. */
export class TranslationPaused extends ConflictError {
  constructor(readonly paused: PauseReason) {
    super(
      paused === 'budget'
        ? "translation is paused: this month's estimated LLM spend reached LLM_MONTHLY_BUDGET"
        : 'translation is paused: the LLM API kept failing; it is tried again after LLM_BREAKER_COOLDOWN_SECONDS',
    );
  }
}

/** How many recent customer messages decide the customer's language. */
const LANGUAGE_SAMPLE = 20;

export class Translations {
  constructor(private readonly d: TranslationsDeps) {}

  get available(): boolean {
    return this.d.translator !== undefined;
  }

  /**
   * The customer's language: the script of what they wrote (their recent messages together), else
   * the conversation's locale, else English.
   */
  async customerLanguage(conversationId: string): Promise<Language> {
    const { conv, recent } = await this.d.store.read(async (r) => ({
      conv: await r.conversations.get(conversationId),
      recent: await r.messages.recent(conversationId, LANGUAGE_SAMPLE * 2),
    }));
    if (!conv) throw new NotFoundError(`conversation ${conversationId} not found`);
    const said = recent
      .filter((m) => m.author === 'customer')
      .slice(-LANGUAGE_SAMPLE)
      .map((m) => m.text)
      .join('\n');
    return detectLanguage(said) ?? asLanguage(conv.locale) ?? 'en';
  }

  /** A customer message in `to` (the agent's language), stored as a generated internal note. */
  async translateMessage(conversationId: string, messageId: string, to: Language): Promise<MessageRow> {
    const message = await this.d.store.read((r) => r.messages.get(messageId));
    if (!message || message.conversationId !== conversationId)
      throw new NotFoundError(`message ${messageId} not found in conversation ${conversationId}`);
    if (message.author !== 'customer' || !message.text.trim())
      throw new ValidationError('only a customer message with text is translated', 'messageId');
    const from = detectLanguage(message.text) ?? (await this.customerLanguage(conversationId));
    if (from === to) throw new ConflictError(`the message is already in ${to}`);
    return this.withCall(conversationId, { text: message.text, from, to, direction: 'for_agent' }, (found, record) => {
      const now = this.d.clock.now().getTime();
      return this.d.store.tx(async (r) => {
        const conv = await r.conversations.get(conversationId);
        if (!conv) throw new NotFoundError(`conversation ${conversationId} not found`);
        const note = await addGeneratedNote(r, conv, found.text, { kind: 'translation', from, to, messageId, model: found.model }, now);
        await record(r, note.id, now);
        return note;
      });
    });
  }

  /**
   * The agent's text in the customer's language. `from` is the script of the text itself; 409
   * when it is the customer's language already (send it as it is).
   */
  async forCustomer(conversationId: string, text: string): Promise<{ translation: Translation; from: Language; to: Language }> {
    const { from, to } = await this.replyLanguages(conversationId, text);
    return this.withCall(conversationId, { text, from, to, direction: 'for_customer' }, async (translation, record) => {
      const now = this.d.clock.now().getTime();
      const last = await this.d.store.read(async (r) => [...(await r.messages.recent(conversationId, 20))].reverse()[0]);
      await this.d.store.tx((r) => record(r, last?.id ?? '', now));
      return { translation, from, to };
    });
  }

  /** What an agent's reply is written in and what the customer reads; 409 when they are the same. */
  async replyLanguages(conversationId: string, text: string): Promise<{ from: Language; to: Language }> {
    const to = await this.customerLanguage(conversationId);
    const from = detectLanguage(text) ?? (to === 'zh' ? 'en' : 'zh');
    if (from === to) throw new ConflictError(`the text is already in the customer's language (${to})`);
    return { from, to };
  }

  /**
   * Translates under the budget: the call's worst case is reserved (one budget with drafts, on
   * every instance) until `then` records its tokens with `record`, in the transaction that
   * settles the reservation, or released if it records none.
   */
  private async withCall<T>(
    conversationId: string,
    req: TranslationRequest,
    then: (found: Translation, record: (r: Repos, messageId: string, now: number) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const { translator, drafting } = this.d;
    if (!translator) throw new UnavailableError('translation needs ANTHROPIC_API_KEY');
    const held = await drafting.reserve({
      kind: 'translation',
      model: translator.model,
      promptChars: translationPromptChars(req),
      maxOutputTokens: translationMaxTokens(req),
    });
    if ('paused' in held) throw new TranslationPaused(held.paused);
    try {
      const found = await this.call(translator, req);
      return await then(found, async (r, messageId, now) => {
        await this.record(r, conversationId, messageId, found, now);
        await held.settleIn(r);
      });
    } finally {
      await held.release();
    }
  }

  private async call(translator: Translator, req: TranslationRequest): Promise<Translation> {
    const { drafting } = this.d;
    const breaker = drafting.breaker;
    if (breaker && !breaker.allow()) throw new TranslationPaused('breaker');
    let found: Translation | null;
    try {
      found = await translator.translate(req, AbortSignal.timeout(this.d.timeoutMs));
      breaker?.success();
    } catch (err) {
      breaker?.failure(err instanceof Error ? err.message.slice(0, 200) : 'error');
      this.d.log.warn('translation failed', { err: String(err) });
      throw new UnavailableError('the LLM API did not translate it; try again');
    }
    if (!found) throw new UnavailableError('the model wrote no translation; try again');
    return found;
  }

  /** The tokens, as a `translation` row (no text: the note or message holds it). */
  private async record(r: Repos, conversationId: string, messageId: string, t: Translation, now: number) {
    await r.drafts.insert({
      ...DRAFT_DEFAULTS_ROW,
      id: newId(now),
      conversationId,
      messageId,
      text: '',
      kind: 'translation',
      model: t.model,
      createdAt: now,
      inputTokens: t.usage.inputTokens,
      outputTokens: t.usage.outputTokens,
      cacheWriteTokens: t.usage.cacheWriteTokens,
      cacheReadTokens: t.usage.cacheReadTokens,
    });
  }
}
