import type { Clock } from '../domain/clock.js';
import { PRIORITIES } from '../domain/conversation.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import { conversationSla, currentPolicy, type SlaPolicy, type SlaTarget } from './policy.js';
import type { SlaSettings } from './settings.js';
import { runEvery } from '../kit/run-every.js';

const PAGE = 200;

/** Targets of `c` breached by `now` whose event is not written yet. */
function unmarkedBreaches(c: ConversationRow, policy: SlaPolicy, now: number): { target: SlaTarget; dueAt: number; startedAt: number }[] {
  const sla = conversationSla(c, policy, now);
  if (!sla || (c.status !== 'queued' && c.status !== 'assigned')) return [];
  const out: { target: SlaTarget; dueAt: number; startedAt: number }[] = [];
  if (c.firstResponseBreachedAt == null && sla.firstResponse.metAt == null && sla.firstResponse.breachedAt != null)
    out.push({ target: 'first_response', dueAt: sla.firstResponse.breachedAt, startedAt: sla.startedAt });
  if (c.resolutionBreachedAt == null && sla.resolution.breachedAt != null)
    out.push({ target: 'resolution', dueAt: sla.resolution.breachedAt, startedAt: sla.startedAt });
  return out;
}

/**
 * Writes one `sla.breached` event per target a waiting conversation has passed unmet. The mark
 * column and the event are written in one transaction with the row locked, after the row is read
 * again under the lock: two instances (or two runs, or a run after a restart) that both saw a
 * breach write it once. Returns how many events were written.
 */
export async function emitBreaches(store: Store, clock: Clock, fallback: SlaSettings): Promise<number> {
  const now = clock.now().getTime();
  const policy = await store.read((r) => currentPolicy(r, fallback));
  // Business time is never shorter than wall time: nothing started after this can be due yet.
  const shortest = Math.min(...PRIORITIES.map((p) => policy.settings.targets[p].firstResponseMinutes));
  const startedBy = now - shortest * 60_000;
  let written = 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await store.read((r) => r.conversations.slaOpen({ startedBy, afterId, limit: PAGE }));
    for (const row of rows) {
      if (unmarkedBreaches(row, policy, now).length === 0) continue;
      written += await store.tx(async (r) => {
        const c = await r.conversations.get(row.id, { lock: true });
        if (!c) return 0;
        const breaches = unmarkedBreaches(c, await currentPolicy(r, fallback), now);
        if (breaches.length === 0) return 0;
        const marks = new Set(breaches.map((b) => b.target));
        await r.conversations.update(c.id, {
          firstResponseBreachedAt: marks.has('first_response') ? now : c.firstResponseBreachedAt,
          resolutionBreachedAt: marks.has('resolution') ? now : c.resolutionBreachedAt,
        });
        for (const b of breaches) {
          await r.events.append(
            c.id,
            { type: 'sla.breached', data: { target: b.target, dueAt: b.dueAt, startedAt: b.startedAt, priority: c.priority } },
            now,
          );
        }
        return breaches.length;
      });
    }
    if (rows.length < PAGE) return written;
    afterId = rows.at(-1)!.id;
  }
}

/** Runs `emitBreaches` every `everyMs` (on the leader: src/main.ts); returns a stop function. */
export function scheduleBreaches(store: Store, clock: Clock, fallback: SlaSettings, log: Logger, everyMs: number): () => void {
  return runEvery(
    async () => {
      const n = await emitBreaches(store, clock, fallback);
      if (n > 0) log.info('SLA targets breached', { events: n });
    },
    { everyMs, onError: (err) => log.warn('looking for SLA breaches failed', { err }) },
  );
}
