import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp } from '../support/app.js';
import { RawSseReader, WebchatCustomer } from '../support/webchat-client.js';

/**
 * A web chat customer's typing without the draft preview (the default): agents learn that they
 * type, never what, even from a client that sends the text anyway; and only agents who may see
 * the conversation hear of it.
 */
describe('web chat customer typing, draft preview off', () => {
  let app: Running;

  beforeAll(async () => {
    app = await startApp({});
  });
  afterAll(async () => {
    await app?.stop();
  });

  const typing = (c: WebchatCustomer, body: unknown) =>
    fetch(`${app.url}/webchat/sessions/${c.sessionId}/typing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('tells the agents who may see the conversation that the customer types, never what', async () => {
    const config = (await (await fetch(`${app.url}/webchat/config`)).json()) as { draftPreview: boolean };
    expect(config.draftPreview).toBe(false);
    const [holder, other] = [await app.createAgent('Holder'), await app.createAgent('Other')];
    const customer = await WebchatCustomer.open(app.url);
    // Before any message there is no conversation and nobody to tell; still accepted.
    expect((await typing(customer, {})).status).toBe(204);
    expect((await customer.say('human')).status).toBe(202);
    const conversationId = await eventually(async () => {
      const items = (await api(app, holder.token, 'GET', '/api/conversations?status=queued')).body.items as { id: string }[];
      return items[0]?.id;
    });
    expect((await api(app, holder.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);

    const streams = [holder, other].map((a) => new RawSseReader(`${app.url}/api/events`, { authorization: `Bearer ${a.token}` }));
    const [mine, theirs] = streams;
    // Both streams are live once each has an event both may see: a new customer's message in the bot's hands.
    expect((await (await WebchatCustomer.open(app.url)).say('hello')).status).toBe(202);
    await eventually(() => streams.every((r) => r.events.some((e) => e.event === 'message')), 5000, 'both streams live');
    expect((await typing(customer, { text: 'my secret draft' })).status).toBe(204);
    await eventually(() => mine!.events.some((e) => e.event === 'typing'), 5000, 'the holder told');
    const signal = mine!.events.find((e) => e.event === 'typing')!;
    expect(signal.id).toBeUndefined();
    expect(signal.data).toMatchObject({ conversationId, by: 'customer' });
    expect(signal.data).not.toHaveProperty('text');
    // The other agent may not see a conversation the holder has: nothing reaches them.
    expect(theirs!.events.filter((e) => e.event === 'typing')).toEqual([]);
    for (const s of streams) s.close();
  });
});
