import { SYSTEM } from '../domain/events.js';
import { applyTransition } from '../lifecycle/apply.js';
import type { Clock } from '../domain/clock.js';
import { runEvery } from '../kit/run-every.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

/**
 * Resolved conversations nobody came back to are closed after `afterMs` (DESIGN.md: resolved →
 * closed after CSAT or timeout). A customer who writes after that starts a new conversation with
 * the bot instead of reopening an old one.
 */
export async function closeResolved(store: Store, clock: Clock, afterMs: number): Promise<number> {
  const now = clock.now().getTime();
  const ids = await store.tx((r) => r.conversations.resolvedBefore(now - afterMs, 200));
  let closed = 0;
  for (const id of ids) {
    await store.tx(async (r) => {
      const c = await r.conversations.get(id, { lock: true });
      if (!c || c.status !== 'resolved' || c.resolvedAt == null || c.resolvedAt >= now - afterMs) return;
      await applyTransition(r, c, { type: 'close' }, { by: SYSTEM, now });
      closed++;
    });
  }
  return closed;
}

/** Runs `closeResolved` every `everyMs`, never two at once (a long backlog); returns a stop function. */
export function scheduleCloseResolved(store: Store, clock: Clock, afterMs: number, log: Logger, everyMs = 60_000): () => void {
  return runEvery(() => closeResolved(store, clock, afterMs), {
    everyMs,
    onError: (err) => log.warn('closing resolved conversations failed', { err }),
  });
}
