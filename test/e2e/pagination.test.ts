import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, appOnOwnData } from '../support/app.js';
import { seedConversation } from '../support/memory-store.js';
import { newId } from '../../src/domain/ids.js';
import type { Running } from '../../src/main.js';

describe('cursor pagination of the agent API', () => {
  let running: Awaited<ReturnType<typeof appOnOwnData>>;
  let app: Running;
  let agent: { id: string; token: string };
  const t0 = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    running = await appOnOwnData({});
    app = running.app;
    agent = await app.createAgent('Ann');
    // 230 customers waiting, in a shuffled order of their waiting times: more than the old cap of 200.
    const order = Array.from({ length: 230 }, (_, i) => i).sort(() => Math.random() - 0.5);
    await app.store.tx(async (r) => {
      for (const i of order) await seedConversation(r, t0 + i * 1000, [{ type: 'handoff' }]);
    });
  });
  afterAll(async () => {
    await running?.close();
  });

  async function all(path: string, limit: number, between?: (page: number) => Promise<void>) {
    const ids: string[] = [];
    const waits: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await api(app, agent.token, 'GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((c: { id: string }) => c.id));
      waits.push(...res.body.items.map((c: { waitingSince: string }) => c.waitingSince));
      cursor = res.body.nextCursor;
      if (!cursor) break;
      await between?.(page);
    }
    return { ids, waits };
  }

  it('reaches every queued conversation, longest waiting first, with no repeats while new ones arrive', async () => {
    const { ids, waits } = await all('/api/conversations?status=queued', 50, async (page) => {
      if (page === 1) {
        await app.store.tx((r) => seedConversation(r, t0 + 999_999_000, [{ type: 'handoff' }]));
      }
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(231);
    expect(waits[0]).toBe(new Date(t0).toISOString());
    expect([...waits].sort()).toEqual(waits);
    // The default page is 50, and the old cap of 200 is gone: the 231st is on a later page.
    const first = await api(app, agent.token, 'GET', '/api/conversations?status=queued');
    expect(first.body.items).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
  });

  it('pages every filter: all open, mine, by status', async () => {
    const queued = (await api(app, agent.token, 'GET', '/api/conversations?status=queued&limit=3')).body.items as { id: string }[];
    for (const c of queued) expect((await api(app, agent.token, 'POST', `/api/conversations/${c.id}/claim`)).status).toBe(200);
    const mine = await all('/api/conversations?mine=true', 2);
    expect(mine.ids.sort()).toEqual(queued.map((c) => c.id).sort());
    const open = await all('/api/conversations', 64);
    expect(new Set(open.ids).size).toBe(231);
  });

  it('refuses a bad limit or cursor with 400', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'cursor=nonsense', `cursor=${Buffer.from('{"w":"x"}').toString('base64url')}`]) {
      const res = await api(app, agent.token, 'GET', `/api/conversations?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
  });

  it('shows the newest 100 messages with a conversation and pages older ones', async () => {
    const conv = await app.store.tx(async (r) => {
      const c = await seedConversation(r, t0, [{ type: 'handoff' }]);
      for (let i = 0; i < 130; i++) {
        await r.messages.insert({
          id: newId(t0 + i),
          conversationId: c.id,
          channel: 'webchat',
          externalId: `m-${c.id}-${i}`,
          direction: 'in',
          author: 'customer',
          agentId: null,
          text: `message ${i}`,
          meta: null,
          createdAt: t0 + i,
        });
      }
      return c;
    });
    const detail = (await api(app, agent.token, 'GET', `/api/conversations/${conv.id}`)).body;
    const texts = (ms: { text: string }[]) => ms.map((m) => m.text);
    expect(texts(detail.messages)).toEqual(Array.from({ length: 100 }, (_, i) => `message ${i + 30}`));
    const older = (
      await api(app, agent.token, 'GET', `/api/conversations/${conv.id}/messages?cursor=${detail.messagesNextCursor}&limit=20`)
    ).body;
    expect(texts(older.items)).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i + 10}`));
    const oldest = (await api(app, agent.token, 'GET', `/api/conversations/${conv.id}/messages?cursor=${older.nextCursor}`)).body;
    expect(texts(oldest.items)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`));
    expect(oldest.nextCursor).toBeNull();
    expect((await api(app, agent.token, 'GET', `/api/conversations/nope/messages`)).status).toBe(404);
  });
});
