import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { AuditRow } from '../../../src/store/ports.js';
import { uid } from './fixtures.js';

export function auditContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);

  describe('audit', () => {
    it('lists rows by time then id, filtered by time and actor, paged after a row', async () => {
      const actor = uid('actor');
      const other = uid('actor');
      // A time far ahead keeps other tests' rows out of the window.
      const base = 9_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const row = (at: number, actorId: string): AuditRow => ({
        id: uid('aud'),
        at: base + at,
        actorId,
        action: 'token.create',
        subjectId: uid('agt'),
        detail: JSON.stringify({ n: at }),
      });
      const late = row(30, actor);
      const early = row(10, actor);
      const sameTimeA = row(20, actor);
      const sameTimeB = row(20, other);
      await tx(async (r) => {
        for (const x of [late, early, sameTimeA, sameTimeB]) await r.audit.append(x);
      });
      const list = (o: { since?: number; actorId?: string; after?: AuditRow; limit?: number }) =>
        tx((r) =>
          r.audit.list({
            since: o.since ?? base,
            actorId: o.actorId,
            after: o.after && { at: o.after.at, id: o.after.id },
            limit: o.limit ?? 10,
          }),
        );
      expect(await list({})).toEqual([early, sameTimeA, sameTimeB, late]);
      expect(await list({ since: base + 20 })).toEqual([sameTimeA, sameTimeB, late]);
      expect(await list({ actorId: actor })).toEqual([early, sameTimeA, late]);
      expect(await list({ limit: 2 })).toEqual([early, sameTimeA]);
      expect(await list({ after: sameTimeA })).toEqual([sameTimeB, late]);
      expect(await list({ after: sameTimeA, actorId: actor })).toEqual([late]);
      expect(await list({ after: late })).toEqual([]);
    });
  });
}
