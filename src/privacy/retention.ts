import { SYSTEM } from '../domain/events.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { redactConversation, yieldToOthers } from './redact.js';
import { runEvery } from '../kit/run-every.js';
import type { FileStore } from '../attachments/file-store.js';

/**
 * RETENTION_DAYS: message bodies and attachment references of conversations closed longer than
 * that are purged; the rows, timestamps, status and CSAT stay for the reports. Work goes in
 * small transactions with a yield between them, so requests keep being served while it runs.
 */
export async function purgeExpired(
  store: Store,
  clock: Clock,
  retentionMs: number,
  maxConversations = 100,
  files?: FileStore,
): Promise<number> {
  const now = clock.now().getTime();
  let purged = 0;
  while (purged < maxConversations) {
    const ids = await store.tx((r) => r.conversations.dueForRetention(now - retentionMs, Math.min(20, maxConversations - purged)));
    if (ids.length === 0) break;
    for (const id of ids) {
      await redactConversation(store, id, { erase: false, by: SYSTEM, now, files });
      purged++;
      await yieldToOthers();
    }
  }
  return purged;
}

/** Runs `purgeExpired` every `everyMs` (one run at a time); the leader instance calls it. Returns a stop function. */
export function scheduleRetention(
  store: Store,
  clock: Clock,
  retentionMs: number,
  log: Logger,
  everyMs = 300_000,
  files?: FileStore,
): () => void {
  return runEvery(
    async () => {
      const n = await purgeExpired(store, clock, retentionMs, 100, files);
      if (n) log.info('retention purged conversations', { conversations: n });
    },
    { everyMs, firstAfterMs: 1_000, onError: (err) => log.warn('retention purge failed', { err }) },
  );
}
