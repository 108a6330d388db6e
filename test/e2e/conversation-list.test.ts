import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApp } from '../support/app.js';
import { seedConversation } from '../support/memory-store.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';
import type { Priority } from '../../src/domain/conversation.js';

const backends = [
  { name: 'SQLite', database: async () => ({ env: {}, drop: async () => {} }) },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          database: async () => {
            const db = await createTestDatabase();
            return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
          },
        },
      ]
    : []),
];

interface Item {
  id: string;
  channel: string;
  status: string;
  priority: Priority;
  waitingSince: string | null;
  lastMessageAt: string;
  customer: { identities: { channel: string }[] } | null;
  lastCustomerMessage: { text: string; createdAt: string } | null;
  lastMessage: { author: string } | null;
}

describe.each(backends)('the console list: sorts, filters, done, last customer message ($name)', (backend) => {
  let app: Running;
  let drop: () => Promise<void>;
  let agent: { id: string; token: string };
  const t0 = Date.UTC(2026, 0, 1);
  const PRIOS: Priority[] = ['low', 'normal', 'high', 'urgent'];

  beforeAll(async () => {
    const db = await backend.database();
    drop = db.drop;
    app = await startApp(db.env);
    agent = await app.createAgent('Ann');
    // 40 queued conversations: waiting times shuffled, priorities and last activity spread out, a few on email.
    const order = Array.from({ length: 40 }, (_, i) => i).sort(() => Math.random() - 0.5);
    await app.store.tx(async (r) => {
      for (const i of order) {
        const c = await seedConversation(r, t0 + i * 1000, [{ type: 'handoff' }]);
        await r.conversations.update(c.id, {
          priority: PRIOS[i % 4]!,
          lastMessageAt: t0 + ((i * 7919) % 40) * 60_000,
          channel: i % 5 === 0 ? 'email' : 'webchat',
        });
        await r.messages.insert({
          id: c.id + '-m1',
          conversationId: c.id,
          channel: 'webchat',
          direction: 'in',
          author: 'customer',
          agentId: null,
          text: `where is order ${i}`,
          externalId: null,
          meta: null,
          createdAt: t0 + i * 1000,
        });
        await r.messages.insert({
          id: c.id + '-m2',
          conversationId: c.id,
          channel: 'webchat',
          direction: 'out',
          author: 'bot',
          agentId: null,
          text: 'A person will be with you shortly.',
          externalId: null,
          meta: null,
          createdAt: t0 + i * 1000 + 1,
        });
      }
      // Three done ones, newest activity first: resolved, closed, resolved.
      for (const [at, status] of [
        [t0 - 5000, 'resolved'],
        [t0 - 6000, 'closed'],
        [t0 - 7000, 'resolved'],
      ] as const) {
        const done = await seedConversation(r, at, [{ type: 'handoff' }]);
        await r.conversations.update(done.id, { status, lastMessageAt: at });
      }
    });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  async function all(path: string, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res = await api(app, agent.token, 'GET', `${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  it('pages each sort in its order with no repeats and no gaps', async () => {
    const waiting = await all('/api/conversations?status=queued&sort=waiting', 7);
    expect(waiting).toHaveLength(40);
    expect(new Set(waiting.map((c) => c.id)).size).toBe(40);
    const w = waiting.map((c) => c.waitingSince!);
    expect([...w].sort()).toEqual(w);

    const activity = await all('/api/conversations?status=queued&sort=activity', 6);
    expect(new Set(activity.map((c) => c.id)).size).toBe(40);
    const a = activity.map((c) => c.lastMessageAt);
    expect([...a].sort().reverse()).toEqual(a);

    const priority = await all('/api/conversations?status=queued&sort=priority', 9);
    expect(new Set(priority.map((c) => c.id)).size).toBe(40);
    const rank = (p: Priority) => 3 - PRIOS.indexOf(p);
    for (let i = 1; i < priority.length; i++) {
      const [x, y] = [priority[i - 1]!, priority[i]!];
      expect(rank(x.priority) < rank(y.priority) || (x.priority === y.priority && x.waitingSince! <= y.waitingSince!)).toBe(true);
    }
  });

  it('filters by channel and priority, and status=done lists resolved and closed', async () => {
    const email = await all('/api/conversations?status=queued&channel=email', 3);
    expect(email).toHaveLength(8);
    expect(email.every((c) => c.channel === 'email')).toBe(true);
    const urgent = await all('/api/conversations?priority=urgent&sort=waiting', 4);
    expect(urgent).toHaveLength(10);
    expect(urgent.every((c) => c.priority === 'urgent')).toBe(true);
    const done = await all('/api/conversations?status=done', 1);
    expect(done.map((c) => c.status).sort()).toEqual(['closed', 'resolved', 'resolved']);
    // Newest activity first across both statuses (each read on its own index range), one a page.
    const byActivity = await all('/api/conversations?status=done&sort=activity', 1);
    expect(byActivity.map((c) => c.status)).toEqual(['resolved', 'closed', 'resolved']);
    expect(byActivity.map((c) => Date.parse(c.lastMessageAt))).toEqual([t0 - 5000, t0 - 6000, t0 - 7000]);
    const open = await all('/api/conversations?status=open', 15);
    expect(open).toHaveLength(40);
  });

  it('shows the last customer message, not the bot holding reply, and the customer identities', async () => {
    const [first] = await all('/api/conversations?status=queued&sort=waiting', 1);
    expect(first!.lastMessage!.author).toBe('bot');
    expect(first!.lastCustomerMessage!.text).toBe('where is order 0');
    expect(first!.customer!.identities[0]!.channel).toBe('webchat');
  });

  it('searches with q= and refuses a bad sort, priority or a cursor of another sort', async () => {
    const found = await api(app, agent.token, 'GET', '/api/conversations?status=queued&q=' + encodeURIComponent('order 17'));
    expect(found.status).toBe(200);
    expect((found.body.items as Item[]).some((c) => c.lastCustomerMessage?.text === 'where is order 17')).toBe(true);
    for (const q of ['sort=size', 'priority=extreme', 'status=gone']) {
      const res = await api(app, agent.token, 'GET', `/api/conversations?${q}`);
      expect(res.status, q).toBe(400);
    }
    const page = await api(app, agent.token, 'GET', '/api/conversations?status=queued&sort=waiting&limit=2');
    const other = await api(app, agent.token, 'GET', `/api/conversations?status=queued&sort=activity&cursor=${page.body.nextCursor}`);
    expect(other.status).toBe(400);
  });
});
