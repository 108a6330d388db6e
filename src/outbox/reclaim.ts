import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { Liveness } from '../store/liveness.js';
import type { Store } from '../store/store.js';

/**
 * Releases the leases of outbox workers that died mid-send, so their replies go out now rather
 * than when the lease expires. Returns how many rows were released.
 */
export async function reclaimDeadLeases(store: Store, liveness: Liveness, clock: Clock, log: Logger): Promise<number> {
  const owners = await store.tx((r) => r.outbox.leaseOwners(clock.now().getTime()));
  const dead = await liveness.deadAmong(owners);
  if (dead.length === 0) return 0;
  const released = await store.tx((r) => r.outbox.releaseLeases(dead));
  if (released) log.info('released the outbox leases of stopped workers', { released, owners: dead });
  return released;
}

/**
 * Runs `reclaimDeadLeases` every `everyMs` (several instances on PostgreSQL: one may die while
 * the others run on) and calls `onReleased` when rows became due. Returns the stop function.
 */
export function scheduleReclaim(run: () => Promise<number>, everyMs: number, onReleased: () => void, log: Logger): () => void {
  const timer = setInterval(() => {
    run().then(
      (n) => n > 0 && onReleased(),
      (err: unknown) => log.warn('outbox lease reclaim failed', { err }),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
