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

    it('does not let a reader pass an event whose transaction commits late', async () => {
      const start = await store.tx((r) => r.events.append(null, marker('start'), 0));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let slowSeq = 0;
      const slow = store.tx(async (r) => {
        slowSeq = await r.events.append(null, marker('slow'), 1);
        await held;
      });
      while (!slowSeq) await new Promise((r) => setTimeout(r, 5));
      const fastSeq = await store.tx((r) => r.events.append(null, marker('fast'), 2));
      expect(fastSeq).toBeGreaterThan(slowSeq);

      const whileOpen = await store.tx((r) => r.events.after(start, { limit: 10 }));
      expect(whileOpen.map(markerOf)).toEqual([]);
      release();
      await slow;
      const afterCommit = await store.tx((r) => r.events.after(start, { limit: 10 }));
      expect(afterCommit.map(markerOf)).toEqual(['slow', 'fast']);
    });
  });
} else {
  describe('store contract: PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (set by .ci/run)', () => {});
  });
}
