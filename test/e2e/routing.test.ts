import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import type { Clock } from '../../src/domain/clock.js';

/** Time that moves only when the test says so. */
class ManualClock implements Clock {
  constructor(public ms = Date.parse('2026-12-01T09:00:00Z')) {}
  now() {
    return new Date(this.ms);
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

interface Item {
  id: string;
  status: string;
  priority: string;
  team: string | null;
  assigneeId: string | null;
}

describe('teams, routing and auto-assignment (injected clock)', () => {
  const clock = new ManualClock();
  let app: Running;
  let admin: { id: string; token: string };
  const agents: Record<'ann' | 'bob' | 'cat', { id: string; token: string }> = {} as never;

  beforeAll(async () => {
    // No periodic sweep during the test: every assignment below comes from the moment that causes it.
    app = await startApp({ AGENT_AWAY_AFTER_SECONDS: '180', ASSIGN_SWEEP_SECONDS: '3600' }, undefined, { clock });
    admin = await app.createAgent('Admin', 'admin');
    agents.ann = await app.createAgent('Ann');
    agents.bob = await app.createAgent('Bob');
    agents.cat = await app.createAgent('Cat');
  });
  afterAll(async () => app?.stop());

  const as = (who: { token: string }, method: string, path: string, body?: unknown) => api(app, who.token, method, path, body);
  const queue = async (): Promise<Item[]> => (await as(admin, 'GET', '/api/conversations?status=queued&team=billing')).body.items;
  const held = async (): Promise<Record<string, string[]>> => {
    const items: Item[] = (await as(admin, 'GET', '/api/conversations?status=assigned&limit=200')).body.items;
    const out: Record<string, string[]> = {};
    for (const i of items) (out[i.assigneeId!] ??= []).push(i.id);
    return out;
  };
  const settle = () => app.assignIdle();

  it('sets up a team, rules and members; only admins may, and bad regexes are refused with 400', async () => {
    expect((await as(agents.ann, 'POST', '/api/teams', { name: 'Billing', autoAssign: true })).status).toBe(403);
    const created = await as(admin, 'POST', '/api/teams', { name: 'Billing', autoAssign: true });
    expect(created.status).toBe(201);
    expect(created.body.team).toMatchObject({ id: 'billing', name: 'Billing', autoAssign: true });
    expect((await as(admin, 'POST', '/api/teams', { name: 'billing' })).status).toBe(409);
    expect((await as(agents.ann, 'GET', '/api/teams')).body.items.map((t: { id: string }) => t.id)).toEqual(['billing']);

    for (const bad of ['(', '(a+)+$', '(\\w+\\s?)*$', 'a'.repeat(201), '(x)\\1']) {
      const res = await as(admin, 'POST', '/api/routing-rules', { match: bad, team: 'billing' });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.field ?? res.body.field ?? 'match').toBe('match');
    }
    expect((await as(admin, 'POST', '/api/routing-rules', { match: ['x'], team: 'nope' })).status).toBe(400);
    expect((await as(agents.ann, 'POST', '/api/routing-rules', { match: ['x'], team: 'billing' })).status).toBe(403);
    // Tried oldest first: the urgent and high rules before the plain one.
    expect((await as(admin, 'POST', '/api/routing-rules', { match: '\\bfraud\\b', team: 'billing', priority: 'urgent' })).status).toBe(201);
    expect(
      (await as(admin, 'POST', '/api/routing-rules', { match: ['chargeback', '拒付'], team: 'Billing', priority: 'high' })).status,
    ).toBe(201);
    expect((await as(admin, 'POST', '/api/routing-rules', { match: ['invoice', '发票'], team: 'billing' })).status).toBe(201);
    expect((await as(admin, 'GET', '/api/routing-rules')).body.items).toHaveLength(3);

    for (const [who, capacity] of [
      [agents.ann, 1],
      [agents.bob, 2],
      [agents.cat, 3],
    ] as const) {
      const res = await as(admin, 'PUT', `/api/agents/${who.id}`, { teams: ['billing'], capacity });
      expect(res.status).toBe(200);
      expect(res.body.agent).toMatchObject({ teams: ['billing'], capacity, status: 'offline', openConversations: 0 });
    }
    expect((await as(agents.ann, 'PUT', `/api/agents/${agents.bob.id}`, { capacity: 9 })).status).toBe(403);
    expect((await as(admin, 'PUT', `/api/agents/${agents.bob.id}`, { teams: ['nope'] })).status).toBe(400);
    expect((await as(admin, 'PUT', `/api/agents/${agents.cat.id}`, { role: 'admin' })).status).toBe(200);
    expect((await as(admin, 'PUT', `/api/agents/${agents.cat.id}`, { role: 'agent' })).status).toBe(200);

    const audit = (await as(admin, 'GET', `/api/audit?limit=200`)).body.items as {
      action: string;
      subjectId: string;
      detail: { field?: string };
    }[];
    const catChanges = audit.filter((a) => a.action === 'agent.update' && a.subjectId === agents.cat.id).map((a) => a.detail.field);
    expect(catChanges.sort()).toEqual(['capacity', 'role', 'role', 'teams']);
    expect(audit.some((a) => a.action === 'team.create')).toBe(true);
    expect(audit.filter((a) => a.action === 'routing_rule.create')).toHaveLength(3);
  });

  it('queues while nobody is online, in priority then waiting order; never assigns to busy or offline agents', async () => {
    const say = async (text: string) => {
      const c = await WebchatCustomer.open(app.url);
      expect((await c.say(text)).status).toBeLessThan(300);
      clock.advance(1000);
    };
    await say('/human invoice question'); // normal, oldest
    await say('/human 发票'); // normal
    await say('/human I see a chargeback'); // high
    await say('/human this is fraud'); // urgent
    await say('/human another invoice'); // normal, newest
    await say('/human 拒付'); // high, newer
    await say('/human fraud again'); // urgent, newer
    const q = await eventually(async () => ((await queue()).length === 7 ? queue() : undefined), 10_000, 'seven queued');
    expect(q.map((i) => i.priority)).toEqual(['urgent', 'urgent', 'high', 'high', 'normal', 'normal', 'normal']);
    expect(q.every((i) => i.team === 'billing')).toBe(true);

    // Paging keeps the order.
    const first = await as(admin, 'GET', '/api/conversations?status=queued&team=billing&limit=3');
    const second = await as(admin, 'GET', `/api/conversations?status=queued&team=billing&limit=3&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((i: Item) => i.id)).toEqual(q.slice(0, 6).map((i) => i.id));

    expect((await as(agents.cat, 'POST', '/api/me/status', { status: 'busy' })).body.status).toBe('busy');
    expect((await as(agents.ann, 'POST', '/api/me/status', { status: 'nope' })).status).toBe(400);
    await settle();
    expect(await held()).toEqual({});
    expect((await queue()).map((i) => i.id)).toEqual(q.map((i) => i.id));

    // Ann (capacity 1) comes online: the first urgent one is hers, and nothing more.
    await as(agents.ann, 'POST', '/api/me/status', { status: 'online' });
    await settle();
    expect(await held()).toEqual({ [agents.ann.id]: [q[0]!.id] });
    // Bob (capacity 2): the next two in order.
    await as(agents.bob, 'POST', '/api/me/status', { status: 'online' });
    await settle();
    const h = await held();
    expect(h[agents.bob.id]?.sort()).toEqual([q[1]!.id, q[2]!.id].sort());
    expect(h[agents.cat.id]).toBeUndefined();
    expect((await queue()).map((i) => i.id)).toEqual(q.slice(3).map((i) => i.id));

    // The assignment reached Bob's event stream as a status change.
    const events = await app.store.read((r) => r.events.after(0, { conversationId: q[1]!.id, limit: 50 }));
    expect(events.some((e) => e.type === 'status' && JSON.parse(e.data).action === 'assign')).toBe(true);

    // Everyone listed with status, capacity and load.
    const list = (await as(agents.ann, 'GET', '/api/agents')).body.items as {
      id: string;
      status: string;
      capacity: number;
      openConversations: number;
      teams: string[];
    }[];
    const byId = Object.fromEntries(list.map((a) => [a.id, a]));
    expect(byId[agents.ann.id]).toMatchObject({ status: 'online', capacity: 1, openConversations: 1, teams: ['billing'] });
    expect(byId[agents.bob.id]).toMatchObject({ status: 'online', capacity: 2, openConversations: 2 });
    expect(byId[agents.cat.id]).toMatchObject({ status: 'busy', capacity: 3, openConversations: 0 });

    // A claim past capacity is refused.
    expect((await as(agents.ann, 'POST', `/api/conversations/${q[3]!.id}/claim`)).status).toBe(409);
  });

  it('presence times out: silent agents count as offline and get nothing; a resolve frees a slot for the next in line', async () => {
    const q = await queue();
    clock.advance(181_000);
    const list = (await as(admin, 'GET', '/api/agents')).body.items as { id: string; status: string }[];
    expect(list.find((a) => a.id === agents.bob.id)?.status).toBe('offline');
    expect(list.find((a) => a.id === agents.cat.id)?.status).toBe('offline');

    // Cat comes online: three slots, the next three in order.
    await as(agents.cat, 'POST', '/api/me/status', { status: 'online' });
    await settle();
    expect((await held())[agents.cat.id]?.sort()).toEqual(
      q
        .slice(0, 3)
        .map((i) => i.id)
        .sort(),
    );
    expect((await queue()).map((i) => i.id)).toEqual([q[3]!.id]);

    // Bob is timed out: his resolve frees a slot, but his request also shows he is back, so the last one is his.
    const bobs = (await held())[agents.bob.id]!;
    expect((await as(agents.bob, 'POST', `/api/conversations/${bobs[0]}/resolve`)).status).toBe(200);
    await settle();
    await eventually(async () => ((await held())[agents.bob.id]?.includes(q[3]!.id) ? true : undefined), 5000, 'last one to Bob');
    expect(await queue()).toEqual([]);

    // Offline by choice: a freed slot of someone else does not go to them.
    await as(agents.ann, 'POST', '/api/me/status', { status: 'offline' });
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('/human invoice');
    await settle();
    const waiting = await eventually(async () => ((await queue()).length === 1 ? queue() : undefined), 5000, 'new one queued');
    const annHolds = (await held())[agents.ann.id]!;
    expect((await as(agents.ann, 'POST', `/api/conversations/${annHolds[0]}/resolve`)).status).toBe(200);
    await settle();
    expect((await queue()).map((i) => i.id)).toEqual([waiting[0]!.id]);
    // Everyone at capacity stays at or under it.
    const counts = (await as(admin, 'GET', '/api/agents')).body.items as { id: string; capacity: number; openConversations: number }[];
    for (const a of counts) expect(a.openConversations).toBeLessThanOrEqual(a.capacity);
  });

  it('equally loaded agents take turns', async () => {
    await as(admin, 'POST', '/api/teams', { name: 'Care 售后', autoAssign: true });
    const teams = (await as(admin, 'GET', '/api/teams')).body.items as { id: string; name: string }[];
    const care = teams.find((t) => t.name === 'Care 售后')!;
    expect(care.id).toBe('care-售后');
    await as(admin, 'POST', '/api/routing-rules', { match: ['售后'], team: care.id });
    const dee = await app.createAgent('Dee');
    const eve = await app.createAgent('Eve');
    for (const a of [dee, eve]) {
      await as(admin, 'PUT', `/api/agents/${a.id}`, { teams: [care.id], capacity: 10 });
      await as(a, 'POST', '/api/me/status', { status: 'online' });
    }
    const order: string[] = [];
    const assigned = async (): Promise<Item[]> =>
      (await as(admin, 'GET', `/api/conversations?status=assigned&team=${encodeURIComponent(care.id)}`)).body.items;
    for (let i = 0; i < 4; i++) {
      const c = await WebchatCustomer.open(app.url);
      await c.say('/human 售后');
      clock.advance(1000);
      const [latest] = await eventually(
        async () => ((await assigned()).length === 1 ? assigned() : undefined),
        5000,
        `assignment ${i + 1}`,
      );
      const holder = latest!.assigneeId === dee.id ? dee : eve;
      order.push(holder === dee ? 'dee' : 'eve');
      // Resolved again, so both stay equally loaded and only the turn decides.
      expect((await as(holder, 'POST', `/api/conversations/${latest!.id}/resolve`)).status).toBe(200);
      await settle();
    }
    expect(new Set([order.slice(0, 2).join(), order.slice(2).join()]).size).toBe(1);
    expect(order[0]).not.toBe(order[1]);
  });
});

describe('presence kept by an open event stream (injected clock)', () => {
  const clock = new ManualClock();
  let app: Running;
  afterAll(async () => app?.stop());

  it('an agent with /api/events open stays online through the away timeout; one without it goes offline', async () => {
    // Away after 10 s: presence is refreshed every 2.5 s of real time while a stream is open.
    app = await startApp({ AGENT_AWAY_AFTER_SECONDS: '10', ASSIGN_SWEEP_SECONDS: '3600' }, undefined, { clock });
    const admin = await app.createAgent('Admin', 'admin');
    const streaming = await app.createAgent('Sol');
    const silent = await app.createAgent('Tam');
    for (const a of [streaming, silent]) await api(app, a.token, 'POST', '/api/me/status', { status: 'online' });
    const stream = new AbortController();
    const res = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${streaming.token}` }, signal: stream.signal });
    expect(res.status).toBe(200);
    clock.advance(11_000);
    const statusOf = async (id: string) =>
      ((await api(app, admin.token, 'GET', '/api/agents')).body.items as { id: string; status: string }[]).find((a) => a.id === id)?.status;
    expect(await statusOf(silent.id)).toBe('offline');
    expect(
      await eventually(async () => ((await statusOf(streaming.id)) === 'online' ? true : undefined), 8000, 'refreshed by the stream'),
    ).toBe(true);
    stream.abort();
    await new Promise((r) => setTimeout(r, 3000));
    clock.advance(11_000);
    expect(await statusOf(streaming.id)).toBe('offline');
  });
});
