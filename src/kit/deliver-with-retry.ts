import { ValidationError } from '../domain/errors.js';
import { backoffDelay, type Backoff } from './backoff.js';
import { sleep } from './sleep.js';

/**
 * `stored`: the pipeline has it (or knew it already), the platform may forget it.
 * `rejected`: the pipeline refused it for good (a ValidationError); retrying cannot help.
 * `failed`: not stored (yet); it must be offered again.
 */
export type DeliveryOutcome = 'stored' | 'rejected' | 'failed';

export interface DeliveryReports {
  onRejected?: (err: ValidationError) => void;
  /** A failure; `retryInMs` is the pause before the next attempt, undefined when there is none. */
  onFailure?: (err: unknown, attempt: number, retryInMs: number | undefined) => void;
}

/**
 * One attempt, for channels whose platform offers the message again by itself (Telegram
 * redelivers what was not acknowledged): acknowledge on `stored` and `rejected` only.
 */
export async function deliverOnce(deliver: () => Promise<unknown>, reports: DeliveryReports = {}): Promise<DeliveryOutcome> {
  try {
    await deliver();
    return 'stored';
  } catch (err) {
    if (err instanceof ValidationError) {
      reports.onRejected?.(err);
      return 'rejected';
    }
    reports.onFailure?.(err, 1, undefined);
    return 'failed';
  }
}

export interface DeliverWithRetryOptions extends DeliveryReports {
  backoff: Backoff;
  /** Stops retrying: a pause in progress ends at once and the outcome is `failed`. */
  signal?: AbortSignal;
  random?: () => number;
}

/**
 * For channels whose platform never offers a message again (Discord): calls `deliver` until the
 * message is durably stored or refused for good, pausing with backoff between attempts, so
 * nothing is lost while the store is down. Only the signal ends it early, with `failed`.
 */
export async function deliverWithRetry(deliver: () => Promise<unknown>, opts: DeliverWithRetryOptions): Promise<DeliveryOutcome> {
  for (let attempt = 1; !opts.signal?.aborted; attempt++) {
    let retryInMs: number | undefined;
    const outcome = await deliverOnce(deliver, {
      ...(opts.onRejected ? { onRejected: opts.onRejected } : {}),
      onFailure: (err) => {
        retryInMs = backoffDelay(opts.backoff, attempt, opts.random ? { random: opts.random } : {});
        opts.onFailure?.(err, attempt, retryInMs);
      },
    });
    if (outcome !== 'failed') return outcome;
    await sleep(retryInMs!, opts.signal);
  }
  return 'failed';
}
