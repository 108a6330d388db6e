import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLogged } from '../../src/domain/events.js';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { englishFaqCopy, faqCheck } from './support.js';

const RETURNS_ANSWER = /You can return unused items within 30 days/;

describe('learning from agents: /api/faq/suggestions', () => {
  let app: Running;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let faqDir: string;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };

  beforeAll(async () => {
    data = await tempDir();
    faqDir = englishFaqCopy();
    app = await startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }, data.path);
    admin = await app.createAgent('Ops', 'admin');
    agent = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await data?.rm();
    if (faqDir) await rm(faqDir, { recursive: true, force: true });
  });

  /** A customer whose question the bot hands off; the agent claims the conversation and answers. */
  async function handedOff(question: string, reply: string) {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(question);
    const conv = await eventually(
      async () => {
        const c = await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId));
        return c?.status === 'queued' ? c : undefined;
      },
      5000,
      'hand-off',
    );
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: reply })).status).toBe(201);
    return conv;
  }

  async function botReplyTo(question: string): Promise<string | undefined> {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(question);
    return eventually(async () => (await customer.history()).items.find((i) => i.author === 'bot')?.text, 5000, 'bot reply');
  }

  it('an agent links a reply to an entry; once an admin approves, the bot answers the next paraphrase without a restart', async () => {
    const asked = 'this jacket does not fit me, I want my money back';
    const paraphrase = 'This jacket does not fit me. I want my money back!';
    expect(await botReplyTo(paraphrase)).not.toMatch(RETURNS_ANSWER);

    const conv = await handedOff(asked, 'No problem, you can return it within 30 days.');
    const created = await api(app, agent.token, 'POST', '/api/faq/suggestions', { conversationId: conv.id, entryId: 'returns-policy' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entryId: 'returns-policy',
      newEntry: false,
      locale: 'en',
      question: asked,
      status: 'pending',
      source: 'agent',
      createdBy: agent.id,
    });

    expect((await api(app, agent.token, 'POST', `/api/faq/suggestions/${created.body.id}/approve`)).status).toBe(403);
    expect((await api(app, agent.token, 'GET', '/api/faq/suggestions')).status).toBe(403);
    const listed = await api(app, admin.token, 'GET', '/api/faq/suggestions');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);

    const approved = await api(app, admin.token, 'POST', `/api/faq/suggestions/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: admin.id, entryId: 'returns-policy' });
    expect(await botReplyTo(paraphrase)).toMatch(RETURNS_ANSWER);

    const file = await readFile(join(faqDir, 'en', 'returns-policy.md'), 'utf8');
    expect(file).toContain(`  - ${asked}\ntags: [returns]\n`);
    expect(await faqCheck(faqDir)).toMatchObject({ code: 0 });
    expect((await api(app, admin.token, 'POST', `/api/faq/suggestions/${created.body.id}/approve`)).status).toBe(409);

    const events = (await app.store.tx((r) => r.events.after(0, { conversationId: conv.id, limit: 100 }))).map(decodeLogged);
    expect(events.filter((e) => e.type === 'faq_suggestion').map((e) => e.data)).toEqual([
      { suggestionId: created.body.id, action: 'suggest', by: agent.id, entryId: 'returns-policy' },
      { suggestionId: created.body.id, action: 'approve', by: admin.id, entryId: 'returns-policy' },
    ]);
  });

  it('a "new entry" suggestion, approved, becomes a new file that loads and answers', async () => {
    const question = 'Do you plant a tree for every order?';
    const answer = 'Yes: every order plants one tree with our forestry partner.';
    const conv = await handedOff(question, answer);
    const created = await api(app, agent.token, 'POST', '/api/faq/suggestions', {
      conversationId: conv.id,
      newEntry: { locale: 'en', question, answer },
    });
    expect(created.status).toBe(201);
    const approved = await api(app, admin.token, 'POST', `/api/faq/suggestions/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.entryId).toBe('do-you-plant-a-tree-for-every-order');
    const file = await readFile(join(faqDir, 'en', 'do-you-plant-a-tree-for-every-order.md'), 'utf8');
    expect(file).toBe(`---\nid: do-you-plant-a-tree-for-every-order\nquestions:\n  - ${question}\n---\n${answer}\n`);
    expect(await faqCheck(faqDir)).toMatchObject({ code: 0 });
    expect(await botReplyTo(question)).toBe(answer);
  });

  it('rejects: the suggestion is recorded as rejected and the knowledge base is left alone', async () => {
    const conv = await handedOff('Is your CEO a golden retriever?', 'Sadly not.');
    const created = await api(app, agent.token, 'POST', '/api/faq/suggestions', { conversationId: conv.id, entryId: 'payment-methods' });
    const before = await readFile(join(faqDir, 'en', 'payment-methods.md'), 'utf8');
    expect((await api(app, agent.token, 'POST', `/api/faq/suggestions/${created.body.id}/reject`)).status).toBe(403);
    const rejected = await api(app, admin.token, 'POST', `/api/faq/suggestions/${created.body.id}/reject`);
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: admin.id });
    expect(await readFile(join(faqDir, 'en', 'payment-methods.md'), 'utf8')).toBe(before);
    const page = await api(app, admin.token, 'GET', '/api/faq/suggestions?limit=1');
    expect(page.body.items.map((s: { status: string }) => s.status)).toEqual(['approved']);
    const rest = await api(app, admin.token, 'GET', `/api/faq/suggestions?limit=50&cursor=${page.body.nextCursor}`);
    expect(rest.body.items.map((s: { status: string }) => s.status)).toEqual(['approved', 'rejected']);
    expect(rest.body.nextCursor).toBeNull();
    expect((await api(app, admin.token, 'GET', '/api/faq/suggestions?cursor=-3')).status).toBe(400);
  });

  it('refuses bad suggestions with clear errors and ids that would leave the FAQ directory', async () => {
    const conv = await handedOff('is there a loyalty programme?', 'Not yet.');
    const post = (body: unknown) => api(app, agent.token, 'POST', '/api/faq/suggestions', body);
    expect((await post({ conversationId: conv.id })).status).toBe(400);
    expect((await post({ conversationId: conv.id, entryId: 'no-such-entry' })).body.error.message).toMatch(/no FAQ entry "no-such-entry"/);
    expect((await post({ conversationId: 'nope', entryId: 'returns-policy' })).status).toBe(404);
    const escaping = await post({
      conversationId: conv.id,
      newEntry: { id: '../../etc/passwd', locale: 'en', question: 'x?', answer: 'y' },
    });
    expect(escaping.status).toBe(201);
    const refused = await api(app, admin.token, 'POST', `/api/faq/suggestions/${escaping.body.id}/approve`);
    expect(refused.status).toBe(400);
    expect(
      (await api(app, admin.token, 'GET', '/api/faq/suggestions')).body.items.find((s: { id: string }) => s.id === escaping.body.id).status,
    ).toBe('pending');
  });
});
