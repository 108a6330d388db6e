import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { answering, llmEnv } from '../support/ai-agent.js';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectNoPageOverflow, openAdmin, shot } from './console-helpers-admin.js';
import { signedIn } from './console-helpers-shell.js';

describe.skipIf(chromiumMissing)(browserSuite('/console admin: AI agent mode, and automatic answers in a conversation'), () => {
  let app: Running;
  let browser: Browser;
  let llm: FakeAnthropic;
  let admin: { id: string; token: string };
  let alice: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    [app, browser] = await Promise.all([startApp(llmEnv(llm, writeKb(closeEntriesKb))), launchChromium()]);
    admin = await app.createAgent('Olga', 'admin');
    alice = await app.createAgent('Alice');
    await api(app, admin.token, 'POST', '/api/teams', { name: 'Billing' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await llm?.close();
  });

  it('turns the mode on by keyboard for one channel and team with a cap; a bad cap is refused beside the field', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'ai-agent');
    await page.locator('.admin-hint strong', { hasText: 'Off' }).waitFor();
    await page.getByText('Never changed: off by default.').waitFor();
    const on = page.getByLabel('Answer customers automatically');
    expect(await on.isChecked()).toBe(false);
    await on.focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Web chat').check();
    await page.getByLabel('Billing').check();
    const cap = page.getByLabel('Most automatic answers per conversation');
    await cap.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.admin-field-error', { hasText: 'must be a whole number from 1 to 20' }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/settings/ai-agent')).body.enabled).toBe(false);
    await cap.fill('2');
    await cap.press('Enter');
    await page.locator('#notice', { hasText: 'Saved.' }).waitFor();
    await page.locator('.admin-hint strong', { hasText: 'On' }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/settings/ai-agent')).body).toMatchObject({
      enabled: true,
      channels: ['webchat'],
      teams: ['billing'],
      maxAnswersPerConversation: 2,
    });
    await expectNoSeriousA11yViolations(page);
    await shot(page, 'ai-agent');
    await close();
  });

  it('refuses an agent politely', async () => {
    const { page, close } = await openAdmin(app, browser, alice.token, 'Alice', 'ai-agent');
    await page.locator('.admin-refused').waitFor();
    await close();
  });

  it('in Chinese at 375 px stays inside the screen', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'ai-agent', { locale: 'zh', width: 375 });
    await page.getByLabel('自动回复客户').waitFor();
    await page.getByLabel('每个对话最多自动回复次数').waitFor();
    await expectNoPageOverflow(page);
    await shot(page, 'ai-agent', 'zh');
    await close();
  });

  it('shows an automatic answer tagged "automatic" and the decision lines in the history', async () => {
    await api(app, admin.token, 'PUT', '/api/settings/ai-agent', { enabled: true, maxAnswersPerConversation: 1 });
    llm.reply = answering('Gift cards never expire.');
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('gift card');
    await eventually(async () => (await customer.history()).items.length === 2, 8_000, 'automatic answer');
    await customer.say('gift card again');
    await eventually(async () => (await customer.history()).items.length === 4, 8_000, 'hand-off at the cap');
    const conv = (await app.store.read((r) => r.conversations.latestForThread('webchat', customer.sessionId)))!;
    const page = await signedIn(browser, app.url, admin.token, 'Olga');
    await page.goto(`${app.url}/console#/c/${conv.id}`);
    const view = page.locator('#view');
    const auto = view.locator('.conv-msg', { has: page.locator('.conv-automatic') });
    await auto.first().waitFor();
    expect(await auto.count()).toBe(1);
    expect(await auto.locator('.conv-text').innerText()).toContain('Gift cards never expire.');
    await view.locator('.conv-sys-ai_agent', { hasText: 'AI agent answered automatically' }).waitFor();
    await view.locator('.conv-sys-ai_agent', { hasText: 'AI agent did not answer: the automatic-answer limit' }).waitFor();
    await page.context().close();
  });
});
