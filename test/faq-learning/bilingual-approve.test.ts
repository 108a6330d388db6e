import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { faqCheck, sampleFaqCopy } from './support.js';

describe('approving a new entry in a knowledge base written in English and Chinese', () => {
  let app: Running;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let faqDir: string;

  beforeAll(async () => {
    data = await tempDir();
    faqDir = sampleFaqCopy();
    app = await startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }, data.path);
  });
  afterAll(async () => {
    await app?.stop();
    await data?.rm();
    if (faqDir) await rm(faqDir, { recursive: true, force: true });
  });

  it('asks for the other language, then writes both files, which pass `faq check`, and answers in both', async () => {
    const admin = await app.createAgent('Ops', 'admin');
    const question = 'Do you plant a tree for every order?';
    const answer = 'Yes: every order plants one tree.';
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
    const created = await api(app, admin.token, 'POST', '/api/faq/suggestions', {
      conversationId: conv.id,
      newEntry: { id: 'trees', locale: 'en', question, answer },
    });
    expect(created.status).toBe(201);
    const listed = await api(app, admin.token, 'GET', '/api/faq/suggestions');
    expect(listed.body.items[0]).toMatchObject({ id: created.body.id, needsTranslations: ['zh'] });

    const path = `/api/faq/suggestions/${created.body.id}/approve`;
    const bare = await api(app, admin.token, 'POST', path);
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toMatch(/also written in zh; give translations\.zh/);
    const bad = await api(app, admin.token, 'POST', path, { translations: { zh: { question: '  ', answer: '种树。' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/translations\.zh\.question/);

    const zh = { question: '每个订单都会种一棵树吗？', answer: '是的：每个订单种一棵树。' };
    const approved = await api(app, admin.token, 'POST', path, { translations: { zh } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', entryId: 'trees', needsTranslations: [] });
    expect(await readFile(join(faqDir, 'zh', 'trees.md'), 'utf8')).toBe(
      `---\nid: trees\nquestions:\n  - ${zh.question}\n---\n${zh.answer}\n`,
    );
    expect(await faqCheck(faqDir)).toMatchObject({ code: 0 });

    for (const [asked, expected] of [
      [question, answer],
      [zh.question, zh.answer],
    ]) {
      const c = await WebchatCustomer.open(app.url);
      await c.say(asked!);
      expect(await eventually(async () => (await c.history()).items.find((i) => i.author === 'bot')?.text, 5000, 'bot reply')).toBe(
        expected,
      );
    }
  });
});
