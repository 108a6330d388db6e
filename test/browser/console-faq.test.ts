import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { englishFaqCopy, sampleFaqCopy } from '../faq-learning/support.js';
import { openAdmin, shot } from './console-helpers-admin.js';

/** A web-chat customer asks `question` (then asks for a person, should the bot have had a go); an agent claims it and answers. */
async function answered(app: Running, agentToken: string, question: string): Promise<string> {
  const customer = await WebchatCustomer.open(app.url);
  await customer.say(question);
  await customer.say('human');
  const conv = await eventually(
    () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
    5000,
    'conversation',
  );
  await eventually(
    async () => (await api(app, agentToken, 'GET', `/api/conversations/${conv.id}`)).body.conversation.status === 'queued',
    5000,
    'the hand-off',
  );
  await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/claim`);
  await api(app, agentToken, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'You can return it within 30 days.' });
  return conv.id;
}

describe.skipIf(chromiumMissing)(browserSuite('/console: learning FAQ entries from agents'), () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('one language', () => {
    let app: Running;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let faqDir: string;

    beforeAll(async () => {
      dir = await tempDir();
      faqDir = englishFaqCopy();
      app = await startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }, dir.path);
    });
    afterAll(async () => {
      await app?.stop();
      await dir?.rm();
      if (faqDir) await rm(faqDir, { recursive: true, force: true });
    });

    it('an agent says which entry answered the question; an admin approves it on the FAQ page and the FAQ answers it', async () => {
      const agent = await app.createAgent('Alice');
      const admin = await app.createAgent('Olga', 'admin');
      const question = 'this jacket does not fit me, I want my money back';
      const convId = await answered(app, agent.token, question);
      const made = await api(app, agent.token, 'POST', '/api/faq/suggestions', { conversationId: convId, entryId: 'returns-policy' });
      expect(made.status).toBe(201);

      const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'faq');
      // The question ended in a hand-off: it is a gap until the FAQ learns it.
      await page.locator('.admin-gap', { hasText: question }).waitFor();
      const item = page.locator('.admin-suggestion', { hasText: question });
      await item.getByText('Example of "returns-policy"').waitFor();
      await expectNoSeriousA11yViolations(page);
      await shot(page, 'faq');
      await item.getByRole('button', { name: 'Approve' }).click();
      // Approving rebuilds the FAQ index, which takes a while on a busy machine.
      await page.locator('#notice', { hasText: 'Approved' }).waitFor({ timeout: 60_000 });
      await page.locator('.admin-suggestion-approved', { hasText: question }).waitFor();
      expect(await readFile(join(faqDir, 'en', 'returns-policy.md'), 'utf8')).toContain(`  - ${question}\n`);

      // The bot now answers the same question itself.
      const again = await WebchatCustomer.open(app.url);
      await again.say(question);
      await eventually(
        async () => {
          const conv = await app.store.tx((r) => r.conversations.latestForThread('webchat', again.sessionId));
          const detail = conv && (await api(app, admin.token, 'GET', `/api/conversations/${conv.id}`)).body;
          return detail?.messages.some((m: { author: string; text: string }) => m.author === 'bot' && /30 days|return/i.test(m.text));
        },
        10_000,
        'the bot answering from the learnt entry',
      );
      await close();
    }, 120_000);

    it('a rejected suggestion leaves the files alone', async () => {
      const agent = await app.createAgent('Bob');
      const admin = await app.createAgent('Olga2', 'admin');
      const question = 'can my parrot use your app';
      const convId = await answered(app, agent.token, question);
      await api(app, agent.token, 'POST', '/api/faq/suggestions', { conversationId: convId, entryId: 'returns-policy' });
      const { page, close } = await openAdmin(app, browser, admin.token, 'Olga2', 'faq');
      const item = page.locator('.admin-suggestion', { hasText: question });
      await item.getByRole('button', { name: 'Reject' }).click();
      await page.locator('.admin-suggestion-rejected', { hasText: question }).waitFor();
      expect(await readFile(join(faqDir, 'en', 'returns-policy.md'), 'utf8')).not.toContain(question);
      await close();
    });
  });

  describe('English and Chinese', () => {
    let app: Running;
    let faqDir: string;

    beforeAll(async () => {
      faqDir = sampleFaqCopy();
      app = await startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' });
    });
    afterAll(async () => {
      await app?.stop();
      if (faqDir) await rm(faqDir, { recursive: true, force: true });
    });

    it('a new entry needs its Chinese version: the page asks for it beside the suggestion and approves with it', async () => {
      const agent = await app.createAgent('Alice');
      const admin = await app.createAgent('Olga', 'admin');
      const question = 'do you ship to the moon';
      const convId = await answered(app, agent.token, question);
      const made = await api(app, agent.token, 'POST', '/api/faq/suggestions', {
        conversationId: convId,
        newEntry: { id: 'moon-shipping', locale: 'en', question, answer: 'Not yet, sorry.' },
      });
      expect(made.status).toBe(201);

      const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'faq', { locale: 'zh' });
      const item = page.locator('.admin-suggestion', { hasText: question });
      await item.getByText('新条目“moon-shipping”').waitFor();
      await item.getByRole('button', { name: '批准' }).click();
      await item.locator('.admin-field-error', { hasText: '必填' }).first().waitFor();
      await item.getByLabel('问题（zh）').fill('你们送货到月球吗');
      await item.getByLabel('答案（zh）').fill('暂时不送，抱歉。');
      await shot(page, 'faq', 'zh');
      await item.getByRole('button', { name: '批准' }).click();
      await page.locator('.admin-suggestion-approved', { hasText: question }).waitFor({ timeout: 60_000 });
      expect(await readFile(join(faqDir, 'zh', 'moon-shipping.md'), 'utf8')).toContain('你们送货到月球吗');
      expect(await readFile(join(faqDir, 'en', 'moon-shipping.md'), 'utf8')).toContain(question);
      await close();
    }, 120_000);
  });
});
