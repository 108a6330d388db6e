import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../support/app.js';

/** Write transactions requested together share one commit on SQLite (src/store/sqlite/database.ts). */
describe('SQLite group commit', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  afterEach(async () => dispose());

  async function open(): Promise<Store> {
    const dir = await tempDir();
    store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
    dispose = async () => (await store.close(), await dir.rm());
    return store;
  }

  it('rolls back only the transaction that failed; the others of its commit are kept', async () => {
    const s = await open();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        s.tx(async (r) => {
          await r.state.set(`k${i}`, `v${i}`, i);
          if (i % 5 === 3) throw new Error(`tx ${i} fails after writing`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    for (let i = 0; i < 20; i++) {
      const value = await s.read((r) => r.state.get(`k${i}`));
      expect(value).toBe(i % 5 === 3 ? undefined : `v${i}`);
    }
  });

  it('a transaction sees the writes of those before it in the same commit, in request order', async () => {
    const s = await open();
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        s.tx(async (r) => {
          const before = await r.state.get('counter');
          await r.state.set('counter', String(Number(before ?? 0) + 1), i);
          return Number(before ?? 0);
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await s.read((r) => r.state.get('counter'))).toBe('10');
  });

  it('resolves a transaction only once its commit is readable from the other connection', async () => {
    const s = await open();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await s.tx((r) => r.state.set(`c${i}`, 'x', i));
        expect(await s.read((r) => r.state.get(`c${i}`))).toBe('x');
      }),
    );
  });
});
