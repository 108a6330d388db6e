import { SYSTEM } from '../domain/events.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { endSnooze } from './annotations.js';
import { runEvery } from '../kit/run-every.js';

/** Most conversations one pass wakes; a larger backlog is worked off by the next passes. */
const BATCH = 200;

/**
 * Snoozed conversations whose time came go back into the agents' lists, each with a `snooze`
 * event (`wake`, by system). Each is its own short transaction with the row locked and the
 * snooze read again, so an agent's unsnooze or a new snooze meanwhile is never overwritten.
 */
export async function wakeSnoozed(store: Store, clock: Clock): Promise<number> {
  const now = clock.now().getTime();
  const ids = await store.read((r) => r.conversations.snoozeDue(now, BATCH));
  let woken = 0;
  for (const id of ids) {
    await store.tx(async (r) => {
      const c = await r.conversations.get(id, { lock: true });
      if (!c || c.snoozedUntil === null || c.snoozedUntil > now) return;
      await endSnooze(r, c, 'wake', SYSTEM, now);
      woken++;
    });
  }
  return woken;
}

/** Runs `wakeSnoozed` every `everyMs` (SNOOZE_CHECK_SECONDS); main.ts runs it on the leader only. Returns a stop function. */
export function scheduleSnoozeWake(store: Store, clock: Clock, log: Logger, everyMs: number): () => void {
  return runEvery(() => wakeSnoozed(store, clock), {
    everyMs,
    onError: (err) => log.warn('waking snoozed conversations failed', { err }),
  });
}
