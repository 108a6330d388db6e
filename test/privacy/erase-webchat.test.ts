import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

/** The whole JSON export of a customer, read through the streamed endpoint. */
async function exportOf(app: Running, token: string, customerId: string) {
  const res = await fetch(`${app.url}/api/customers/${customerId}/export`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, text, body: res.status === 200 ? JSON.parse(text) : null };
}

describe('erasing a web-chat customer', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  /** A customer who asks for a person, is helped by `agent`, resolved and rates the help. */
  async function helpedCustomer(agentToken: string, words: string) {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(words);
    await customer.say('human');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      5000,
      'conversation',
    );
    expect((await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    const reply = await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/messages`, { text: `About "${words}": done.` });
    expect(reply.status).toBe(201);
    expect((await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/notes`, { text: `note on ${words}` })).status).toBe(201);
    expect((await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/resolve`)).status).toBe(200);
    await eventually(async () => (await customer.history()).items.some((i) => /from 1 \(poor\) to 5/.test(i.text)), 5000, 'CSAT question');
    await customer.say('5');
    await eventually(async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.csat === 5, 5000, 'CSAT recorded');
    return { customer, conversationId: conv.id, customerId: conv.customerId };
  }

  it('leaves nothing personal in the export, keeps reports and the queue working, and leaves another customer alone', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const admin = await app.createAgent('Ops', 'admin');
    const agent = await app.createAgent('Ann');
    const ada = await helpedCustomer(agent.token, 'I am Ada Lovelace, ada@example.com, order 4471');
    const bob = await helpedCustomer(agent.token, 'Bob here, order 9902 is late');

    expect((await exportOf(app, agent.token, ada.customerId)).status).toBe(403);
    expect((await exportOf(app, admin.token, 'no-such-customer')).status).toBe(404);
    const before = await exportOf(app, admin.token, ada.customerId);
    expect(before.status).toBe(200);
    expect(before.body.customer.id).toBe(ada.customerId);
    expect(before.body.identities).toEqual([expect.objectContaining({ channel: 'webchat', channelUserId: ada.customer.sessionId })]);
    const [conv] = before.body.conversations;
    expect(conv.id).toBe(ada.conversationId);
    expect(conv.csat).toBe(5);
    const texts = conv.messages.map((m: { text: string }) => m.text);
    expect(texts).toContain('I am Ada Lovelace, ada@example.com, order 4471');
    expect(conv.messages.filter((m: { kind: string }) => m.kind === 'note').map((m: { text: string }) => m.text)).toEqual([
      'note on I am Ada Lovelace, ada@example.com, order 4471',
    ]);
    expect(conv.events.some((e: { type: string }) => e.type === 'csat')).toBe(true);
    expect(before.text).not.toContain(bob.customer.sessionId);

    const report = async () => (await api(app, admin.token, 'GET', `/api/reports/summary?from=${since}`)).body;
    const reportBefore = await report();
    expect(reportBefore.total).toMatchObject({ handoffs: 2, resolved: 2, csat: { responses: 2, average: 5 } });
    expect((await api(app, agent.token, 'DELETE', `/api/customers/${ada.customerId}`)).status).toBe(403);
    const erased = await api(app, admin.token, 'DELETE', `/api/customers/${ada.customerId}`);
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toMatchObject({ customerId: ada.customerId, identities: 1, conversations: 1 });
    expect(erased.body.erased.messages).toBeGreaterThanOrEqual(6);

    const after = await exportOf(app, admin.token, ada.customerId);
    for (const personal of ['Ada', 'ada@example.com', '4471', ada.customer.sessionId]) expect(after.text).not.toContain(personal);
    expect(after.body.customer.erasedAt).not.toBeNull();
    const [gone] = after.body.conversations;
    expect(gone.messages.length).toBe(conv.messages.length);
    expect(gone.messages.every((m: { text: string; attachments: unknown[]; meta: unknown }) => m.text === '' && m.meta === null)).toBe(
      true,
    );
    // What reports count stays: the conversation, its times, status and score.
    expect(gone).toMatchObject({ id: conv.id, status: conv.status, csat: 5, createdAt: conv.createdAt, resolvedAt: conv.resolvedAt });
    expect((await report()).total).toEqual(reportBefore.total);

    // The queue and the other customer are as they were.
    expect((await api(app, agent.token, 'GET', '/api/conversations?status=closed')).status).toBe(200);
    const bobDetail = await api(app, agent.token, 'GET', `/api/conversations/${bob.conversationId}`);
    expect(bobDetail.body.messages.map((m: { text: string }) => m.text)).toContain('Bob here, order 9902 is late');
    expect((await exportOf(app, admin.token, bob.customerId)).text).toContain('order 9902');
    const adaDetail = await api(app, agent.token, 'GET', `/api/conversations/${ada.conversationId}`);
    expect(adaDetail.status).toBe(200);
    expect(adaDetail.body.customer).toMatchObject({ displayName: null, email: null });

    // The same browser writing again is a new, unrelated customer.
    expect((await ada.customer.say('hello again')).status).toBeLessThan(300);
    const fresh = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', ada.customer.sessionId)),
      5000,
      'new conversation',
    );
    expect(fresh.id).not.toBe(ada.conversationId);
    expect(fresh.customerId).not.toBe(ada.customerId);

    // Erasing twice is harmless; both the export and the erasure are audited.
    expect((await api(app, admin.token, 'DELETE', `/api/customers/${ada.customerId}`)).status).toBe(200);
    const audit = await api(app, admin.token, 'GET', `/api/audit?agentId=${admin.id}&limit=500`);
    const onAda = audit.body.items
      .filter((e: { subjectId: string }) => e.subjectId === ada.customerId)
      .map((e: { action: string }) => e.action);
    expect(onAda).toEqual(['customer.export', 'customer.erase', 'customer.export', 'customer.erase']);
    expect(JSON.stringify(audit.body)).not.toContain('ada@example.com');
  });
});
