import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectNoPageOverflow, openAdmin, shot } from './console-helpers-admin.js';

describe.skipIf(chromiumMissing)(browserSuite('/console admin: agents and their tokens'), () => {
  let app: Running;
  let browser: Browser;
  let admin: { id: string; token: string };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    admin = await app.createAgent('Olga', 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('an admin creates an agent, sees the token once, it signs in; revoking it makes the API refuse it', async () => {
    await api(app, admin.token, 'POST', '/api/teams', { name: 'Billing' });
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'agents');

    // A bad name comes back from the API and is shown beside the field.
    await page.getByLabel('Name', { exact: true }).fill('x'.repeat(101));
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.locator('.admin-field-error', { hasText: /^name: / }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Name', { exact: true }).fill('Wei');
    await page.getByLabel('Role', { exact: true }).first().selectOption('agent');
    await page.getByRole('button', { name: 'Create agent' }).click();
    const tokenField = page.getByRole('textbox', { name: 'Token for Wei' });
    await tokenField.waitFor();
    const token = await tokenField.inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.locator('.admin-once', { hasText: 'will not be shown again' }).waitFor();
    await page.locator('.admin-table td', { hasText: 'Wei' }).first().waitFor();

    const me = await api(app, token, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('Wei');

    // Shown once: after a reload the secret is nowhere on the page.
    await page.reload();
    await page.locator('.admin-table td', { hasText: 'Wei' }).first().waitFor();
    expect(await page.content()).not.toContain(token);

    // Edit: admin role off stays, capacity and team saved through the API.
    await page.getByRole('button', { name: 'Manage Wei' }).click();
    const panel = page.locator('.admin-panel', { has: page.getByRole('heading', { name: 'Wei', exact: true }) });
    await panel.getByLabel('Capacity').fill('3');
    await panel.getByLabel('Billing').check();
    await panel.getByRole('button', { name: 'Save' }).click();
    await page.locator('#notice', { hasText: 'Saved.' }).waitFor();
    const listed = (await api(app, admin.token, 'GET', '/api/agents')).body.items.find((a: { name: string }) => a.name === 'Wei');
    expect(listed).toMatchObject({ capacity: 3, teams: ['billing'], role: 'agent' });

    // A capacity the API refuses shows its message beside the field.
    await panel.getByLabel('Capacity').fill('5000');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.locator('.admin-field-error', { hasText: /^capacity: / }).waitFor();

    // Issue a second token, then revoke the first.
    await panel.getByLabel('Label').fill('laptop');
    await panel.getByRole('button', { name: 'Issue a new token' }).click();
    const second = await panel.getByRole('textbox', { name: 'Token for Wei' }).inputValue();
    expect(second).not.toBe(token);
    expect((await api(app, second, 'GET', '/api/me')).status).toBe(200);
    const rows = panel.locator('.admin-tokens tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const first = rows.filter({ hasNot: page.locator('td', { hasText: 'laptop' }) });
    await first.getByRole('button', { name: 'Revoke' }).click();
    await first.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.locator('#notice', { hasText: 'Token revoked.' }).waitFor();
    await panel.locator('.admin-state-revoked').waitFor();

    const refused = await api(app, token, 'GET', '/api/me');
    expect(refused.status).toBe(401);
    expect((await api(app, second, 'GET', '/api/me')).status).toBe(200);

    await expectNoSeriousA11yViolations(page);
    await shot(page, 'agents');
    await close();
  });

  it('a non-admin sees no admin navigation, and an admin route refuses politely', async () => {
    const agent = await app.createAgent('Alice');
    const { page, close } = await openAdmin(app, browser, agent.token, 'Alice', 'agents');
    await page.locator('.admin-refused', { hasText: 'for admins' }).waitFor();
    expect(await page.locator('a[href^="#/admin"]').count()).toBe(0);
    expect(await page.locator('#view table, #view form').count()).toBe(0);
    await close();

    const asAdmin = await openAdmin(app, browser, admin.token, 'Olga', 'teams');
    expect(await asAdmin.page.locator('a[href="#/admin/agents"]').count()).toBeGreaterThan(0);
    // Switching the language relabels the page in place.
    await asAdmin.page.locator('#locale').selectOption('zh');
    await asAdmin.page.getByRole('heading', { name: '新建团队' }).waitFor();
    await asAdmin.page.getByRole('button', { name: '创建团队' }).waitFor();
    await asAdmin.page.locator('#locale').selectOption('en');
    await asAdmin.page.getByRole('heading', { name: 'New team' }).waitFor();
    await asAdmin.close();
  });

  it('in Chinese, at 375 px: Chinese labels, every table inside the screen, still usable', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'agents', { locale: 'zh', width: 375 });
    await page.getByRole('heading', { name: '新建客服' }).waitFor();
    await page.locator('.admin-table td', { hasText: 'Olga' }).first().waitFor();
    expect(await page.getByLabel('名称', { exact: true }).count()).toBe(1);
    await expectNoPageOverflow(page);
    await page.getByLabel('名称', { exact: true }).fill('小王');
    await page.getByRole('button', { name: '创建客服' }).click();
    await page.getByRole('textbox', { name: '小王 的令牌' }).waitFor();
    await page.locator('.admin-once', { hasText: '不会再次显示' }).waitFor();
    await expectNoPageOverflow(page);
    await shot(page, 'agents', 'zh');
    await close();

    const wide = await openAdmin(app, browser, admin.token, 'Olga', 'agents', { width: 375 });
    await wide.page.locator('.admin-table td', { hasText: '小王' }).first().waitFor();
    await expectNoPageOverflow(wide.page);
    await shot(wide.page, 'agents', 'en');
    await wide.close();
  });
});
