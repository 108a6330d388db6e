import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { fixtures, uid } from './fixtures.js';

export function slaContract(current: () => Store) {
  const f = fixtures(current);

  describe('settings and the SLA reads', () => {
    it('keeps one value per setting key, replaced with who and when', async () => {
      const key = uid('setting');
      expect(await f.tx((r) => r.settings.get(key))).toBeUndefined();
      await f.tx((r) => r.settings.set({ key, value: '{"a":1}', updatedAt: 5, updatedBy: 'ann' }));
      await f.tx((r) => r.settings.set({ key, value: '{"a":2}', updatedAt: 9, updatedBy: 'bea' }));
      expect(await f.tx((r) => r.settings.get(key))).toEqual({ key, value: '{"a":2}', updatedAt: 9, updatedBy: 'bea' });
    });

    it('slaOpen: queued or assigned, started by the cutoff, a target still unmarked; paged by id', async () => {
      // A cutoff far past the other tests' rows, so only this test's rows are seen.
      const base = 9_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const mk = (patch: Parameters<typeof f.conversation>[0]) => f.conversation({ status: 'queued', slaStartedAt: base, ...patch });
      const waiting = await mk({});
      const assigned = await mk({ status: 'assigned', firstRespondedAt: base + 1, firstResponseBreachedAt: null });
      const answeredButResolutionOpen = await mk({ firstRespondedAt: base + 1, firstResponseBreachedAt: base + 2 });
      await mk({ firstResponseBreachedAt: base + 2, resolutionBreachedAt: base + 3 });
      await mk({ firstRespondedAt: base + 1, resolutionBreachedAt: base + 3 });
      await mk({ status: 'resolved' });
      await mk({ slaStartedAt: null });
      await mk({ slaStartedAt: base + 10 });
      const open = (afterId?: string, limit = 50) =>
        f
          .tx((r) => r.conversations.slaOpen({ startedBy: base + 5, afterId, limit }))
          .then((rows) => rows.filter((x) => x.slaStartedAt! >= base).map((x) => x.id));
      expect(await open()).toEqual([waiting.id, assigned.id, answeredButResolutionOpen.id]);
      expect(await open(waiting.id)).toEqual([assigned.id, answeredButResolutionOpen.id]);
    });

    it('firstResponsesSince: answered at or after `since`, newest first, at most `limit`', async () => {
      // Later than every other test's reply, so `limit` sees only these rows.
      const since = 9_500_000_000_000 + Math.floor(Math.random() * 1e9);
      await f.conversation({ slaStartedAt: since - 100, firstRespondedAt: since - 1 });
      await f.conversation({ slaStartedAt: since - 50, firstRespondedAt: since });
      await f.conversation({ slaStartedAt: since - 10, firstRespondedAt: since + 20 });
      await f.conversation({ slaStartedAt: null, firstRespondedAt: since + 30 });
      const read = (limit: number) =>
        f
          .tx((r) => r.conversations.firstResponsesSince(since, limit))
          .then((rows) => rows.filter((x) => x.firstRespondedAt < since + 1_000_000));
      expect(await read(50)).toEqual([
        { slaStartedAt: since - 10, firstRespondedAt: since + 20 },
        { slaStartedAt: since - 50, firstRespondedAt: since },
      ]);
      expect(await read(1)).toEqual([{ slaStartedAt: since - 10, firstRespondedAt: since + 20 }]);
    });
  });
}
