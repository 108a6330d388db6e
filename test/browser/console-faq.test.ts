import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { englishFaqCopy } from '../faq-learning/support.js';

describe.skipIf(chromiumMissing)(browserSuite('/console: learning FAQ entries from agents'), () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let faqDir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    faqDir = englishFaqCopy();
    [app, browser] = await Promise.all([startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }, dir.path), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dir?.rm();
    if (faqDir) await rm(faqDir, { recursive: true, force: true });
  });

  async function signIn(token: string, name: string): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: name }).waitFor();
    return page;
  }

  it('an agent says which entry answered the question; an admin approves it from the list', async () => {
    const agent = await app.createAgent('Alice');
    const admin = await app.createAgent('Olga', 'admin');
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

    const page = await signIn(agent.token, 'Alice');
    await page.getByRole('button', { name: 'Mine' }).click();
    await page.locator(`#list li[data-id="${conv.id}"]`).click();
    await page.locator('#faq-link').waitFor();
    expect(await page.locator('#faq-new-question').inputValue()).toBe(question);
    expect(await page.locator('#faq-new-answer').inputValue()).toBe('You can return it within 30 days.');
    expect(await page.locator('#faq-admin').isHidden()).toBe(true);
    await page.locator('#faq-entry').fill('returns-policy');
    await page.getByRole('button', { name: 'Link to entry' }).click();
    await page.locator('#notice', { hasText: 'Suggestion sent' }).waitFor();

    const adminPage = await signIn(admin.token, 'Olga');
    await adminPage.locator('#faq-admin summary').click();
    const item = adminPage.locator('#faq-suggestions li', { hasText: question });
    await item.getByRole('button', { name: 'Approve' }).click();
    await adminPage.locator('#notice', { hasText: 'Approved' }).waitFor();
    await adminPage.locator('#faq-suggestions li.approved', { hasText: question }).waitFor();
    expect(await readFile(join(faqDir, 'en', 'returns-policy.md'), 'utf8')).toContain(`  - ${question}\n`);
  });
});
