/**
 * One attempt at sending a leased row through a channel adapter, as the outbox worker and the
 * email copies make it. Both lease with LeasePump; this is the step after the lease: the attempt
 * number, the send and its bookkeeping, and on any failure (the send's or the bookkeeping's, so a
 * row is never left leased without a decision) the retry decision to record.
 */
import type { Clock } from '../domain/clock.js';
import { ChannelError } from '../domain/errors.js';
import { afterFailure, type Backoff, type RetryDecision, type RetryLimits } from '../kit/backoff.js';

/** Pauses between attempts at a send; a platform's own retry-after wins when longer. */
export const OUTBOX_BACKOFF: Backoff = { initialMs: 500, maxMs: 60_000 };

/** How long a reply is retried before it is marked failed (OUTBOX_GIVE_UP_AFTER). */
export const OUTBOX_GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** A failed attempt: the error as a ChannelError, and whether (and when) to try again. */
export interface SendFailure {
  attempt: number;
  now: number;
  error: ChannelError;
  decision: RetryDecision;
}

export async function attemptSend(a: {
  row: { attempts: number; createdAt: number };
  clock: Clock;
  limits: RetryLimits;
  /** Sends and records the success; a rejection counts as a failed attempt. */
  send: (attempt: number) => Promise<void>;
  /** Records the failure (retry at `decision.nextAttemptAt`, or give up). */
  failed: (f: SendFailure) => Promise<void>;
}): Promise<void> {
  const attempt = a.row.attempts + 1;
  try {
    await a.send(attempt);
  } catch (err) {
    const now = a.clock.now().getTime();
    const error = err instanceof ChannelError ? err : new ChannelError(String((err as Error)?.message ?? err), { retryable: true });
    const decision = afterFailure(OUTBOX_BACKOFF, a.limits, {
      attempt,
      queuedAt: a.row.createdAt,
      now,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
    });
    await a.failed({ attempt, now, error, decision });
  }
}

/** A send that has not answered within `ms` is a retryable failure (below the lease, so no other worker resends meanwhile). */
export function sendWithin<T>(p: Promise<T>, ms: number, channel: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChannelError(`${channel} send did not answer within ${ms} ms`, { retryable: true, code: 'send_timeout' })),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
