import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { AgentRow } from '../../../src/store/ports.js';
import { uid } from './fixtures.js';

export function agentsContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);

  describe('agents', () => {
    it('finds an agent by id and by token hash, and lists agents by name', async () => {
      const zed: AgentRow = { id: uid('agt'), name: `zz ${uid('name')}`, role: 'admin', tokenHash: uid('hash'), createdAt: 1 };
      const amy: AgentRow = { id: uid('agt'), name: `aa ${uid('name')}`, role: 'agent', tokenHash: uid('hash'), createdAt: 2 };
      await tx(async (r) => {
        await r.agents.insert(zed);
        await r.agents.insert(amy);
      });
      expect(await tx((r) => r.agents.get(zed.id))).toEqual(zed);
      expect(await tx((r) => r.agents.get('no-such-agent'))).toBeUndefined();
      expect(await tx((r) => r.agents.byTokenHash(amy.tokenHash))).toEqual(amy);
      expect(await tx((r) => r.agents.byTokenHash('no-such-hash'))).toBeUndefined();
      const ours = (await tx((r) => r.agents.list())).filter((a) => a.id === zed.id || a.id === amy.id);
      expect(ours).toEqual([amy, zed]);
    });

    it('refuses a second agent with the same token hash', async () => {
      const hash = uid('hash');
      await tx((r) => r.agents.insert({ id: uid('agt'), name: 'one', role: 'agent', tokenHash: hash, createdAt: 1 }));
      await expect(
        tx((r) => r.agents.insert({ id: uid('agt'), name: 'two', role: 'agent', tokenHash: hash, createdAt: 1 })),
      ).rejects.toThrow();
    });
  });
}
