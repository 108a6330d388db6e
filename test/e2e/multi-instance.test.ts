import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe.skipIf(!TEST_DATABASE_URL)('two instances on one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    [a, b] = await Promise.all([startApp({ DATABASE_URL: db.url }), startApp({ DATABASE_URL: db.url })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('a customer on one instance and an agent on the other talk, every message once', async () => {
    const customer = await WebchatCustomer.open(a.url);
    const stream = customer.stream();
    await customer.say('How do I return an item?');
    // The customer reads the answer before asking for a person, so the history has one order to check.
    await eventually(async () => stream.items.find((i) => i.author === 'bot'), 10_000, 'FAQ answer on A');
    await customer.say('human');
    const agent = await b.createAgent('Bea');
    const conv = await eventually(
      async () => (await api(b, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0],
      10_000,
      'queued on B',
    );
    expect((await api(b, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await api(b, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Hi, Bea here.' })).status).toBe(201);
    const reply = await eventually(async () => stream.items.find((i) => i.author === 'agent'), 10_000, 'agent reply on A');
    expect(reply.text).toBe('Hi, Bea here.');
    await new Promise((r) => setTimeout(r, 1500));
    const items = (await customer.history()).items;
    expect(items.map((i) => `${i.author}`)).toEqual(['customer', 'bot', 'customer', 'bot', 'agent']);
    expect(new Set(stream.items.map((i) => i.id)).size).toBe(stream.items.length);
    const detail = await api(a, agent.token, 'GET', `/api/conversations/${conv.id}`);
    expect(
      detail.body.messages
        .filter((m: { direction: string }) => m.direction === 'out')
        .every((m: { delivery: string; deliveryAttempts: number }) => m.delivery === 'sent' && m.deliveryAttempts === 1),
    ).toBe(true);
    stream.close();
  });
});
