import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('first-response target', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    // 0.3 s, so a waiting conversation turns overdue within the test.
    app = await startApp({ SLA_FIRST_RESPONSE_MINUTES: String(0.3 / 60) }, dir.path);
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('marks a conversation overdue once it waits past the target, and clears it when an agent answers', async () => {
    const agent = await app.createAgent('Ann');
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('human');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      5000,
      'conversation',
    );
    const fresh = (await api(app, agent.token, 'GET', `/api/conversations/${conv.id}`)).body.conversation;
    expect(Date.parse(fresh.slaDueAt) - Date.parse(fresh.waitingSince)).toBe(300);

    const overdue = await eventually(
      async () => {
        const items = (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items as {
          id: string;
          overdue: boolean;
        }[];
        return items.find((c) => c.id === conv.id && c.overdue);
      },
      5000,
      'overdue',
    );
    expect(overdue.overdue).toBe(true);

    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`);
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Sorry for the wait!' });
    const answered = (await api(app, agent.token, 'GET', `/api/conversations/${conv.id}`)).body.conversation;
    expect(answered).toMatchObject({ waitingSince: null, slaDueAt: null, overdue: false });
  });
});
