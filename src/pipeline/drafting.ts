import { APIError } from '@anthropic-ai/sdk';
import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Draft, Drafter, DraftRequest, DraftSource } from '../llm/drafter.js';
import { CircuitBreaker, type BreakerState } from '../llm/breaker.js';
import { DraftCancelled, DraftStreams } from '../llm/draft-streams.js';
import { estimateCost, roundCost, type PriceTable } from '../llm/pricing.js';
import type { FaqMatcher } from '../faq/matcher.js';
import { detectInjection, injectionInputOf, type InjectionMatch } from '../llm/injection.js';
import type { Logger } from '../log.js';
import type { DraftRow, DraftStatus } from '../store/ports.js';
import type { Repos, Store } from '../store/store.js';

export interface DraftingDeps {
  store: Store;
  clock: Clock;
  faq: () => FaqMatcher;
  drafter: Drafter;
  log: Logger;
  timeoutMs: number;
  /** LLM_PRICES, for the estimated spend the budget is checked against. */
  prices?: PriceTable;
  /** LLM_MONTHLY_BUDGET in the price table's currency; drafting pauses once the month's estimate reaches it. */
  monthlyBudget?: number;
  /** LLM_MAX_CONCURRENT: drafts in flight at once; more wait their turn. */
  maxConcurrent?: number;
  /** LLM_BREAKER_FAILURES / LLM_BREAKER_COOLDOWN_SECONDS. */
  breaker?: { failures: number; cooldownMs: number };
  /** The drafter's max_tokens: the most output one draft can be billed for (its budget reservation). */
  maxOutputTokens?: number;
}

/** The fixed instructions and tool schema of a draft prompt, in characters (draft-prompt.ts), rounded up. */
const PROMPT_OVERHEAD_CHARS = 4000;

/** A draft prompt's length in characters, rounded up (what the reservation counts as tokens). */
export function draftPromptChars(req: DraftRequest): number {
  return (
    PROMPT_OVERHEAD_CHARS +
    req.history.slice(-20).reduce((n, m) => n + m.text.length + 40, 0) +
    req.sources.reduce((n, x) => n + x.entryId.length + x.question.length + x.answer.length + 60, 0)
  );
}

/** One model call as the budget sees it before it is made. */
export interface ModelCall {
  /** What the call is for, kept on its reservation row. */
  kind?: 'draft' | 'ai_agent' | 'selection' | 'summary' | 'translation';
  model?: string | undefined;
  promptChars: number;
  maxOutputTokens: number;
}

/**
 * The most a model call can cost before it is made, for the budget's reservation: every prompt
 * character counted as a token written to the cache (the dearest input), and the full max_tokens
 * out. Real usage is far below it; the reservation is settled with the real figures at the end.
 */
export function callWorstCase(prices: PriceTable, call: ModelCall): number {
  return (
    estimateCost(prices, call.model, {
      inputTokens: 0,
      outputTokens: call.maxOutputTokens,
      cacheWriteTokens: call.promptChars,
      cacheReadTokens: 0,
    }) ?? 0
  );
}

/**
 * A call's share of the budget while it is in flight: a row of `llm_reservations`, shared by every
 * instance on the database, deleted once the call's usage is recorded.
 */
export interface Reservation {
  /**
   * Deletes the reservation in the transaction `r` that records the call's tokens, so "recorded"
   * and "no longer reserved" are one commit; once it has committed, `release()` does nothing.
   */
  settleIn(r: Repos): Promise<void>;
  /**
   * Deletes the reservation on its own: the call recorded nothing (it failed, or had no usage),
   * or the transaction meant to settle it did not commit. Never throws: a reservation that cannot
   * be deleted stays and counts, at its worst case, for the rest of its month.
   */
  release(): Promise<void>;
}

/** The lock reservers take turns on, on PostgreSQL across instances too. */
const BUDGET_LOCK = 'llm-budget';

/**
 * The budget (LLM_MONTHLY_BUDGET) and circuit breaker as a model call outside drafting sees them
 * (AI agent mode, the answer selector): one spend, so every call reserves its worst case first.
 */
export interface ModelBudget {
  /** Reserves the call's worst-case cost, or says why it may not be made now. */
  reserve(call: ModelCall): Promise<Reservation | { paused: PauseReason }>;
  /** The drafter's max_tokens, for a call made through the drafter. */
  readonly maxOutputTokens: number;
}

export type PauseReason = 'budget' | 'breaker';

export interface DraftingStatus {
  /** 'llm' drafts with the model; 'faq' is the no-key fallback. */
  mode: 'llm' | 'faq';
  paused: PauseReason | null;
  /**
   * `reserved`: the worst-case cost of the model calls in flight on every instance sharing the
   * database (settled when each ends), and of any a crash left unsettled this month.
   */
  budget: { monthly: number | null; spentThisMonth: number; reserved: number; monthStart: string } | null;
  breaker: { state: BreakerState; opened: number; lastError: string | null; retryAt: string | null } | null;
}

