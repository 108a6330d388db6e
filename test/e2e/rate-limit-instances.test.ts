import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';
import { awayFromWindowEdge } from '../support/rate-window.js';

/** Rate limits must hold for the service, not per process: two instances share one counter per key. */
describe.skipIf(!TEST_DATABASE_URL)('rate limits across two instances on one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      TRUST_PROXY: '1',
      RATE_LIMIT_SESSION_CREATE_PER_MINUTE: '5',
      RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: '4',
      RATE_LIMIT_AGENT_PER_MINUTE: '6',
    };
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  const createFrom = (app: Running, ip: string) =>
    fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: { 'x-forwarded-for': ip } });

  it('counts session creations from one address on both instances together, also when they arrive at once', async () => {
    await awayFromWindowEdge();
    const ip = '192.0.2.7';
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => createFrom(i % 2 ? a : b, ip).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    // Another address is untouched, on either instance.
    expect((await createFrom(b, '192.0.2.8')).status).toBe(201);
  });

  it('shares a session’s message allowance and an agent’s request allowance between instances', async () => {
    await awayFromWindowEdge();
    const session = (await (await createFrom(a, '192.0.2.20')).json()) as { sessionId: string; secret: string };
    const say = (app: Running) =>
      fetch(`${app.url}/webchat/sessions/${session.sessionId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.secret}`, 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.20' },
        body: JSON.stringify({ text: 'How do I return an item?', clientMessageId: crypto.randomUUID() }),
      }).then((r) => r.status);
    const said = [await say(a), await say(b), await say(a), await say(b), await say(a), await say(b)];
    expect(said).toEqual([202, 202, 202, 202, 429, 429]);

    const agent = await a.createAgent('Shared');
    const get = (app: Running) => fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${agent.token}` } }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push(await get(i % 2 ? a : b));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
