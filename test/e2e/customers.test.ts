import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

interface Hit {
  kind: string;
  id: string;
  conversationId: string | null;
  customer: { id: string } | null;
  snippet: { text: string; highlights: { start: number; length: number }[] };
}

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

describe.each(backends)('customers across channels, merge and split, and full-text search ($name)', (backend) => {
  let app: Running;
  let drop: () => Promise<void>;
  let ann: { id: string; token: string };
  let ben: { id: string; token: string };
  let boss: { id: string; token: string };

  beforeAll(async () => {
    const db = await backend.database();
    drop = db.drop;
    app = await startApp(db.env);
    ann = await app.createAgent('Ann');
    ben = await app.createAgent('Ben');
    boss = await app.createAgent('Boss', 'admin');
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  /** A web chat customer who said `text`; returns the customer and their conversation. */
  async function customerSaying(text: string) {
    const chat = await WebchatCustomer.open(app.url);
    await chat.say(text);
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', chat.sessionId)),
      5000,
      'conversation',
    );
    return { chat, customerId: conv.customerId, conversationId: conv.id };
  }

  const search = async (token: string, q: string, extra = '') =>
    api(app, token, 'GET', `/api/search?q=${encodeURIComponent(q)}${extra}`) as Promise<{
      status: number;
      body: { items: Hit[]; nextCursor: string | null };
    }>;

  it('finds English and Chinese text, a two-character Chinese query included, with a marked plain-text snippet', async () => {
    const zh = await customerSaying('你好，我想退货，包裹坏了');
    const en = await customerSaying('My parcel of <b>widgets</b> arrived crushed');
    const found = await search(ann.token, '退货');
    expect(found.status).toBe(200);
    const hit = found.body.items.find((h) => h.id && h.conversationId === zh.conversationId)!;
    expect(hit).toMatchObject({ kind: 'message', customer: { id: zh.customerId } });
    const marked = hit.snippet.highlights.map((h) => hit.snippet.text.slice(h.start, h.start + h.length));
    expect(marked).toEqual(['退货']);

    const word = (await search(ann.token, 'WIDGETS')).body.items.find((h) => h.conversationId === en.conversationId)!;
    // The snippet is the text as written (angle brackets and all): the console shows it as text, never as markup.
    expect(word.snippet.text).toContain('<b>widgets</b>');
    const [span] = word.snippet.highlights;
    expect(word.snippet.text.slice(span!.start, span!.start + span!.length)).toBe('widgets');
    // The last word is a prefix: search as you type.
    expect((await search(ann.token, 'crush')).body.items.some((h) => h.conversationId === en.conversationId)).toBe(true);
  });

  it('ranks the more relevant message first and pages on with a cursor', async () => {
    const long = await customerSaying(
      'I would like to ask about the zorblax I ordered last week, which arrived late, broken and in the wrong colour',
    );
    const short = await customerSaying('zorblax zorblax refund');
    const all = (await search(ann.token, 'zorblax')).body.items.filter((h) => h.kind === 'message');
    expect(all.map((h) => h.conversationId)).toEqual([short.conversationId, long.conversationId]);
    const first = await search(ann.token, 'zorblax', '&limit=1&kind=message');
    expect(first.body.items.map((h) => h.conversationId)).toEqual([short.conversationId]);
    const second = await search(ann.token, 'zorblax', `&limit=1&kind=message&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((h) => h.conversationId)).toEqual([long.conversationId]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('scopes results: an agent does not find another agent’s conversation, an admin finds everything, notes included', async () => {
    const held = await customerSaying('human');
    await held.chat.say('my quxfoo is missing');
    await eventually(
      async () => (await api(app, ann.token, 'POST', `/api/conversations/${held.conversationId}/claim`)).status === 200 || undefined,
      5000,
      'claim',
    );
    expect(
      (await api(app, ann.token, 'POST', `/api/conversations/${held.conversationId}/notes`, { text: 'quxfoo courier lost it' })).status,
    ).toBe(201);
    const ids = async (token: string) => (await search(token, 'quxfoo')).body.items.map((h) => `${h.kind}:${h.conversationId}`).sort();
    const both = [`message:${held.conversationId}`, `note:${held.conversationId}`];
    expect(await ids(ann.token)).toEqual(both);
    expect(await ids(boss.token)).toEqual(both);
    expect(await ids(ben.token)).toEqual([]);
  });

  it('refuses bad queries with a 400 and survives query-syntax characters', async () => {
    expect((await search(ann.token, '')).status).toBe(400);
    expect((await search(ann.token, 'x'.repeat(201))).status).toBe(400);
    for (const q of ['"', 'AND OR *', 'NEAR(a b)', "'", '-', ':*', '\\', '"unterminated', '(*)']) {
      const res = await search(ann.token, q);
      expect(res.status, q).toBe(200);
    }
    expect((await search(ann.token, 'zorblax', '&kind=bogus')).status).toBe(400);
    expect((await fetch(`${app.url}/api/search?q=zorblax`)).status).toBe(401);
  });

  it('edits a customer: name and notes by any agent, the tier by an admin only, audited; finds them by name', async () => {
    const { customerId } = await customerSaying('hello there');
    expect(
      (await api(app, ann.token, 'PATCH', `/api/customers/${customerId}`, { displayName: 'Grace Hopper', notes: 'prefers email' })).status,
    ).toBe(200);
    expect((await api(app, ann.token, 'PATCH', `/api/customers/${customerId}`, { tier: 'vip' })).status).toBe(403);
    expect((await api(app, ann.token, 'PATCH', `/api/customers/${customerId}`, { tier: 'gold' })).status).toBe(400);
    expect((await api(app, ann.token, 'PATCH', `/api/customers/${customerId}`, {})).status).toBe(400);
    const vip = await api(app, boss.token, 'PATCH', `/api/customers/${customerId}`, { tier: 'vip' });
    expect(vip.body.customer).toMatchObject({ tier: 'vip', displayName: 'Grace Hopper', notes: 'prefers email' });
    const audit = (await api(app, boss.token, 'GET', `/api/audit?action=customer.update`)).body.items as {
      action: string;
      subjectId: string;
      detail: object;
    }[];
    const mine = audit.filter((a) => a.action === 'customer.update' && a.subjectId === customerId);
    expect(mine.map((a) => a.detail)).toEqual(expect.arrayContaining([{ fields: ['tier'], tier: { from: 'standard', to: 'vip' } }]));

    const list = await api(app, ben.token, 'GET', `/api/customers?q=${encodeURIComponent('grace hop')}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([customerId]);
    expect(list.body.items[0].snippet.text).toBe('Grace Hopper');
    expect(list.body.items[0].tier).toBe('vip');
    const detail = (await api(app, ben.token, 'GET', `/api/customers/${customerId}`)).body;
    expect(detail.customer).toMatchObject({ id: customerId, tier: 'vip', notes: 'prefers email' });
    expect(detail.customer.identities).toHaveLength(1);
    expect(detail.conversations).toHaveLength(1);
    expect(detail.conversations[0]).toMatchObject({ channel: 'webchat', visible: true });
    const page = await api(app, ben.token, 'GET', '/api/customers?limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });

  it('merges one customer into another and splits the identity back out; search follows both ways', async () => {
    const a = await customerSaying('first account asks about plumbus');
    const b = await customerSaying('second account asks about gleeb');
    await api(app, ann.token, 'PATCH', `/api/customers/${b.customerId}`, { displayName: 'Morty Smith' });
    const bIdentity = (await app.store.tx((r) => r.customers.identitiesOf(b.customerId)))[0]!;
    const owners = async (q: string) => (await search(ann.token, q)).body.items.map((h) => h.customer?.id);
    expect(await owners('gleeb')).toEqual([b.customerId]);

    const merged = await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/merge`, { customerId: b.customerId });
    expect(merged.status).toBe(200);
    expect(merged.body.merged).toMatchObject({
      customerId: a.customerId,
      mergedCustomerId: b.customerId,
      conversationIds: [b.conversationId],
    });
    const survivor = (await api(app, ann.token, 'GET', `/api/customers/${a.customerId}`)).body;
    expect(survivor.customer.identities.map((i: { id: string }) => i.id)).toContain(bIdentity.id);
    expect(survivor.customer.identities.find((i: { id: string }) => i.id === bIdentity.id).mergedFrom).toBe(b.customerId);
    expect(survivor.conversations.map((c: { id: string }) => c.id).sort()).toEqual([a.conversationId, b.conversationId].sort());
    expect(await owners('gleeb')).toEqual([a.customerId]);
    // The merged customer is gone from lists and name search, and cannot be merged again.
    expect((await api(app, ann.token, 'GET', `/api/customers?q=morty`)).body.items).toEqual([]);
    expect((await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/merge`, { customerId: b.customerId })).status).toBe(404);
    expect((await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/merge`, { customerId: a.customerId })).status).toBe(400);

    // A new message from the merged identity lands on the surviving customer.
    await b.chat.say('gleeb again, any news?');
    await eventually(async () => ((await owners('news')).includes(a.customerId) ? true : undefined), 5000, 'new message indexed');
    expect((await app.store.tx((r) => r.customers.findIdentity('webchat', b.chat.sessionId)))?.customerId).toBe(a.customerId);

    const events = await app.store.tx((r) => r.events.after(0, { conversationId: b.conversationId, limit: 1000 }));
    expect(events.filter((e) => e.type === 'customer').map((e) => JSON.parse(e.data).action)).toEqual(['merge']);

    expect((await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/split`, { identityId: 'nope' })).status).toBe(404);
    const own = (await app.store.tx((r) => r.customers.identitiesOf(a.customerId))).find((i) => i.id !== bIdentity.id)!;
    expect((await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/split`, { identityId: own.id })).status).toBe(409);
    const split = await api(app, ann.token, 'POST', `/api/customers/${a.customerId}/split`, { identityId: bIdentity.id });
    expect(split.status).toBe(200);
    expect(split.body.split).toMatchObject({ splitCustomerId: b.customerId, conversationIds: [b.conversationId] });
    const restored = (await api(app, ann.token, 'GET', `/api/customers/${b.customerId}`)).body;
    expect(restored.customer).toMatchObject({ displayName: 'Morty Smith', mergedInto: null });
    expect(restored.customer.identities.map((i: { id: string }) => i.id)).toEqual([bIdentity.id]);
    expect(restored.conversations.map((c: { id: string }) => c.id)).toEqual([b.conversationId]);
    expect(
      (await api(app, ann.token, 'GET', `/api/customers/${a.customerId}`)).body.conversations.map((c: { id: string }) => c.id),
    ).toEqual([a.conversationId]);
    expect(await owners('gleeb')).toEqual([b.customerId, b.customerId]);
    expect((await api(app, ann.token, 'GET', `/api/customers?q=morty`)).body.items.map((c: { id: string }) => c.id)).toEqual([
      b.customerId,
    ]);

    const audit = (await api(app, boss.token, 'GET', `/api/audit`)).body.items as { action: string; subjectId: string }[];
    expect(audit.filter((x) => x.subjectId === a.customerId).map((x) => x.action)).toEqual(
      expect.arrayContaining(['customer.merge', 'customer.split']),
    );
  });

  it('erasure removes a customer’s text and name from search, and an erased customer cannot be merged', async () => {
    const gone = await customerSaying('my secret word is xyzzyplugh');
    await api(app, ann.token, 'PATCH', `/api/customers/${gone.customerId}`, { displayName: 'Erin Erased' });
    expect((await search(boss.token, 'xyzzyplugh')).body.items).toHaveLength(1);
    expect((await api(app, boss.token, 'DELETE', `/api/customers/${gone.customerId}`)).status).toBe(200);
    expect((await search(boss.token, 'xyzzyplugh')).body.items).toEqual([]);
    expect((await search(boss.token, 'erin')).body.items).toEqual([]);
    expect((await api(app, boss.token, 'GET', '/api/customers?q=erin')).body.items).toEqual([]);
    const other = await customerSaying('hi');
    expect((await api(app, boss.token, 'POST', `/api/customers/${other.customerId}/merge`, { customerId: gone.customerId })).status).toBe(
      409,
    );
    expect((await api(app, boss.token, 'POST', `/api/customers/${gone.customerId}/merge`, { customerId: other.customerId })).status).toBe(
      409,
    );
    expect((await api(app, boss.token, 'PATCH', `/api/customers/${gone.customerId}`, { notes: 'x' })).status).toBe(409);
  });
});
