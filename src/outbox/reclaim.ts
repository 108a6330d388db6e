import type { Clock } from '../domain/clock.js';
import { runEvery } from '../kit/run-every.js';
import type { Logger } from '../log.js';
import type { Liveness } from '../store/liveness.js';
import type { LeasedRows } from '../store/ports.js';
import type { Repos, Store } from '../store/store.js';

/**
 * Releases the leases of workers that died mid-send, so their rows go out now rather than when
 * the lease expires. `rows` picks the leased table (the outbox by default, webhook deliveries);
 * `what` names it in the log. Returns how many rows were released.
 */
export async function reclaimDeadLeases(
  store: Store,
  liveness: Liveness,
  clock: Clock,
  log: Logger,
  rows: (r: Repos) => LeasedRows = (r) => r.outbox,
  what = 'outbox',
): Promise<number> {
  const owners = await store.tx((r) => rows(r).leaseOwners(clock.now().getTime()));
  const dead = await liveness.deadAmong(owners);
  if (dead.length === 0) return 0;
  const released = await store.tx((r) => rows(r).releaseLeases(dead));
  if (released) log.info(`released the ${what} leases of stopped workers`, { released, owners: dead });
  return released;
}

/**
 * Runs `reclaimDeadLeases` every `everyMs` (several instances on PostgreSQL: one may die while
 * the others run on) and calls `onReleased` when rows became due. Returns the stop function.
 */
export function scheduleReclaim(run: () => Promise<number>, everyMs: number, onReleased: () => void, log: Logger): () => void {
  return runEvery(async () => (await run()) > 0 && onReleased(), { everyMs, onError: (err) => log.warn('lease reclaim failed', { err }) });
}
