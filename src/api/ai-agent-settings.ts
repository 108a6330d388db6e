import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { audit } from '../audit/record.js';
import { AI_AGENT_SETTINGS_KEY, aiAgentSettingsSchema, readAiAgentSettings, type StoredAiAgentSettings } from '../ai-agent/settings.js';
import { requireRole, type ApiEnv } from './auth.js';
import { parseBody } from './body.js';

const view = (s: StoredAiAgentSettings) => ({
  ...s.settings,
  updatedAt: s.updatedAt == null ? null : new Date(s.updatedAt).toISOString(),
  updatedBy: s.updatedBy,
});

/**
 * GET/PUT /api/settings/ai-agent (admins): whether the model may answer customers directly, on
 * which channels and teams, and how often per conversation. A PUT replaces them all and is audited
 * with the values before and after.
 */
export function aiAgentSettingsRoutes(d: { store: Store; clock: Clock }) {
  const app = new Hono<ApiEnv>();
  app.use('/ai-agent', requireRole('admin'));
  app.get('/ai-agent', async (c) => c.json(view(await d.store.read((r) => readAiAgentSettings(r)))));
  app.put('/ai-agent', async (c) => {
    const next = await parseBody(c, aiAgentSettingsSchema);
    const agent = c.get('agent');
    const now = d.clock.now().getTime();
    const saved = await d.store.tx(async (r) => {
      await r.lock(`settings:${AI_AGENT_SETTINGS_KEY}`);
      const known = new Set((await r.teams.list()).map((t) => t.id));
      const unknown = next.teams.findIndex((id) => !known.has(id));
      if (unknown >= 0) throw new ValidationError(`teams.${unknown}: no team with id ${next.teams[unknown]}`, `teams.${unknown}`);
      const before = await readAiAgentSettings(r);
      const value = { ...next, channels: [...new Set(next.channels)], teams: [...new Set(next.teams)] };
      await r.settings.set({ key: AI_AGENT_SETTINGS_KEY, value: JSON.stringify(value), updatedAt: now, updatedBy: agent.id });
      await audit(r, {
        by: agent.id,
        action: 'settings.update',
        subjectId: AI_AGENT_SETTINGS_KEY,
        detail: { before: before.settings, after: value },
        now,
      });
      return readAiAgentSettings(r);
    });
    return c.json(view(saved));
  });
  return app;
}
