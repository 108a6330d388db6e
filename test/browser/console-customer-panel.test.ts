import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually } from '../support/app.js';
import { telegramHarness, type TelegramAppHarness } from '../channels/telegram.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { answeredAndRated, handedOff, screenshot, signIn, telegramAnswered } from './console-helpers-reports.js';

/**
 * The customer panel, reached through the route #/customer/<id> (the profile alone; the
 * conversation view mounts the same panel beside a conversation). One person wrote on web chat
 * and on Telegram: two customers until an agent merges them from the panel.
 */
describe.skipIf(chromiumMissing)(browserSuite('console customer panel in a real browser'), () => {
  let h: TelegramAppHarness;
  let app: Running;
  let browser: Browser;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };
  let web: Awaited<ReturnType<typeof handedOff>>;
  let tg: { conversationId: string; customerId: string };

  beforeAll(async () => {
    [h, browser] = await Promise.all([telegramHarness(), launchChromium()]);
    app = h.app;
    admin = await app.createAgent('Olga Ops', 'admin');
    agent = await app.createAgent('Ann Agent');
    web = await handedOff(app, 'My invoice is wrong');
    await api(app, agent.token, 'POST', `/api/conversations/${web.conversationId}/labels`, { label: 'billing' });
    await answeredAndRated(app, agent.token, web, 5);
    tg = await telegramAnswered(h, { id: 8201, first_name: 'Tessa' });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const panel = (page: Page) => page.locator('.cust-panel');

  async function openPanel(page: Page, customerId: string): Promise<void> {
    await page.goto(`${app.url}/console#/customer/${customerId}`);
    await page.locator(`.cust-panel[data-customer-id="${customerId}"] .cust-convs`).waitFor();
  }

  it('shows identities, past conversations, labels and CSAT; renames; merges the Telegram customer in; opens a conversation', async () => {
    const page = await signIn(browser, app, admin.token);
    await openPanel(page, web.customerId);
    const p = panel(page);
    expect(await p.locator('.cust-identity').count()).toBe(1);
    expect(await p.locator('.cust-identity[data-channel="webchat"]').textContent()).toContain('Web chat');
    const row = p.locator(`.cust-conv[data-id="${web.conversationId}"]`);
    expect(await row.textContent()).toMatch(/closed|resolved/);
    expect(await p.locator('.cust-label-chip').allTextContents()).toEqual(['billing']);
    expect(await p.locator('.cust-csat-row').getAttribute('data-score')).toBe('5');
    expect(await p.locator('.cust-csat-row').textContent()).toContain('5 of 5');
    expect(await page.locator('[style]').count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'customer', 'panel');

    // Renamed from the panel; the API has the name.
    await p.getByRole('button', { name: 'Edit name' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Wendy Web');
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await p.locator('.cust-name', { hasText: 'Wendy Web' }).waitFor();
    expect((await api(app, admin.token, 'GET', `/api/customers/${web.customerId}`)).body.customer.displayName).toBe('Wendy Web');

    // An admin sets the tier from the panel.
    await page.getByLabel('Tier').selectOption('vip');
    await eventually(
      async () => (await api(app, admin.token, 'GET', `/api/customers/${web.customerId}`)).body.customer.tier === 'vip' || undefined,
      5000,
      'tier saved',
    );

    // Merge: find the Telegram customer, confirm in the dialog that says what merging does.
    await p.locator('.cust-merge summary').click();
    await page.getByLabel('Find a customer').fill('Tessa');
    const hit = p.locator(`.cust-merge-hit[data-id="${tg.customerId}"]`);
    await hit.getByRole('button', { name: 'Merge Tessa into this customer' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.locator('h2').textContent()).toBe('Merge Tessa into Wendy Web?');
    expect(await dialog.textContent()).toMatch(/Every channel and conversation of Tessa moves to Wendy Web/);
    await screenshot(page, 'customer', 'merge-dialog');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await p.locator('.cust-identity[data-channel="telegram"]').waitFor();
    expect(await p.locator('.cust-identity').count()).toBe(2);
    expect(await p.locator('.cust-conv').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.channel).sort())).toEqual([
      'telegram',
      'webchat',
    ]);
    const merged = (await api(app, admin.token, 'GET', `/api/customers/${web.customerId}`)).body;
    expect(merged.customer.identities.map((i: { channel: string }) => i.channel).sort()).toEqual(['telegram', 'webchat']);
    expect((await api(app, admin.token, 'GET', `/api/customers/${tg.customerId}`)).body.customer.mergedInto).toBe(web.customerId);
    const found = (await api(app, admin.token, 'GET', '/api/customers?q=Tessa')).body.items.map((c: { id: string }) => c.id);
    expect(found).not.toContain(tg.customerId);

    // The Telegram identity came from a merge: it can be split back out (offered, not done here).
    expect(await p.locator('.cust-identity[data-channel="telegram"] button').getAttribute('aria-label')).toMatch(/^Split .* on Telegram/);
    expect(await p.locator('.cust-identity[data-channel="webchat"] button').count()).toBe(0);

    // A change made elsewhere shows without a reload (the live stream's 'customer' event).
    await api(app, admin.token, 'PATCH', `/api/customers/${web.customerId}`, { notes: 'Prefers email' });
    await eventually(async () => (await page.locator('#cust-notes').inputValue()) === 'Prefers email' || undefined, 5000, 'notes live');

    // Notes being typed survive a refresh brought by someone else's change.
    await page.locator('#cust-notes').fill('Draft, not saved yet');
    await api(app, admin.token, 'PATCH', `/api/customers/${web.customerId}`, { displayName: 'Wendy W.' });
    await p.locator('.cust-name', { hasText: 'Wendy W.' }).waitFor();
    expect(await page.locator('#cust-notes').inputValue()).toBe('Draft, not saved yet');

    // In a 320 px side column (as beside a conversation) nothing sticks out.
    await page.evaluate(() => (document.getElementById('view')!.style.width = '320px'));
    const fit = await p.evaluate((el) => ({ scroll: el.scrollWidth, width: el.getBoundingClientRect().width }));
    expect(fit.width).toBeLessThanOrEqual(320);
    expect(fit.scroll).toBeLessThanOrEqual(Math.ceil(fit.width));
    await screenshot(page, 'customer', 'merged-320col');

    // Keyboard: the conversation link is reachable and opens #/c/<id> through navigate.
    const link = p.locator(`.cust-conv[data-id="${tg.conversationId}"] a`);
    await link.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => (await page.evaluate(() => location.hash)) === `#/c/${tg.conversationId}` || undefined, 5000, 'hash');
    await page.context().close();
  });

  it('splits the merged identity back out after confirming', async () => {
    const page = await signIn(browser, app, agent.token);
    await openPanel(page, web.customerId);
    const p = panel(page);
    // Not an admin: the tier is shown, not editable.
    expect(await page.locator('#cust-tier').count()).toBe(0);
    await p.locator('.cust-identity[data-channel="telegram"] button').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Split out' }).click();
    await eventually(async () => (await p.locator('.cust-identity').count()) === 1 || undefined, 5000, 'split');
    expect((await api(app, agent.token, 'GET', `/api/customers/${tg.customerId}`)).body.customer.mergedInto).toBe(null);
    await page.context().close();
  });

  it('is in Chinese for a Chinese browser and fits 375 px', async () => {
    for (const [locale, width] of [
      ['zh-CN', 375],
      ['en', 375],
      ['zh-CN', 1366],
    ] as const) {
      const page = await signIn(browser, app, admin.token, { locale, viewport: { width, height: width > 800 ? 768 : 740 } });
      await openPanel(page, web.customerId);
      const p = panel(page);
      if (locale === 'zh-CN') {
        expect(await p.locator('.cust-h').allTextContents()).toEqual(expect.arrayContaining(['渠道', '会话', '满意度', '标签']));
        expect(await p.locator('.cust-merge summary').textContent()).toBe('与其他客户合并');
        expect(await p.getByRole('button', { name: '编辑姓名' }).count()).toBe(1);
      }
      if (width === 375) {
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await expectNoSeriousA11yViolations(page);
      }
      await screenshot(page, 'customer', 'panel');
      await page.context().close();
    }
  });
});
