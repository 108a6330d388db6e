import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { runEvery } from '../kit/run-every.js';

const BATCH = 500;

/**
 * Keeps the delivery log from growing for ever: finished deliveries (delivered or failed) older
 * than `keepMs` are deleted in small transactions; pending ones stay whatever their age.
 */
export async function pruneDeliveryLog(store: Store, clock: Clock, keepMs: number): Promise<number> {
  const before = clock.now().getTime() - keepMs;
  let total = 0;
  for (;;) {
    const n = await store.tx((r) => r.webhookDeliveries.prune(before, BATCH));
    total += n;
    if (n < BATCH) return total;
  }
}

/** Runs `pruneDeliveryLog` soon after start and then every `everyMs` (one instance: the leader). Returns the stop function. */
export function scheduleDeliveryLogPrune(store: Store, clock: Clock, keepMs: number, log: Logger, everyMs = 3_600_000): () => void {
  return runEvery(
    async () => {
      const n = await pruneDeliveryLog(store, clock, keepMs);
      if (n) log.info('pruned the webhook delivery log', { deliveries: n });
    },
    { everyMs, firstAfterMs: 5_000, onError: (err) => log.warn('webhook delivery log prune failed', { err }) },
  );
}
