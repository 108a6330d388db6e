import type { Clock } from '../domain/clock.js';
import { effectiveStatus } from '../domain/presence.js';
import type { WidgetAvailability } from '../domain/webchat.js';
import { isOpen, nextOpening } from '../sla/business-calendar.js';
import { currentPolicy } from '../sla/policy.js';
import type { SlaSettings } from '../sla/settings.js';
import type { Store } from '../store/store.js';

/** Asked by every widget that opens; one read of the agents per this long is plenty for "is anyone there". */
const CACHE_MS = 15_000;

/**
 * Whether the team can answer a web chat now: inside business hours (the SLA calendar, an admin's
 * saved settings first) and with an agent online (AGENT_AWAY_AFTER_SECONDS). When closed, when
 * the team is back.
 */
export function teamAvailability(store: Store, clock: Clock, sla: SlaSettings, awayMs: number): () => Promise<WidgetAvailability> {
  let cached: { at: number; value: WidgetAvailability } | undefined;
  return async () => {
    const now = clock.now().getTime();
    if (cached && now - cached.at < CACHE_MS && now >= cached.at) return cached.value;
    const value = await store.tx(async (r): Promise<WidgetAvailability> => {
      const policy = await currentPolicy(r, sla);
      const open = isOpen(policy.calendar, now);
      const agents = await r.agents.list();
      const rows = await r.agentRouting.byIds(agents.map((a) => a.id));
      const agentsOnline = [...rows.values()].some((row) => effectiveStatus(row, now, awayMs) === 'online');
      return { open, agentsOnline, backAt: open ? null : new Date(nextOpening(policy.calendar, now)).toISOString() };
    });
    cached = { at: now, value };
    return value;
  };
}
