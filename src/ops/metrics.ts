import type { ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelAdapter, ChannelId, OutboundMessage } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import { ChannelError } from '../domain/errors.js';
import type { Drafter } from '../llm/drafter.js';
import type { Leadership } from '../store/leadership.js';
import type { Store } from '../store/store.js';
import { FirstResponseTail } from './first-response.js';

/**
 * What Prometheus scrapes from one instance (`GET /metrics`, see routes.ts). Two kinds of series:
 * - this process's own work, counted where it happens without touching the code that does it:
 *   decisions through the pipeline's `onDecided` hook, sends and failures by wrapping the
 *   adapters the outbox worker sends through, tokens by wrapping the drafter, HTTP and SSE by a
 *   middleware. With several instances, sum them.
 * - the database's state, read at scrape time (queue, outbox backlog) and first-response times
 *   read from the event log since this process started: every instance reports the same shared
 *   figures, so take the max across instances, not the sum.
 * Label values are bounded (channels, rule names, route patterns, teams), never ids or raw paths.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly received = this.counter('switchboard_messages_received_total', 'Inbound messages stored (duplicates excluded)', [
    'channel',
  ]);
  private readonly decisions = this.counter(
    'switchboard_decisions_total',
    'What the pipeline did with each stored inbound message: rule faqAnswer = answered by the FAQ, askBack = offered choices or answered a pick, kind queued = handed off',
    ['channel', 'rule', 'kind'],
  );
  private readonly sent = this.counter('switchboard_messages_sent_total', 'Replies delivered to a channel by this instance', [
    'channel',
    'author',
  ]);
  private readonly failures = this.counter('switchboard_delivery_failures_total', 'Failed send attempts; retryable ones are tried again', [
    'channel',
    'retryable',
  ]);
  private readonly webhookAttempts = this.counter(
    'switchboard_webhook_deliveries_total',
    'Webhook delivery attempts by this instance: delivered (2xx), failed (retried later) or gave_up (marked failed)',
    ['outcome'],
  );
  private readonly tokens = this.counter(
    'switchboard_llm_tokens_total',
    'Tokens the drafting model read (input, cache_write, cache_read) and wrote (output)',
    ['direction', 'model'],
  );
  private readonly http = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time to the response headers, by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly sse = this.gauge('switchboard_sse_connections', 'Open Server-Sent Events streams, by route pattern', ['route']);
  private readonly queue = this.gauge('switchboard_queue_length', 'Conversations waiting for a person, by team (general: no team)', [
    'team',
  ]);
  private readonly outboxPending = this.gauge('switchboard_outbox_pending', 'Replies not yet sent (waiting, in flight or backing off)', []);
  private readonly outboxAge = this.gauge(
    'switchboard_outbox_oldest_pending_age_seconds',
    'Age of the oldest unsent reply; 0 when none',
    [],
  );
  private readonly leader = this.gauge('switchboard_leader', '1 while this instance runs the named single-consumer poller', ['name']);
  private readonly firstResponse = new FirstResponseTail(
    new Histogram({
      name: 'switchboard_first_response_seconds',
      help: 'From a hand-off to the first agent reply (from the shared event log, since this instance started)',
      buckets: [15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400],
      registers: [this.registry],
    }),
  );

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly leadership: () => Leadership | undefined = () => undefined,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.firstResponse.begin(store);
  }

  /** The pipeline's `onDecided` hook: one stored inbound message and the rule that decided it. */
  readonly decided = (channel: ChannelId, decision: { kind: string; rule: string }): void => {
    this.received.inc({ channel });
    this.decisions.inc({ channel, rule: decision.rule, kind: decision.kind });
  };

  /** The adapters as the outbox worker should see them: each send counted as sent or failed. */
  countSends(adapters: Partial<Record<ChannelId, ChannelAdapter>>): Partial<Record<ChannelId, ChannelAdapter>> {
    const wrap = (adapter: ChannelAdapter): ChannelAdapter => {
      const send = async (m: OutboundMessage) => {
        try {
          const result = await adapter.send(m);
          this.sent.inc({ channel: adapter.channel, author: m.author });
          return result;
        } catch (err) {
          this.failures.inc({ channel: adapter.channel, retryable: String(err instanceof ChannelError && err.retryable) });
          throw err;
        }
      };
      // A proxy rather than a copy, so adapters that are class instances keep their `this`.
      return new Proxy(adapter, {
        get: (target, key) => (key === 'send' ? send : (Reflect.get(target, key, target) as unknown)),
      });
    };
    return Object.fromEntries(Object.entries(adapters).map(([channel, a]) => [channel, wrap(a)]));
  }

  /** The webhook worker's `onAttempt` hook. */
  readonly webhookAttempt = (outcome: 'delivered' | 'failed' | 'gave_up'): void => {
    this.webhookAttempts.inc({ outcome });
  };

  /** The drafter with the tokens each draft used counted. */
  countTokens(drafter: Drafter): Drafter {
    return {
      kind: drafter.kind,
      ...(drafter.model ? { model: drafter.model } : {}),
      draft: async (req, opts) => {
        const draft = await drafter.draft(req, opts);
        if (draft?.usage) {
          const model = draft.model ?? 'unknown';
          this.tokens.inc({ direction: 'input', model }, draft.usage.inputTokens);
          this.tokens.inc({ direction: 'output', model }, draft.usage.outputTokens);
          this.tokens.inc({ direction: 'cache_write', model }, draft.usage.cacheWriteTokens);
          this.tokens.inc({ direction: 'cache_read', model }, draft.usage.cacheReadTokens);
        }
        return draft;
      },
    };
  }

  /** First on the app: request latency by route pattern, and open SSE streams until their client goes. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    const matched = routePath(c);
    // Our own `*` is the last route that ran when nothing else matched (the 404 handler answered).
    const route = matched === '*' || matched === '/*' ? 'unmatched' : matched;
    this.http.observe({ method: c.req.method, route, status: String(c.res.status) }, (performance.now() - started) / 1000);
    if (c.res.headers.get('content-type')?.startsWith('text/event-stream')) {
      // On Node's server the response's own close ends the count: the request's abort signal
      // would cost an AbortController and its listeners per open stream (and not fire when the
      // server ends the stream). Elsewhere (app.request) the signal is what there is.
      const out = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (out) {
        if (out.destroyed) return;
        this.sse.inc({ route });
        out.once('close', () => this.sse.dec({ route }));
        return;
      }
      const signal = c.req.raw.signal;
      if (signal.aborted) return;
      this.sse.inc({ route });
      signal.addEventListener('abort', () => this.sse.dec({ route }), { once: true });
    }
  };

  /** The text Prometheus reads; database gauges and first responses are brought up to date first. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const now = this.clock.now().getTime();
    const [queued, backlog] = await this.store.tx(async (r) => [await r.monitor.queuedByTeam(), await r.monitor.outboxBacklog()] as const);
    this.queue.reset();
    this.queue.set({ team: 'general' }, 0);
    for (const q of queued) this.queue.set({ team: q.team ?? 'general' }, q.count);
    this.outboxPending.set(backlog.pending);
    this.outboxAge.set(backlog.oldestCreatedAt === null ? 0 : Math.max(0, now - backlog.oldestCreatedAt) / 1000);
    this.leader.reset();
    for (const [name, role] of Object.entries(this.leadership()?.roles() ?? {})) this.leader.set({ name }, role === 'leader' ? 1 : 0);
    await this.firstResponse.catchUp(this.store);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private counter(name: string, help: string, labelNames: string[]) {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string, labelNames: string[]) {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