export type StartResult = { draftId: string; status: DraftStatus; reason: string | null };

/**
 * The FAQ entries a draft is written from (the engine's three best candidates) and the ones the
 * engine itself judges close: the entry it answers with, else the choices it would offer.
 */
export function draftSources(matcher: FaqMatcher, text: string, locale: string): { sources: DraftSource[]; close: string[] } {
  const result = matcher.match(text, { locale });
  const sources: DraftSource[] = [];
  for (const cand of result.candidates.slice(0, 3)) {
    const entry = matcher.entry(cand.entryId, locale);
    if (entry) sources.push({ entryId: entry.id, question: entry.questions[0] ?? entry.id, answer: entry.answer, score: cand.score });
  }
  const close = result.answered && result.entryId ? [result.entryId] : (result.suggestions ?? []);
  return { sources, close };
}

/** A draft row's columns past the first ones, at their starting values. */
export const DRAFT_DEFAULTS_ROW = {
  entryIds: '[]',
  status: 'ready',
  statusReason: null,
  sourceIds: '[]',
  ungrounded: 0,
  needsCheck: 0,
  needsCheckReason: null,
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  outcome: null,
  editPermille: null,
  outcomeAgentId: null,
  outcomeAt: null,
} satisfies Partial<DraftRow>;

/** UTC month start: budgets reset on the first of the month, whatever the report's time zone. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * Drafts a reply for agents after a hand-off has committed (or on an agent's request). Runs in
 * the background: a failing or slow drafter leaves the conversation queued with a failed draft,
 * never stuck. A draft row exists from the start (status `streaming`), so the console can follow
 * it; every way it can end leaves a status on it: ready, failed, cancelled or skipped, with why.
 */
