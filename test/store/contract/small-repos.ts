import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { uid } from './fixtures.js';

export function smallReposContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);

  describe('web chat sessions and channel state', () => {
    it('keeps a web chat session’s secret hash', async () => {
      const row = { id: uid('wcs'), secretHash: uid('secret'), createdAt: 3 };
      await tx((r) => r.webchat.insert(row));
      expect(await tx((r) => r.webchat.get(row.id))).toEqual(row);
      expect(await tx((r) => r.webchat.get('no-such-session'))).toBeUndefined();
      await expect(tx((r) => r.webchat.insert({ ...row, secretHash: 'other' }))).rejects.toThrow();
    });

    it('keeps channel state per key', async () => {
      const a = uid('state');
      const b = uid('state');
      await tx(async (r) => {
        await r.state.set(a, 'one', 1);
        await r.state.set(b, 'two', 1);
        await r.state.set(a, 'three', 2);
      });
      expect(await tx((r) => r.state.get(a))).toBe('three');
      expect(await tx((r) => r.state.get(b))).toBe('two');
    });
  });
}
