import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { dropBytes } from '../privacy/redact.js';
import type { FileStore } from './file-store.js';
import { DAY_MS } from './policy.js';

/**
 * Uploads never sent with a message (a chat closed before sending, a reply abandoned) are
 * deleted a day after they were made, rows first, then bytes no other row names. Returns how many.
 */
export async function sweepUnsent(store: Store, files: FileStore, clock: Clock, maxAgeMs = DAY_MS): Promise<number> {
  let removed = 0;
  for (;;) {
    const hashes = await store.tx((r) => r.attachments.deleteUnlinkedBefore(clock.now().getTime() - maxAgeMs, 100));
    if (hashes.length === 0) return removed;
    removed += hashes.length;
    await dropBytes(store, files, hashes);
  }
}