export class DraftJobs implements ModelBudget {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();
  readonly streams = new DraftStreams();
  readonly breaker: CircuitBreaker | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly d: DraftingDeps) {
    this.breaker =
      d.drafter.kind === 'llm'
        ? new CircuitBreaker(d.breaker?.failures ?? 5, d.breaker?.cooldownMs ?? 60_000, () => d.clock.now().getTime())
        : undefined;
  }

  request(conversationId: string, messageId: string): void {
    this.track(this.start(conversationId, messageId).catch((err) => this.d.log.warn('draft failed', { conversationId, err })));
  }

  /** Starts a draft and resolves once its row exists (the writing goes on in the background). */
  async start(conversationId: string, messageId: string): Promise<StartResult | null> {
    const prepared = await this.prepare(conversationId, messageId);
    if (!prepared) return null;
    if ('skipped' in prepared) return prepared.skipped;
    this.track(this.write(prepared).catch((err) => this.d.log.warn('draft failed', { conversationId, err })));
    return { draftId: prepared.row.id, status: 'streaming', reason: null };
  }

  /** Waits for running drafts (tests, graceful stop). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.controller.abort(new DraftCancelled('shutdown'));
    await this.idle();
  }

  get maxOutputTokens(): number {
    return this.d.maxOutputTokens ?? 1024;
  }

  /**
   * The reservation drafts take, for any model call: refused while paused (the worst case of the
   * calls in flight counts, see status()); otherwise the call's worst case is inserted as a row of
   * `llm_reservations` in the transaction that checked the budget. Reservers take turns on one
   * lock (on PostgreSQL across instances too; SQLite's writes take turns anyway), so calls
   * starting together, on any instance, cannot all slip under the budget.
   *
   * A crash between the paid call and the commit that records its tokens leaves the row behind:
   * it keeps counting at its worst case for the rest of its month (more than was spent, never
   * less), and reservations of past months are dropped by the next reservation.
   */
  async reserve(call: ModelCall): Promise<Reservation | { paused: PauseReason }> {
    const cost = callWorstCase(this.d.prices ?? {}, call);
    const now = this.d.clock.now().getTime();
    const since = monthStart(now);
    const id = newId(now);
    const paused = await this.d.store.tx(async (r) => {
      // Without a budget only the breaker can pause a call, and reservers need not take turns.
      if (this.d.monthlyBudget !== undefined) await r.lock(BUDGET_LOCK);
      const { spent, reserved } = this.d.monthlyBudget === undefined ? { spent: 0, reserved: 0 } : await this.budgetIn(r, since);
      const why = this.pausedBy(spent, reserved);
      if (why) return why;
      await r.llmReservations.purge(since);
      await r.llmReservations.insert({ id, kind: call.kind ?? 'draft', cost, createdAt: now });
      return null;
    });
    if (paused) return { paused };
    let settled = false;
    return {
      settleIn: async (r) => {
        await r.llmReservations.delete(id);
        r.afterCommit(() => (settled = true));
      },
      release: async () => {
        if (settled) return;
        settled = true;
        await this.d.store
          .tx((r) => r.llmReservations.delete(id))
          .catch((err: unknown) => this.d.log.warn('llm budget: a reservation was not released; it counts until its month ends', { err }));
      },
    };
  }

  cancel(draftId: string): boolean {
    return this.streams.cancel(draftId, 'agent');
  }

  async status(): Promise<DraftingStatus> {
    const mode = this.d.drafter.kind;
    if (mode === 'faq') return { mode, paused: null, budget: null, breaker: null };
    const now = this.d.clock.now().getTime();
    const { spent, reserved } = await this.d.store.read((r) => this.budgetIn(r, monthStart(now)));
    const monthly = this.d.monthlyBudget ?? null;
    const b = this.breaker!;
    const state = b.state();
    const retryAt = b.retryAt();
    return {
      mode,
      paused: this.pausedBy(spent, reserved),
      budget: { monthly, spentThisMonth: spent, reserved, monthStart: new Date(monthStart(now)).toISOString() },
      breaker: { state, opened: b.opened, lastError: b.lastError, retryAt: retryAt === null ? null : new Date(retryAt).toISOString() },
    };
  }

  private track(job: Promise<unknown>): void {
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /** Why a model call may not be made now, given the month's spend and open reservations. */
  private pausedBy(spent: number, reserved: number): PauseReason | null {
    if (this.d.drafter.kind === 'faq') return null;
    const monthly = this.d.monthlyBudget ?? null;
    if (monthly !== null && spent + reserved >= monthly) return 'budget';
    return this.breaker?.state() === 'open' ? 'breaker' : null;
  }

  /**
   * The month's spend (the tokens recorded on draft rows) and open reservations. The reservations
   * are read first: where each statement sees the latest commits (PostgreSQL), a call settled
   * between the two reads is then counted twice for a moment, never not at all.
   */
  private async budgetIn(r: Repos, since: number): Promise<{ spent: number; reserved: number }> {
    const reserved = roundCost(await r.llmReservations.costSince(since));
    const sums = await r.drafts.usageSince(since);
    const prices = this.d.prices ?? {};
    const spent = roundCost(sums.reduce((total, s) => total + (estimateCost(prices, s.model ?? this.d.drafter.model, s) ?? 0), 0));
    return { spent, reserved };
  }

  private async prepare(
    conversationId: string,
    messageId: string,
  ): Promise<
    { skipped: StartResult } | { row: DraftRow; request: DraftRequest; injection?: InjectionMatch; reservation?: Reservation } | null
  > {
    const { store, faq, drafter } = this.d;
    const { conversation, history } = await store.tx(async (r) => ({
      conversation: await r.conversations.get(conversationId),
      history: await r.messages.recent(conversationId, 20),
    }));
    if (!conversation) return null;
    const lastCustomer = [...history].reverse().find((m) => m.author === 'customer');
    const locale = conversation.locale ?? 'en';
    const { sources, close } = draftSources(faq(), lastCustomer?.text ?? '', locale);
    const now = this.d.clock.now().getTime();
    const base: DraftRow = {
      id: newId(now),
      conversationId,
      messageId,
      text: '',
      kind: drafter.kind,
      model: drafter.model ?? null,
      createdAt: now,
      ...DRAFT_DEFAULTS_ROW,
      status: 'streaming',
      sourceIds: JSON.stringify(sources.map((s) => s.entryId)),
    };
    const request: DraftRequest = {
      conversationId,
      locale,
      history: history.map((m) => ({ author: m.author, text: m.text })),
      sources,
      close,
    };
    let reservation: Reservation | undefined;
    if (drafter.kind === 'llm') {
      // Only the one draft that starts under the budget can pass it (reserve()).
      const held = await this.reserve({
        kind: 'draft',
        model: drafter.model,
        promptChars: draftPromptChars(request),
        maxOutputTokens: this.maxOutputTokens,
      });
      // A paused drafter leaves a visible row, so the agent reads why there is no draft.
      if ('paused' in held) return { skipped: await this.insertEnded({ ...base, status: 'skipped', statusReason: held.paused }) };
      reservation = held;
    }
    try {
      await store.tx(async (r) => {
        await r.drafts.insert(base);
        await r.events.append(conversationId, { type: 'draft', data: { draftId: base.id, kind: drafter.kind, status: 'streaming' } }, now);
      });
    } catch (err) {
      await reservation?.release();
      throw err;
    }
    // Decided in code, whatever the model says: a conversation that tries to instruct it gets a person's look (injection.ts).
    const injection = history
      .filter((m) => m.author === 'customer')
      .map((m) => detectInjection(injectionInputOf(m.text, m.meta)))
      .find((x) => x !== undefined);
    return { row: base, ...(injection ? { injection } : {}), request, ...(reservation ? { reservation } : {}) };
  }

  private async insertEnded(row: DraftRow): Promise<StartResult> {
    await this.d.store.tx(async (r) => {
      await r.drafts.insert(row);
      await r.events.append(
        row.conversationId,
        { type: 'draft', data: { draftId: row.id, kind: this.d.drafter.kind, status: row.status } },
        row.createdAt,
      );
    });
    return { draftId: row.id, status: row.status, reason: row.statusReason };
  }

  private async write(job: { row: DraftRow; request: DraftRequest; injection?: InjectionMatch; reservation?: Reservation }): Promise<void> {
    try {
      await this.writeReserved(job);
    } finally {
      // Settled with the draft row's usage in its transaction (writeReserved); if that did not commit, released here.
      await job.reservation?.release();
    }
  }

  private async writeReserved(job: {
    row: DraftRow;
    request: DraftRequest;
    injection?: InjectionMatch;
    reservation?: Reservation;
  }): Promise<void> {
    const { row } = job;
    const own = new AbortController();
    this.streams.open(row.id, own);
    const timeout = AbortSignal.timeout(this.d.timeoutMs);
    const signal = AbortSignal.any([this.controller.signal, own.signal, timeout]);
    let draft: Draft | null = null;
    let status: DraftStatus = 'ready';
    let reason: string | null = null;
    await this.slot(signal);
    try {
      if (this.breaker && !this.breaker.allow()) {
        status = 'skipped';
        reason = 'breaker';
      } else {
        draft = await this.d.drafter.draft(job.request, { signal, onText: (delta) => this.streams.push(row.id, delta) });
        if (signal.aborted) throw signal.reason;
        this.breaker?.success();
        if (!draft) {
          status = 'skipped';
          // Said plainly to the agent: the fallback found nothing close, or the model wrote nothing.
          reason = row.kind === 'faq' ? 'no_close_faq' : 'empty';
        }
      }
    } catch (err) {
      ({ status, reason } = this.failure(err, own.signal, timeout));
      if (status === 'failed') this.breaker?.failure(reason ?? 'error');
    } finally {
      this.release();
    }
    const now = this.d.clock.now().getTime();
    await this.d.store.tx(async (r) => {
      await r.drafts.update(row.id, {
        status,
        statusReason: reason,
        ...(draft
          ? {
              text: draft.text,
              entryIds: JSON.stringify(draft.entryIds),
              model: draft.model ?? row.model,
              ungrounded: draft.ungrounded ? 1 : 0,
              needsCheck: draft.needsCheck || job.injection ? 1 : 0,
              needsCheckReason: job.injection?.reason ?? draft.needsCheckReason ?? null,
              inputTokens: draft.usage?.inputTokens ?? 0,
              outputTokens: draft.usage?.outputTokens ?? 0,
              cacheWriteTokens: draft.usage?.cacheWriteTokens ?? 0,
              cacheReadTokens: draft.usage?.cacheReadTokens ?? 0,
            }
          : {}),
      });
      await r.events.append(row.conversationId, { type: 'draft', data: { draftId: row.id, kind: this.d.drafter.kind, status } }, now);
      // The usage recorded and the reservation gone in one commit.
      await job.reservation?.settleIn(r);
    });
    this.streams.finish(row.id, status, reason);
  }

  private failure(err: unknown, own: AbortSignal, timeout: AbortSignal): { status: DraftStatus; reason: string } {
    const cancel: unknown = own.aborted ? own.reason : this.controller.signal.aborted ? this.controller.signal.reason : undefined;
    if (cancel instanceof DraftCancelled) return { status: 'cancelled', reason: cancel.reason };
    if (timeout.aborted) return { status: 'failed', reason: 'timeout' };
    if (err instanceof APIError && err.status !== undefined) return { status: 'failed', reason: `api_${err.status}` };
    const message = err instanceof Error ? err.message : String(err);
    return { status: 'failed', reason: message.slice(0, 200) || 'error' };
  }

  /** Waits for a free slot (LLM_MAX_CONCURRENT), or until the signal aborts. */
  private async slot(signal: AbortSignal): Promise<void> {
    const max = this.d.maxConcurrent ?? 4;
    if (this.running < max) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => {
      const go = () => {
        signal.removeEventListener('abort', go);
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      };
      this.waiting.push(go);
      signal.addEventListener('abort', go, { once: true });
    });
    this.running++;
  }

  private release(): void {
    this.running--;
    this.waiting[0]?.();
  }
}
