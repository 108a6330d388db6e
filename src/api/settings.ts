import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { audit } from '../audit/record.js';
import { isOpen, nextOpening } from '../sla/business-calendar.js';
import { currentPolicy, SLA_SETTINGS_KEY, type SlaPolicy } from '../sla/policy.js';
import { slaSettingsSchema, type SlaSettings } from '../sla/settings.js';
import { requireRole, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';

function policyView(p: SlaPolicy, now: number) {
  return {
    settings: p.settings,
    source: p.source,
    updatedAt: p.updatedAt == null ? null : new Date(p.updatedAt).toISOString(),
    updatedBy: p.updatedBy,
    openNow: isOpen(p.calendar, now),
    nextOpening: new Date(nextOpening(p.calendar, now)).toISOString(),
  };
}

/**
 * GET /api/settings/sla (any agent: the queue shows due times from it) and PUT (admins): the
 * business hours, zone, holidays and targets in force. A PUT replaces them all, is stored in the
 * database so every instance uses it at once, and is audited with the values before and after.
 */
export function settingsRoutes(d: { store: Store; clock: Clock; sla: SlaSettings }) {
  const app = new Hono<ApiEnv>();
  app.get('/sla', async (c) => {
    const policy = await d.store.read((r) => currentPolicy(r, d.sla));
    return c.json(policyView(policy, d.clock.now().getTime()));
  });
  app.put('/sla', requireRole('admin'), async (c) => {
    const next = await parseBody(c, slaSettingsSchema);
    const agent = c.get('agent');
    const now = d.clock.now().getTime();
    const saved = await d.store.tx(async (r) => {
      // One writer at a time, so the audit's "before" is what this change replaced.
      await r.lock(`settings:${SLA_SETTINGS_KEY}`);
      const before = await currentPolicy(r, d.sla);
      await r.settings.set({ key: SLA_SETTINGS_KEY, value: JSON.stringify(next), updatedAt: now, updatedBy: agent.id });
      await audit(r, {
        by: agent.id,
        action: 'settings.update',
        subjectId: SLA_SETTINGS_KEY,
        detail: { before: before.settings, after: next },
        now,
      });
      return currentPolicy(r, d.sla);
    });
    return c.json(policyView(saved, now));
  });
  return app;
}
