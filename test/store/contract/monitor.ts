import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { fixtures, uid } from './fixtures.js';

/** The suite shares one database, so figures are compared before and after this test's own rows. */
export function monitorContract(current: () => Store) {
  const { tx, conversation, message, outbox } = fixtures(current);

  describe('monitor', () => {
    it('counts queued conversations per team, the general queue as null', async () => {
      const team = uid('team');
      const general = async () => (await tx((r) => r.monitor.queuedByTeam())).find((q) => q.team === null)?.count ?? 0;
      const before = await general();
      await conversation({ status: 'queued', team, waitingSince: 1_000 });
      await conversation({ status: 'queued', team, waitingSince: 1_001 });
      await conversation({ status: 'assigned', team, assigneeId: 'a' });
      await conversation({ status: 'queued', waitingSince: 1_002 });
      const after = await tx((r) => r.monitor.queuedByTeam());
      expect(after.find((q) => q.team === team)).toEqual({ team, count: 2 });
      expect(after.find((q) => q.team === null)?.count).toBe(before + 1);
    });

    it('counts pending outbox rows and finds the oldest', async () => {
      const before = await tx((r) => r.monitor.outboxBacklog());
      const c = await conversation();
      await outbox(await message(c, { direction: 'out', author: 'bot' }), { createdAt: -5 });
      await outbox(await message(c, { direction: 'out', author: 'bot' }), { createdAt: 7 });
      await outbox(await message(c, { direction: 'out', author: 'bot' }), { status: 'sent', createdAt: -9 });
      const after = await tx((r) => r.monitor.outboxBacklog());
      expect(after.pending).toBe(before.pending + 2);
      expect(after.oldestCreatedAt).toBe(Math.min(-5, before.oldestCreatedAt ?? Infinity));
    });

    it('reports the newest applied migration', async () => {
      const at = await tx((r) => r.monitor.lastMigrationAt());
      expect(at).toBeGreaterThan(Date.UTC(2020, 0, 1));
    });
  });
}
