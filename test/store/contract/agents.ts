import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { AgentRow, AgentTokenRow } from '../../../src/store/ports.js';
import { uid } from './fixtures.js';

export function agentsContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);
  const agent = async (patch: Partial<AgentRow> = {}): Promise<AgentRow> => {
    const row: AgentRow = { id: uid('agt'), name: `n ${uid('name')}`, role: 'agent', createdAt: 1, ...patch };
    await tx((r) => r.agents.insert(row));
    return row;
  };
  const token = (agentId: string, patch: Partial<AgentTokenRow> = {}): AgentTokenRow => ({
    id: uid('tok'),
    agentId,
    tokenHash: uid('hash'),
    label: null,
    createdAt: 10,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...patch,
  });

  describe('agents', () => {
    it('finds an agent by id and lists agents by name', async () => {
      const zed = await agent({ name: `zz ${uid('name')}`, role: 'admin', createdAt: 1 });
      const amy = await agent({ name: `aa ${uid('name')}`, createdAt: 2 });
      expect(await tx((r) => r.agents.get(zed.id))).toEqual(zed);
      expect(await tx((r) => r.agents.get('no-such-agent'))).toBeUndefined();
      const ours = (await tx((r) => r.agents.list())).filter((a) => a.id === zed.id || a.id === amy.id);
      expect(ours).toEqual([amy, zed]);
    });
  });

  describe('agent tokens', () => {
    it('finds a token with its agent by hash, by id, and lists an agent’s tokens oldest first', async () => {
      const a = await agent();
      const first = token(a.id, { label: 'laptop', expiresAt: 99 });
      const second = token(a.id);
      await tx(async (r) => {
        await r.agentTokens.insert(first);
        await r.agentTokens.insert(second);
      });
      expect(await tx((r) => r.agentTokens.byHash(first.tokenHash))).toEqual({ token: first, agent: a });
      expect(await tx((r) => r.agentTokens.byHash('no-such-hash'))).toBeUndefined();
      expect(await tx((r) => r.agentTokens.get(second.id))).toEqual(second);
      expect(await tx((r) => r.agentTokens.get('no-such-token'))).toBeUndefined();
      expect(await tx((r) => r.agentTokens.listFor(a.id))).toEqual([first, second]);
      expect(await tx((r) => r.agentTokens.listFor('no-such-agent'))).toEqual([]);
    });

    it('refuses a second token with the same hash, and a token of an unknown agent', async () => {
      const a = await agent();
      const hash = uid('hash');
      await tx((r) => r.agentTokens.insert(token(a.id, { tokenHash: hash })));
      await expect(tx((r) => r.agentTokens.insert(token(a.id, { tokenHash: hash })))).rejects.toThrow();
      await expect(tx((r) => r.agentTokens.insert(token('no-such-agent')))).rejects.toThrow();
    });

    it('revokes a token once, and every other live token of an agent', async () => {
      const a = await agent();
      const [one, two, three] = [token(a.id), token(a.id), token(a.id)];
      const other = await agent();
      const theirs = token(other.id);
      await tx(async (r) => {
        for (const t of [one, two, three, theirs]) await r.agentTokens.insert(t);
      });
      expect(await tx((r) => r.agentTokens.revoke(one.id, 50))).toBe(true);
      expect(await tx((r) => r.agentTokens.revoke(one.id, 60))).toBe(false);
      expect(await tx((r) => r.agentTokens.revoke('no-such-token', 60))).toBe(false);
      expect((await tx((r) => r.agentTokens.get(one.id)))?.revokedAt).toBe(50);
      // one is revoked already, three is kept: only two is revoked now.
      expect(await tx((r) => r.agentTokens.revokeAllFor(a.id, 70, three.id))).toEqual([two.id]);
      const states = (await tx((r) => r.agentTokens.listFor(a.id))).map((t) => t.revokedAt);
      expect(states).toEqual([50, 70, null]);
      expect(await tx((r) => r.agentTokens.revokeAllFor(a.id, 80))).toEqual([three.id]);
      expect((await tx((r) => r.agentTokens.get(theirs.id)))?.revokedAt).toBeNull();
    });

    it('records a use only when the last one is older than the interval', async () => {
      const a = await agent();
      const t = token(a.id);
      await tx((r) => r.agentTokens.insert(t));
      expect(await tx((r) => r.agentTokens.touch(t.id, 1_000, 60_000))).toBe(true);
      expect(await tx((r) => r.agentTokens.touch(t.id, 30_000, 60_000))).toBe(false);
      expect((await tx((r) => r.agentTokens.get(t.id)))?.lastUsedAt).toBe(1_000);
      expect(await tx((r) => r.agentTokens.touch(t.id, 61_001, 60_000))).toBe(true);
      expect((await tx((r) => r.agentTokens.get(t.id)))?.lastUsedAt).toBe(61_001);
      expect(await tx((r) => r.agentTokens.touch('no-such-token', 1, 60_000))).toBe(false);
    });
  });
}
