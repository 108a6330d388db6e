import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { englishFaqCopy } from '../faq-learning/support.js';

describe.skipIf(chromiumMissing)(browserSuite('/console conversation: "which FAQ entry was this?"'), () => {
  let app: Running;
  let faqDir: string;
  let browser: Browser;

  beforeAll(async () => {
    faqDir = englishFaqCopy();
    [app, browser] = await Promise.all([startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (faqDir) await rm(faqDir, { recursive: true, force: true });
  });

  it('after an agent answered a question, links it to an entry; the suggestion waits for an admin', async () => {
    const agent = await app.createAgent('Alice');
    const question = 'this jacket does not fit me, I want my money back';
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(question);
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      5000,
      'conversation',
    );
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`);
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'You can return it within 30 days.' });

    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(agent.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: 'Alice' }).waitFor();
    await page.goto(`${app.url}/console#/c/${conv.id}`);
    const faq = page.locator('#view .conv-faq');
    await faq.locator('summary', { hasText: 'Which FAQ entry was this?' }).click();
    await faq.locator('summary', { hasText: 'New entry' }).click();
    expect(await faq.getByLabel('Customer question').inputValue()).toBe(question);
    expect(await faq.getByLabel('Answer').inputValue()).toBe('You can return it within 30 days.');
    await faq.getByLabel('FAQ entry id').fill('returns-policy');
    await faq.getByRole('button', { name: 'Link to entry' }).click();
    await page.locator('#notice', { hasText: 'Suggestion sent' }).waitFor();
    const admin = await app.createAgent('Olga', 'admin');
    const pending = (await api(app, admin.token, 'GET', '/api/faq/suggestions')).body.items;
    expect(pending).toMatchObject([{ conversationId: conv.id, entryId: 'returns-policy', question, status: 'pending' }]);
    await page.context().close();
  });
});
