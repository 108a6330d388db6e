import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { storeContract } from './contract.js';
import { decodeEvent } from '../../src/domain/events.js';

const marker = (name: string) => ({ type: 'note' as const, data: { messageId: name, agentId: 'test' } });
const markerOf = (row: { type: string; data: string }) => {
  const e = decodeEvent(row);
  return e.type === 'note' ? e.data.messageId : e.type;
};

if (TEST_DATABASE_URL) {
  storeContract('PostgreSQL', async () => {
    const db = await createTestDatabase();
    const store = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    return { store, dispose: async () => (await store.close(), await db.drop()) };
  });

  describe('PostgreSQL event cursor', () => {
    let store: Store;
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      db = await createTestDatabase();
      store = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('does not let a reader pass an event whose transaction commits late: appends take turns until commit', async () => {
      const start = await store.tx((r) => r.events.append(null, marker('start'), 0));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let slowSeq = 0;
      const slow = store.tx(async (r) => {
        slowSeq = await r.events.append(null, marker('slow'), 1);
        await held;
      });
      while (!slowSeq) await new Promise((r) => setTimeout(r, 5));
      let fastSeq = 0;
      const fast = store.tx((r) => r.events.append(null, marker('fast'), 2)).then((seq) => (fastSeq = seq));
      await new Promise((r) => setTimeout(r, 300));
      expect(fastSeq, 'the second append waits for the first transaction').toBe(0);
      expect((await store.tx((r) => r.events.after(start, { limit: 10 }))).map(markerOf)).toEqual([]);
      release();
      await slow;
      await fast;
      expect(fastSeq).toBeGreaterThan(slowSeq);
      expect((await store.tx((r) => r.events.after(start, { limit: 10 }))).map(markerOf)).toEqual(['slow', 'fast']);
    });

    it('an older transaction appending after a younger one cannot make a reader skip the younger one’s event', async () => {
      const start = await store.tx((r) => r.events.append(null, marker('start'), 0));
      const gate = () => {
        let open!: () => void;
        return { wait: new Promise<void>((r) => (open = r)), open: () => open() };
      };
      const oldMayAppend = gate();
      const youngMayCommit = gate();
      let oldWrote = false;
      let youngSeq = 0;
      // The old transaction takes its transaction id first (a write), then appends last.
      const old = store.tx(async (r) => {
        await r.state.set(`old-${Math.random()}`, 'x', 0);
        oldWrote = true;
        await oldMayAppend.wait;
        return r.events.append(null, marker('old'), 2);
      });
      while (!oldWrote) await new Promise((r) => setTimeout(r, 5));
      const young = store.tx(async (r) => {
        youngSeq = await r.events.append(null, marker('young'), 1);
        await youngMayCommit.wait;
      });
      while (!youngSeq) await new Promise((r) => setTimeout(r, 5));
      oldMayAppend.open();
      await new Promise((r) => setTimeout(r, 200));
      // Whatever a reader sees now, it must not move past the young event before it is visible.
      const early = await store.tx((r) => r.events.after(start, { limit: 10 }));
      youngMayCommit.open();
      await young;
      const oldSeq = await old;
      const cursor = early.at(-1)?.seq ?? start;
      const rest = await store.tx((r) => r.events.after(cursor, { limit: 10 }));
      expect([...early, ...rest].map(markerOf)).toEqual(['young', 'old']);
      expect(oldSeq).toBeGreaterThan(youngSeq);
    });
  });
} else {
  describe('store contract: PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (set by .ci/run)', () => {});
  });
}
