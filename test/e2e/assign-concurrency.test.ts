import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

interface Item {
  id: string;
  assigneeId: string | null;
}

/**
 * 50 concurrent claims and 50 concurrent auto-assignment triggers, spread over every instance:
 * no conversation is assigned twice, no agent goes over capacity.
 */
function concurrencySuite(name: string, start: () => Promise<{ apps: Running[]; stop(): Promise<void> }>) {
  describe(name, () => {
    let apps: Running[];
    let stop: () => Promise<void>;
    let admin: { token: string };
    beforeAll(async () => {
      const started = await start();
      apps = started.apps;
      stop = () => started.stop();
      admin = await apps[0]!.createAgent('Admin', 'admin');
    });
    afterAll(async () => stop?.());

    const on = (i: number) => apps[i % apps.length]!;
    const as = (i: number, who: { token: string }, method: string, path: string, body?: unknown) =>
      api(on(i), who.token, method, path, body);

    /** A team with a keyword rule, `agents` members of `capacity`, and `count` conversations queued to it. */
    async function team(teamName: string, autoAssign: boolean, members: number, capacity: number, count: number) {
      const created = await as(0, admin, 'POST', '/api/teams', { name: teamName, autoAssign });
      expect(created.status).toBe(201);
      const id = created.body.team.id as string;
      expect((await as(1, admin, 'POST', '/api/routing-rules', { match: [teamName], team: id })).status).toBe(201);
      const agents = [];
      for (let i = 0; i < members; i++) {
        const a = await on(i).createAgent(`${teamName} ${i}`);
        expect((await as(i, admin, 'PUT', `/api/agents/${a.id}`, { teams: [id], capacity })).status).toBe(200);
        agents.push(a);
      }
      for (let i = 0; i < count; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, count - i) }, async (_, k) => {
            const c = await WebchatCustomer.open(on(i + k).url);
            expect((await c.say(`/human ${teamName} question ${i + k}`)).status).toBeLessThan(300);
          }),
        );
      }
      const queued = await eventually(
        async () => {
          const items: Item[] = (await as(0, admin, 'GET', `/api/conversations?status=queued&team=${id}&limit=200`)).body.items;
          return items.length === count ? items : undefined;
        },
        20_000,
        `${count} queued for ${teamName}`,
      );
      return { id, agents, queued };
    }

    /** Every conversation's `assign`/`claim` transitions, and each agent's open count, read from the database. */
    async function tally(teamId: string) {
      const items: Item[] = (await as(0, admin, 'GET', `/api/conversations?status=assigned&team=${teamId}&limit=200`)).body.items;
      const perAgent = new Map<string, number>();
      for (const i of items) perAgent.set(i.assigneeId!, (perAgent.get(i.assigneeId!) ?? 0) + 1);
      const takes = await apps[0]!.store.read(async (r) => {
        const out = new Map<string, number>();
        for (const i of items) {
          const events = await r.events.after(0, { conversationId: i.id, limit: 500 });
          out.set(
            i.id,
            events.filter((e) => e.type === 'status' && ['claim', 'assign'].includes(JSON.parse(e.data).action as string)).length,
          );
        }
        return out;
      });
      return { items, perAgent, takes };
    }

    it('50 concurrent claims: each conversation taken once, nobody above capacity', async () => {
      const { id, agents, queued } = await team('Claims', false, 5, 2, 25);
      // Two agents race for each of the 25 conversations, half on each instance.
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const conv = queued[k % 25]!;
          const agent = agents[(k + Math.floor(k / 25)) % 5]!;
          return as(k, agent, 'POST', `/api/conversations/${conv.id}/claim`).then((res) => ({ res, conv: conv.id }));
        }),
      );
      const ok = results.filter((r) => r.res.status === 200);
      expect(results.every((r) => r.res.status === 200 || r.res.status === 409)).toBe(true);
      const { items, perAgent, takes } = await tally(id);
      // Ten slots (5 agents × 2): all of them used, none twice.
      expect(ok).toHaveLength(10);
      expect(new Set(ok.map((r) => r.conv)).size).toBe(10);
      expect(items).toHaveLength(10);
      for (const n of perAgent.values()) expect(n).toBeLessThanOrEqual(2);
      for (const n of takes.values()) expect(n).toBe(1);
    });

    it('50 concurrent auto-assignment triggers on every instance: each conversation assigned once, nobody above capacity', async () => {
      const { id, agents } = await team('Rush', true, 5, 3, 50);
      // Fifty "I am online" calls at once, spread over the agents and instances: each wakes the assigner.
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, k) => as(k, agents[k % 5]!, 'POST', '/api/me/status', { status: 'online' })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      await eventually(async () => ((await tally(id)).items.length === 15 ? true : undefined), 20_000, 'fifteen assigned');
      await Promise.all(apps.map((a) => a.assignIdle()));
      const { items, perAgent, takes } = await tally(id);
      expect(items).toHaveLength(15);
      expect([...perAgent.values()]).toEqual([3, 3, 3, 3, 3]);
      for (const n of takes.values()) expect(n).toBe(1);
      const left: Item[] = (await as(1, admin, 'GET', `/api/conversations?status=queued&team=${id}&limit=200`)).body.items;
      expect(left).toHaveLength(35);
    });
  });
}

concurrencySuite('claims and auto-assignment under concurrency: SQLite', async () => {
  const app = await startApp({ ASSIGN_SWEEP_SECONDS: '3600' });
  return { apps: [app], stop: () => app.stop() };
});

describe.skipIf(!TEST_DATABASE_URL)('on PostgreSQL', () => {
  concurrencySuite('claims and auto-assignment under concurrency: two instances on one PostgreSQL', async () => {
    const db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, ASSIGN_SWEEP_SECONDS: '3600' };
    const a = await startApp(env);
    const b = await startApp(env);
    return {
      apps: [a, b],
      async stop() {
        await a.stop();
        await b.stop();
        await db.drop();
      },
    };
  });
});
