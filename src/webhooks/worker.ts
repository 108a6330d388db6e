import { isIP } from 'node:net';
import { Agent, fetch } from 'undici';
import type { Clock } from '../domain/clock.js';
import { afterFailure, type Backoff } from '../kit/backoff.js';
import type { Logger } from '../log.js';
import { isPrivateAddress, publicOnlyLookup } from '../kit/private-address.js';
import { LeasePump } from '../outbox/lease-pump.js';
import type { WebhookJob } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { webhookBody } from './payload.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

/** Pauses between attempts at a delivery; a receiver's Retry-After wins when longer (up to an hour). */
export const WEBHOOK_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 15 * 60_000 };
const MAX_RETRY_AFTER_MS = 3_600_000;
/** Requests in flight at once per instance. */
const MAX_IN_FLIGHT = 20;

/** How one attempt ended, for the metrics. */
export type WebhookOutcome = 'delivered' | 'failed' | 'gave_up';

export interface WebhookWorkerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Written into every lease (src/store/liveness.ts), like the outbox's. */
  owner?: string;
  /** A receiver that has not answered by then counts as a failed attempt (WEBHOOK_TIMEOUT_MS); below the lease. */
  timeoutMs: number;
  /** Attempts before a delivery is marked failed (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** A delivery still failing this long after its event is marked failed (WEBHOOK_GIVE_UP_AFTER). */
  giveUpAfterMs: number;
  leaseMs?: number;
  pollMs?: number;
  backoff?: Backoff;
  onAttempt?: (outcome: WebhookOutcome) => void;
  /** WEBHOOK_ALLOW_PRIVATE: receivers on loopback or private networks are reached too (src/kit/private-address.ts). */
  allowPrivate?: boolean;
}

/**
 * POSTs each event to the webhooks that receive it, through the outbox's leasing loop: every
 * instance runs one, a lease keeps two from sending the same delivery at once, and a crash
 * mid-request means at most one resend once the lease expires (or is reclaimed), with the same
 * event id for the receiver to deduplicate by. Redirects are not followed: a 3xx is a failure.
 */
export class WebhookWorker {
  private readonly pump: LeasePump<WebhookJob>;
  /** Connections whose resolved address is checked before connecting, unless private receivers are allowed. */
  private readonly dispatcher: Agent;

  constructor(private readonly o: WebhookWorkerOptions) {
    this.dispatcher = new Agent(o.allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } });
    this.pump = new LeasePump<WebhookJob>({
      clock: o.clock,
      lease: (now, leaseUntil, room) => o.store.tx((r) => r.webhookDeliveries.leaseDue(now, leaseUntil, room, o.owner)),
      handle: (job) => this.deliver(job),
      nextDueAt: () => o.store.read((r) => r.webhookDeliveries.nextDueAt()),
      onError: (err, job) =>
        job
          ? o.log.error('webhook delivery bookkeeping failed', { deliveryId: job.delivery.id, err })
          : o.log.error('webhook drain failed', { err }),
      leaseMs: o.leaseMs ?? 60_000,
      maxInFlight: MAX_IN_FLIGHT,
      pollMs: o.pollMs ?? 1000,
    });
  }

  start(): void {
    this.pump.start();
  }

  kick(): void {
    this.pump.kick();
  }

  async stop(): Promise<void> {
    await this.pump.stop();
    await this.dispatcher.close();
  }

  private async deliver(job: WebhookJob): Promise<void> {
    const { store, clock, log } = this.o;
    const { delivery } = job;
    const attempt = delivery.attempts + 1;
    const result = await this.post(job);
    const now = clock.now().getTime();
    if (result.ok) {
      this.o.onAttempt?.('delivered');
      await store.tx((r) =>
        r.webhookDeliveries.update(delivery.id, {
          status: 'delivered',
          attempts: attempt,
          lastStatusCode: result.statusCode,
          lastError: null,
          deliveredAt: now,
          leaseUntil: null,
        }),
      );
      return;
    }
    const decision = afterFailure(
      this.o.backoff ?? WEBHOOK_BACKOFF,
      { giveUpAfterMs: this.o.giveUpAfterMs, maxAttempts: this.o.maxAttempts },
      { attempt, queuedAt: delivery.createdAt, now, retryable: result.retryable, retryAfterMs: result.retryAfterMs },
    );
    const lastError = result.error.slice(0, 500);
    const fields = { webhookId: delivery.webhookId, deliveryId: delivery.id, attempt, statusCode: result.statusCode, error: lastError };
    const patch = { attempts: attempt, lastStatusCode: result.statusCode, lastError, leaseUntil: null };
    if (decision.giveUp !== false) {
      this.o.onAttempt?.('gave_up');
      log.error('webhook delivery gave up', { ...fields, reason: decision.giveUp });
      await store.tx((r) => r.webhookDeliveries.update(delivery.id, { ...patch, status: 'failed' }));
      return;
    }
    this.o.onAttempt?.('failed');
    log.warn('webhook delivery failed', fields);
    await store.tx((r) => r.webhookDeliveries.update(delivery.id, { ...patch, nextAttemptAt: decision.nextAttemptAt }));
  }

  private async post(
    job: WebhookJob,
  ): Promise<
    | { ok: true; statusCode: number }
    | { ok: false; statusCode: number | null; error: string; retryable: boolean; retryAfterMs?: number | undefined }
  > {
    let body: string;
    try {
      body = webhookBody(job.event);
    } catch (err) {
      return { ok: false, statusCode: null, error: `event unreadable: ${String(err)}`, retryable: false };
    }
    // A literal IP is connected to without a lookup, so it is checked here.
    const host = new URL(job.url).hostname.replace(/^\[|\]$/g, '');
    if (!this.o.allowPrivate && isIP(host) && isPrivateAddress(host)) {
      return { ok: false, statusCode: null, error: `refused: ${host} is a private or loopback address`, retryable: false };
    }
    const t = Math.floor(this.o.clock.now().getTime() / 1000);
    try {
      const res = await fetch(job.url, {
        dispatcher: this.dispatcher,
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'switchboard-webhooks',
          'x-switchboard-event': job.event.type,
          'x-switchboard-delivery': String(job.event.seq),
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(job.secret, body, t),
        },
        body,
      });
      // Only the status matters; the body is not read (a receiver could send any amount).
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
      return {
        ok: false,
        statusCode: res.status,
        error: `HTTP ${res.status}`,
        retryable: true,
        retryAfterMs: retryAfter(res.headers.get('retry-after')),
      };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.cause?.code === 'EPRIVATEADDRESS')
        return { ok: false, statusCode: null, error: `refused: ${e.cause.message}`, retryable: false };
      const why =
        e.name === 'TimeoutError' ? `no response within ${this.o.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, statusCode: null, error: `request failed: ${why}`, retryable: true };
    }
  }
}

/** Retry-After in seconds (dates are ignored), capped. */
function retryAfter(raw: string | null): number | undefined {
  if (!raw || !/^\d+$/.test(raw.trim())) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Number(raw.trim()) * 1000);
}
