/**
 * Drafts as the agent uses them: ask for one, follow it as the model writes it (SSE), cancel it.
 *
 *   POST /api/conversations/:id/drafts                   → 202 { draftId, status: 'streaming' }, or
 *                                                          409 { error, paused: 'budget' | 'breaker' }
 *   GET  /api/conversations/:id/drafts/:draftId/stream   → SSE: `delta` {text}…, then `end` {status, reason, draft}
 *   POST /api/conversations/:id/drafts/:draftId/cancel   → { cancelled: true }
 *
 * All are scoped like the conversation: an agent may use them where they may see it.
 */
import { Hono, type Context } from 'hono';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import type { DraftJobs } from '../pipeline/drafting.js';
import type { Summaries } from '../pipeline/summaries.js';
import type { Translations } from '../pipeline/translations.js';
import { messageView } from './views.js';
import { UnavailableError } from '../domain/errors.js';
import type { PriceTable } from '../llm/pricing.js';
import type { DraftStreamEvent } from '../llm/draft-streams.js';
import type { DraftRow } from '../store/ports.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';
import { draftView } from './views.js';
import { errorBody } from '../kit/http-errors.js';

export interface DraftingApi {
  jobs: DraftJobs;
  prices: PriceTable;
  /** The configured model, priced for drafts that recorded none. */
  model: string | null;
  summaries?: Summaries;
  /** Translation for agents (src/pipeline/translations.ts). */
  translations?: Translations;
}

/** How often a stream of a draft written by another instance looks at its row. */
const POLL_MS = 500;

export function draftRoutes(d: { store: Store; drafting: DraftingApi; heartbeatMs: number }) {
  const app = new Hono<ApiEnv>();

  async function visible(c: Context<ApiEnv>, id: string) {
    const viewer = c.get('agent');
    return d.store.read(async (r) => {
      const conv = await r.conversations.get(id);
      if (!conv) throw new NotFoundError(`conversation ${id} not found`);
      const participantIds = (await r.participants.of([id])).get(id) ?? [];
      if (!maySeeConversation(viewer, { assigneeId: conv.assigneeId, participantIds }))
        throw new ForbiddenError('this conversation is held by another agent');
      return conv;
    });
  }

  async function draftOf(id: string, draftId: string): Promise<DraftRow> {
    const draft = await d.store.read((r) => r.drafts.get(draftId));
    if (!draft || draft.conversationId !== id) throw new NotFoundError(`draft ${draftId} not found in conversation ${id}`);
    return draft;
  }

  app.post('/:id/drafts', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const last = await d.store.read(async (r) => [...(await r.messages.recent(id, 20))].reverse().find((m) => m.author === 'customer'));
    if (!last) throw new ConflictError('there is no customer message to draft a reply to');
    const started = await d.drafting.jobs.start(id, last.id);
    if (!started) throw new NotFoundError(`conversation ${id} not found`);
    if (started.status === 'skipped' && (started.reason === 'budget' || started.reason === 'breaker')) {
      const message =
        started.reason === 'budget'
          ? "drafting is paused: this month's estimated LLM spend reached LLM_MONTHLY_BUDGET"
          : 'drafting is paused: the LLM API kept failing; it is tried again after LLM_BREAKER_COOLDOWN_SECONDS';
      return c.json({ ...errorBody('drafting_paused', message), paused: started.reason, draftId: started.draftId }, 409);
    }
    return c.json(started, 202);
  });

  app.post('/:id/summary', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const summaries = d.drafting.summaries;
    if (!summaries?.available) throw new UnavailableError('summaries need ANTHROPIC_API_KEY');
    const result = await summaries.summarize(id, 'request');
    if ('note' in result) return c.json({ note: messageView(result.note, undefined) }, 201);
    if (result.skipped === 'budget' || result.skipped === 'breaker')
      return c.json({ ...errorBody('drafting_paused', `summaries are paused (${result.skipped})`), paused: result.skipped }, 409);
    throw new ConflictError(`no summary: ${result.skipped === 'empty' ? 'the model wrote nothing' : result.skipped}`);
  });

  app.post('/:id/drafts/:draftId/cancel', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const draft = await draftOf(id, c.req.param('draftId'));
    if (draft.status !== 'streaming') throw new ConflictError(`draft ${draft.id} is ${draft.status}, not being written`);
    if (!d.drafting.jobs.cancel(draft.id)) throw new ConflictError(`draft ${draft.id} is being written by another instance`);
    return c.json({ cancelled: true });
  });

  app.get('/:id/drafts/:draftId/stream', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const first = await draftOf(id, c.req.param('draftId'));
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        let closed = false;
        const send = (event: string, data: unknown) => {
          if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        };
        const end = async () => {
          if (closed) return;
          const row = await d.store.read((r) => r.drafts.get(first.id)).catch(() => undefined);
          send('end', { status: row?.status ?? 'failed', reason: row?.statusReason ?? null, draft: row ? draftView(row) : null });
          closed = true;
          cleanup();
          controller.close();
        };
        const beat = setInterval(() => {
          if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
        }, d.heartbeatMs);
        // Filled in below; the cleanup may run before either is set.
        const live: { poll?: ReturnType<typeof setInterval>; unfollow?: () => void } = {};
        cleanup = () => {
          closed = true;
          clearInterval(beat);
          if (live.poll) clearInterval(live.poll);
          live.unfollow?.();
        };
        const onEvent = (e: DraftStreamEvent) => {
          if (e.type === 'delta') send('delta', { text: e.text });
          else void end();
        };
        if (first.status !== 'streaming') {
          if (first.text) send('delta', { text: first.text });
          void end();
          return;
        }
        live.unfollow = d.drafting.jobs.streams.follow(first.id, onEvent);
        if (live.unfollow) return;
        // Written by another instance (or finished just now): no deltas here, the whole text once it is stored.
        live.poll = setInterval(() => {
          void d.store
            .read((r) => r.drafts.get(first.id))
            .then((row) => {
              if (!row || row.status === 'streaming' || closed) return;
              if (row.text) send('delta', { text: row.text });
              void end();
            })
            .catch(() => undefined);
        }, POLL_MS);
      },
      cancel: () => cleanup(),
    });
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    });
  });

  return app;
}
