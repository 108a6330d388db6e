import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, appOnOwnData, eventually } from '../support/app.js';
import { RawSseReader, WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('agent event stream /api/events', () => {
  let running: Awaited<ReturnType<typeof appOnOwnData>>;
  let app: Running;
  let agent: { id: string; token: string };

  beforeAll(async () => {
    running = await appOnOwnData({});
    app = running.app;
    agent = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await running?.close();
  });

  it('needs a token', async () => {
    expect((await fetch(`${app.url}/api/events`)).status).toBe(401);
  });

  it('streams messages, hand-offs, drafts and claims, and resumes after Last-Event-ID', async () => {
    const events = new RawSseReader(`${app.url}/api/events`, { authorization: `Bearer ${agent.token}` });
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('Can I pay with seashells?');
    await customer.say('human');
    const handoff = await eventually(
      async () => events.events.find((e) => e.event === 'status' && e.data.status === 'queued'),
      10_000,
      'hand-off event',
    );
    await eventually(async () => events.events.find((e) => e.event === 'draft'), 10_000, 'draft event');
    const seen = events.lastEventId!;
    events.close();

    expect((await api(app, agent.token, 'POST', `/api/conversations/${handoff.data.conversationId}/claim`)).status).toBe(200);
    const resumed = new RawSseReader(`${app.url}/api/events?token=${agent.token}`, { 'last-event-id': seen });
    const claim = await eventually(
      async () => resumed.events.find((e) => e.event === 'status' && e.data.status === 'assigned'),
      10_000,
      'claim event',
    );
    expect(claim.data).toMatchObject({ conversationId: handoff.data.conversationId, assigneeId: agent.id });
    expect(resumed.events.every((e) => Number(e.id) > Number(seen))).toBe(true);
    resumed.close();
  });
});
