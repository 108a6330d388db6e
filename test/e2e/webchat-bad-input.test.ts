import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, tempDir, api } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('bad input gets a clear 4xx and stores nothing', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let agent: { token: string };

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({}, dir.path);
    agent = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  const post = (path: string, body: string, secret?: string) =>
    fetch(app.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
      body,
    });

  async function storedMessages(): Promise<number> {
    const all = await app.store.tx(async (r) => {
      const list = await r.conversations.list({ limit: 1000 });
      let n = 0;
      for (const c of list) n += (await r.messages.list(c.id, { includeInternal: true })).length;
      return n;
    });
    return all;
  }

  it('rejects oversized, empty, malformed, unauthenticated and unknown-session messages', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const path = `/webchat/sessions/${customer.sessionId}/messages`;
    const cases: [string, Response, number, RegExp][] = [
      ['oversized', await post(path, JSON.stringify({ text: 'x'.repeat(17 * 1024), clientMessageId: 'a' }), customer.secret), 413, /text/],
      ['empty', await post(path, JSON.stringify({ text: '   ', clientMessageId: 'b' }), customer.secret), 400, /text: must not be empty/],
      ['no client id', await post(path, JSON.stringify({ text: 'hi' }), customer.secret), 400, /clientMessageId/],
      ['malformed JSON', await post(path, '{"text": "hi", ', customer.secret), 400, /JSON/],
      ['array body', await post(path, '[1,2]', customer.secret), 400, /JSON object/],
      ['wrong secret', await post(path, JSON.stringify({ text: 'hi', clientMessageId: 'c' }), 'nope'), 401, /secret/],
      ['no secret', await post(path, JSON.stringify({ text: 'hi', clientMessageId: 'd' })), 401, /secret/],
      [
        'unknown session',
        await post('/webchat/sessions/does-not-exist/messages', JSON.stringify({ text: 'hi', clientMessageId: 'e' }), customer.secret),
        401,
        /unknown session or wrong secret/,
      ],
    ];
    for (const [name, res, status, message] of cases) {
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message, name).toMatch(message);
      expect(body.error.code, name).toBeTruthy();
    }
    expect(await storedMessages()).toBe(0);
    const wrongRead = await fetch(`${app.url}/webchat/sessions/${customer.sessionId}/messages`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(wrongRead.status).toBe(401);
  });

  it('the agent API requires a token, names the bad field and maps errors to statuses', async () => {
    expect((await fetch(`${app.url}/api/conversations`)).status).toBe(401);
    expect((await api(app, 'not-a-token', 'GET', '/api/conversations')).status).toBe(401);
    expect((await api(app, agent.token, 'GET', '/api/conversations?status=lost')).body.error.message).toMatch(/^status:/);
    expect((await api(app, agent.token, 'GET', '/api/conversations/nope')).status).toBe(404);
    expect((await api(app, agent.token, 'POST', '/api/agents', { name: 'Eve' })).status).toBe(403);

    const customer = await WebchatCustomer.open(app.url);
    await customer.say('human');
    const [conv] = (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items;
    const bad = await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, '{"text":');
    expect(bad.status).toBe(400);
    const empty = await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^text:/);
    const released = await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/release`);
    expect(released.status).toBe(409);
  });
});
