import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { queuedConversation } from '../support/conversations.js';
import type { Running } from '../../src/main.js';

describe('agent actions: notes, transfer, release, resolve and reopen', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ann: { id: string; token: string };
  let ben: { id: string; token: string };

  beforeAll(async () => {
    dir = await tempDir();
    // 2 seconds: long enough to write back "within the window", short enough to wait out.
    app = await startApp({ REOPEN_WINDOW_HOURS: String(2 / 3600) }, dir.path);
    ann = await app.createAgent('Ann');
    ben = await app.createAgent('Ben');
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('keeps notes internal, transfers, releases and resolves', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const id = await queuedConversation(app, customer);
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/notes`, { text: 'VIP, be nice' })).status).toBe(201);
    const moved = await api(app, ann.token, 'POST', `/api/conversations/${id}/transfer`, { agentId: ben.id });
    expect(moved.body.conversation).toMatchObject({ status: 'assigned', assigneeId: ben.id });
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/messages`, { text: 'still me?' })).status).toBe(403);
    expect(
      (await api(app, ben.token, 'GET', '/api/conversations?status=assigned&mine=true')).body.items.map((c: { id: string }) => c.id),
    ).toEqual([id]);
    expect((await api(app, ben.token, 'POST', `/api/conversations/${id}/release`)).body.conversation.status).toBe('queued');
    expect((await api(app, ben.token, 'POST', `/api/conversations/${id}/transfer`, { agentId: 'nobody' })).status).toBe(400);

    const detail = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
    const note = detail.messages.find((m: { direction: string }) => m.direction === 'internal');
    expect(note).toMatchObject({ text: 'VIP, be nice', author: 'agent' });
    expect((await customer.history()).items.some((i) => i.text === 'VIP, be nice')).toBe(false);
  });

  it('a customer writing after resolve goes back to the same agent within the window, and to the queue after it', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const id = await queuedConversation(app, customer);
    await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`);
    await api(app, ann.token, 'POST', `/api/conversations/${id}/resolve`);
    await customer.say('one more thing');
    const back = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
    expect(back.conversation).toMatchObject({ status: 'assigned', assigneeId: ann.id });

    await api(app, ann.token, 'POST', `/api/conversations/${id}/resolve`);
    await new Promise((r) => setTimeout(r, 2_100));
    const before = (await customer.history()).items.length;
    await customer.say('and another');
    const later = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
    expect(later.conversation).toMatchObject({ status: 'queued', assigneeId: null });
    const items = await eventually(
      async () => {
        const h = (await customer.history()).items;
        return h.length >= before + 2 ? h : undefined;
      },
      5000,
      'holding reply after reopen',
    );
    expect(items.at(-1)!.text).toMatch(/person will reply/);
  });
});
