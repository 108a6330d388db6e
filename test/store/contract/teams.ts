import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { AgentRoutingRow, AgentRow, TeamRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

const DEFAULTS: Omit<AgentRoutingRow, 'agentId'> = { capacity: 5, status: 'offline', lastSeenAt: null, lastAssignedAt: null };

export function teamsContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);
  const f = fixtures(current);
  const agent = async (): Promise<AgentRow> => {
    const row: AgentRow = { id: uid('agt'), name: `n ${uid('name')}`, role: 'agent', createdAt: 1 };
    await tx((r) => r.agents.insert(row));
    return row;
  };
  const team = async (patch: Partial<TeamRow> = {}): Promise<TeamRow> => {
    const id = uid('team');
    const row: TeamRow = { id, name: `Team ${id}`, autoAssign: 0, createdAt: 5, ...patch };
    await tx((r) => r.teams.insert(row));
    return row;
  };

  describe('teams', () => {
    it('inserts, reads, lists by name, updates and deletes a team with its members and rules', async () => {
      const b = await team({ name: `zz ${uid('n')}` });
      const a = await team({ name: `aa ${uid('n')}`, autoAssign: 1 });
      expect(await tx((r) => r.teams.get(a.id))).toEqual(a);
      expect(await tx((r) => r.teams.get('no-such-team'))).toBeUndefined();
      const listed = (await tx((r) => r.teams.list())).filter((t) => t.id === a.id || t.id === b.id);
      expect(listed).toEqual([a, b]);
      await tx((r) => r.teams.update(b.id, { autoAssign: 1, name: 'renamed ' + b.id }));
      expect(await tx((r) => r.teams.get(b.id))).toEqual({ ...b, autoAssign: 1, name: 'renamed ' + b.id });
      const x = await agent();
      await tx((r) => r.teams.setTeamsOf(x.id, [a.id, b.id]));
      await tx((r) =>
        r.routingRules.insert({ id: uid('rule'), match: '{"keywords":["x"]}', channel: null, teamId: b.id, priority: null, createdAt: 1 }),
      );
      expect(await tx((r) => r.teams.delete(b.id))).toBe(true);
      expect(await tx((r) => r.teams.delete(b.id))).toBe(false);
      expect(await tx((r) => r.teams.get(b.id))).toBeUndefined();
      expect((await tx((r) => r.teams.teamsOf([x.id]))).get(x.id)).toEqual([a.id]);
      expect((await tx((r) => r.routingRules.list(1000))).some((rule) => rule.teamId === b.id)).toBe(false);
    });

    it('replaces an agent’s teams and reads members and each agent’s teams sorted', async () => {
      const [t1, t2] = [await team(), await team()];
      const [x, y, z] = [await agent(), await agent(), await agent()];
      await tx(async (r) => {
        await r.teams.setTeamsOf(x.id, [t2.id, t1.id, t1.id]);
        await r.teams.setTeamsOf(y.id, [t1.id]);
      });
      expect(await tx((r) => r.teams.members(t1.id))).toEqual([x.id, y.id]);
      const of = await tx((r) => r.teams.teamsOf([x.id, y.id, z.id]));
      expect(of.get(x.id)).toEqual([t1.id, t2.id].sort());
      expect(of.get(y.id)).toEqual([t1.id]);
      expect(of.has(z.id)).toBe(false);
      await tx((r) => r.teams.setTeamsOf(x.id, []));
      expect(await tx((r) => r.teams.members(t1.id))).toEqual([y.id]);
      expect(await tx((r) => r.teams.teamsOf([]))).toEqual(new Map());
    });
  });

  describe('agent routing', () => {
    it('upserts with defaults, patches only the fields given, reads by ids', async () => {
      const x = await agent();
      expect(await tx((r) => r.agentRouting.get(x.id))).toBeUndefined();
      await tx((r) => r.agentRouting.upsert(x.id, { capacity: 2 }, DEFAULTS));
      expect(await tx((r) => r.agentRouting.get(x.id))).toEqual({ ...DEFAULTS, agentId: x.id, capacity: 2 });
      await tx((r) => r.agentRouting.upsert(x.id, { status: 'online', lastSeenAt: 100 }, DEFAULTS));
      expect(await tx((r) => r.agentRouting.get(x.id))).toEqual({
        ...DEFAULTS,
        agentId: x.id,
        capacity: 2,
        status: 'online',
        lastSeenAt: 100,
      });
      const y = await agent();
      const rows = await tx((r) => r.agentRouting.byIds([x.id, y.id]));
      expect([...rows.keys()]).toEqual([x.id]);
      expect(await tx((r) => r.agentRouting.byIds([]))).toEqual(new Map());
    });

    it('touches presence only past the interval and only for agents with a row', async () => {
      const x = await agent();
      expect(await tx((r) => r.agentRouting.touch(x.id, 1_000, 100))).toBe(false);
      await tx((r) => r.agentRouting.upsert(x.id, { status: 'online' }, DEFAULTS));
      expect(await tx((r) => r.agentRouting.touch(x.id, 1_000, 100))).toBe(true);
      expect(await tx((r) => r.agentRouting.touch(x.id, 1_050, 100))).toBe(false);
      expect(await tx((r) => r.agentRouting.touch(x.id, 1_200, 100))).toBe(true);
      expect((await tx((r) => r.agentRouting.get(x.id)))?.lastSeenAt).toBe(1_200);
    });
  });

  describe('routing rules', () => {
    it('lists rules oldest first, capped, and deletes one', async () => {
      const t = await team();
      const rule = (createdAt: number) => ({
        id: uid('rule'),
        match: '{"regex":"refund"}',
        channel: 'email',
        teamId: t.id,
        priority: 'high' as const,
        createdAt,
      });
      const later = rule(20);
      const earlier = rule(10);
      await tx(async (r) => {
        await r.routingRules.insert(later);
        await r.routingRules.insert(earlier);
      });
      const ours = (await tx((r) => r.routingRules.list(1000))).filter((x) => x.teamId === t.id);
      expect(ours).toEqual([earlier, later]);
      expect((await tx((r) => r.routingRules.list(1))).length).toBe(1);
      expect(await tx((r) => r.routingRules.delete(earlier.id))).toBe(true);
      expect(await tx((r) => r.routingRules.delete(earlier.id))).toBe(false);
    });
  });

  describe('conversations by team and priority', () => {
    it('lists a team’s queue urgent first, then longest waiting, keyset-paged, and the general queue apart', async () => {
      const t = await team();
      const q = (priority: 'low' | 'normal' | 'high' | 'urgent', waitingSince: number) =>
        f.conversation({ status: 'queued', team: t.id, priority, waitingSince });
      const n1 = await q('normal', 100);
      const u2 = await q('urgent', 300);
      const l1 = await q('low', 50);
      const u1 = await q('urgent', 200);
      const h1 = await q('high', 400);
      const n2 = await q('normal', 150);
      const general = await f.conversation({ status: 'queued', team: null, priority: 'urgent', waitingSince: 1 });
      const expected = [u1, u2, h1, n1, n2, l1].map((c) => c.id);
      const all = await tx((r) => r.conversations.list({ status: 'queued', team: t.id, limit: 50 }));
      expect(all.map((c) => c.id)).toEqual(expected);
      // Page by two: every row once, in the same order.
      const paged: string[] = [];
      let after: { priority: 'low' | 'normal' | 'high' | 'urgent'; waitingSince: number | null; id: string } | undefined;
      for (;;) {
        const page = await tx((r) => r.conversations.list({ status: 'queued', team: t.id, limit: 2, after }));
        if (page.length === 0) break;
        paged.push(...page.map((c) => c.id));
        const last = page.at(-1)!;
        after = { priority: last.priority, waitingSince: last.waitingSince, id: last.id };
      }
      expect(paged).toEqual(expected);
      const generalQueue = await tx((r) => r.conversations.list({ status: 'queued', team: null, limit: 200 }));
      expect(generalQueue.some((c) => c.id === general.id)).toBe(true);
      expect(generalQueue.some((c) => c.team !== null)).toBe(false);
    });

    it('counts each agent’s assigned conversations', async () => {
      const [x, y, z] = [await agent(), await agent(), await agent()];
      await f.conversation({ status: 'assigned', assigneeId: x.id });
      await f.conversation({ status: 'assigned', assigneeId: x.id });
      await f.conversation({ status: 'resolved', assigneeId: x.id });
      await f.conversation({ status: 'assigned', assigneeId: y.id });
      const counts = await tx((r) => r.conversations.openCounts([x.id, y.id, z.id]));
      expect(counts).toEqual(
        new Map([
          [x.id, 2],
          [y.id, 1],
        ]),
      );
      expect(await tx((r) => r.conversations.openCounts([]))).toEqual(new Map());
    });
  });

  describe('agents', () => {
    it('changes an agent’s role', async () => {
      const x = await agent();
      await tx((r) => r.agents.update(x.id, { role: 'admin' }));
      expect((await tx((r) => r.agents.get(x.id)))?.role).toBe('admin');
    });
  });
}
