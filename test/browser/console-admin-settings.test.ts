import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectNoPageOverflow, openAdmin, shot } from './console-helpers-admin.js';

describe.skipIf(chromiumMissing)(browserSuite('/console admin: teams, routing rules, canned responses, business hours and SLA'), () => {
  let app: Running;
  let browser: Browser;
  let admin: { id: string; token: string };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    admin = await app.createAgent('Olga', 'admin');
    await app.createAgent('Alice');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('creates a team with a member, renames it, and deletes another after confirming', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'teams');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('.admin-field-error', { hasText: 'required' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Billing & Refunds');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('#notice', { hasText: 'Team Billing & Refunds created.' }).waitFor();
    // The same name again: the API's 409 is shown by the form.
    await page.getByLabel('Name', { exact: true }).fill('Billing & Refunds');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('.admin-error', { hasText: 'exists' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Temp');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('cell', { name: 'Temp', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit Billing & Refunds' }).click();
    const edit = page.locator('.admin-panel', { has: page.getByRole('heading', { name: 'Edit team Billing & Refunds' }) });
    await edit.getByLabel('Name', { exact: true }).fill('Billing');
    await edit.getByLabel('Alice').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('#notice', { hasText: 'Saved.' }).waitFor();
    await page.locator('.admin-table tr', { hasText: 'Billing' }).locator('td', { hasText: 'Alice' }).waitFor();
    const agents = (await api(app, admin.token, 'GET', '/api/agents')).body.items;
    expect(agents.find((a: { name: string }) => a.name === 'Alice').teams).toEqual(['billing-refunds']);
    const teams = (await api(app, admin.token, 'GET', '/api/teams')).body.items;
    expect(teams.map((x: { name: string }) => x.name).sort()).toEqual(['Billing', 'Temp']);

    const temp = page.locator('.admin-table tbody tr', { hasText: 'Temp' });
    await temp.getByRole('button', { name: 'Delete' }).click();
    await temp.getByRole('button', { name: 'Cancel' }).click();
    expect((await api(app, admin.token, 'GET', '/api/teams')).body.items).toHaveLength(2);
    await temp.getByRole('button', { name: 'Delete' }).click();
    await temp.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('#notice', { hasText: 'Deleted.' }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/teams')).body.items.map((x: { id: string }) => x.id)).toEqual(['billing-refunds']);
    await shot(page, 'teams');
    await close();
  });

  it('creates a routing rule (a bad regex is refused beside the field) and deletes one', async () => {
    await api(app, admin.token, 'POST', '/api/teams', { name: 'Sales' });
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'routing');
    await page.getByLabel('Match by').selectOption('regex');
    await page.getByLabel('Match', { exact: true }).fill('(a+)+');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.locator('.admin-field-error', { hasText: /^match: / }).waitFor();

    await page.getByLabel('Match by').selectOption('keywords');
    await page.getByLabel('Match', { exact: true }).fill('refund, 退款');
    await page.locator('#view').getByLabel('Team', { exact: true }).selectOption({ label: 'Sales' });
    await page.locator('#view').getByLabel('Channel').selectOption('email');
    await page.getByLabel('Raise priority to').selectOption('high');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.locator('#notice', { hasText: 'Routing rule created.' }).waitFor();
    await page.locator('.admin-table td', { hasText: 'refund, 退款' }).waitFor();
    const rules = (await api(app, admin.token, 'GET', '/api/routing-rules')).body.items;
    expect(rules).toMatchObject([{ match: { keywords: ['refund', '退款'] }, channel: 'email', team: 'sales', priority: 'high' }]);

    await expectNoSeriousA11yViolations(page);
    await shot(page, 'routing');
    // By keyboard: Enter on Delete asks, the focus moves to the confirmation, Enter deletes.
    const row = page.locator('.admin-table tbody tr', { hasText: 'refund' });
    await row.getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete');
    await page.keyboard.press('Enter');
    await page.locator('.admin-empty', { hasText: 'No routing rules' }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/routing-rules')).body.items).toEqual([]);
    await close();
  });

  it('creates, edits and deletes a canned response with a placeholder, for a team', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'canned');
    const create = page.locator('.admin-panel', { has: page.getByRole('heading', { name: 'New canned response' }) });
    await create.getByLabel('Shortcut').fill('two words');
    await create.getByLabel('Text', { exact: true }).fill('Hello ');
    await create.getByRole('button', { name: 'Insert {{customer.name}}' }).click();
    expect(await create.getByLabel('Text', { exact: true }).inputValue()).toBe('Hello {{customer.name}}');
    await create.getByRole('button', { name: 'Create response' }).click();
    await create.locator('.admin-field-error', { hasText: /^shortcut: / }).waitFor();

    await create.getByLabel('Shortcut').fill('hello');
    await create.getByLabel('Language').selectOption('en');
    await create.getByLabel('For').selectOption({ label: 'Sales' });
    await create.getByRole('button', { name: 'Create response' }).click();
    await page.locator('#notice', { hasText: 'Canned response /hello created.' }).waitFor();
    await page.locator('.admin-table tr', { hasText: '/hello' }).locator('td', { hasText: 'Sales' }).waitFor();
    let listed = (await api(app, admin.token, 'GET', '/api/canned?teamId=sales')).body.items;
    expect(listed).toMatchObject([{ shortcut: 'hello', text: 'Hello {{customer.name}}', locale: 'en', teamId: 'sales' }]);

    await page.getByRole('button', { name: 'Edit /hello' }).click();
    const edit = page.locator('.admin-panel', { has: page.getByRole('heading', { name: 'Edit /hello' }) });
    await edit.getByLabel('Text', { exact: true }).fill('Hi {{customer.name}}, this is {{agent.name}}.');
    await edit.getByLabel('For').selectOption('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('.admin-table td', { hasText: 'this is {{agent.name}}' }).waitFor();
    listed = (await api(app, admin.token, 'GET', '/api/canned?teamId=')).body.items;
    expect(listed).toMatchObject([{ shortcut: 'hello', text: 'Hi {{customer.name}}, this is {{agent.name}}.', teamId: null }]);
    await shot(page, 'canned');

    const row = page.locator('.admin-table tbody tr', { hasText: '/hello' });
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('.admin-empty', { hasText: 'No canned responses' }).waitFor();
    await close();
  });

  it('edits business hours, holidays and SLA targets; the API returns them; a bad zone is refused', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'sla');
    await page.getByLabel('Open around the clock').uncheck();
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await page.getByLabel(day).fill('09:00-12:00, 13:00-18:00');
    await page.getByLabel('Saturday').fill('10:00 - 14:00');
    await page.getByLabel('Add a holiday').fill('2026-10-01');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByLabel('First response target for Urgent, minutes').fill('10');
    await page.getByLabel('Resolution target for Urgent, minutes').fill('120');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.admin-field-error', { hasText: /^timeZone: / }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/settings/sla')).body.source).toBe('environment');

    await page.getByLabel('Time zone').fill('Asia/Shanghai');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#notice', { hasText: 'Saved.' }).waitFor();
    const { body } = await api(app, admin.token, 'GET', '/api/settings/sla');
    expect(body.source).toBe('database');
    expect(body.settings).toMatchObject({
      timeZone: 'Asia/Shanghai',
      holidays: ['2026-10-01'],
      targets: { urgent: { firstResponseMinutes: 10, resolutionMinutes: 120 }, low: { firstResponseMinutes: 480 } },
    });
    expect(body.settings.businessHours).toBe(
      'mon 09:00-12:00,13:00-18:00; tue 09:00-12:00,13:00-18:00; wed 09:00-12:00,13:00-18:00; thu 09:00-12:00,13:00-18:00; fri 09:00-12:00,13:00-18:00; sat 10:00-14:00',
    );

    // Read back into the form after a reload, in the same shape it was written.
    await page.reload();
    await page.getByLabel('Time zone').waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Shanghai');
    expect(await page.getByLabel('Wednesday').inputValue()).toBe('09:00-12:00, 13:00-18:00');
    expect(await page.getByLabel('Sunday').inputValue()).toBe('');
    expect(await page.getByLabel('First response target for Urgent, minutes').inputValue()).toBe('10');
    await page.locator('.admin-chip', { hasText: '2026' }).waitFor();

    // A resolution target shorter than the first response: refused, nothing saved.
    await page.getByLabel('Resolution target for High, minutes').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.admin-field-error', { hasText: /^targets/ }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/settings/sla')).body.settings.targets.high.resolutionMinutes).toBe(480);

    await expectNoSeriousA11yViolations(page);
    await shot(page, 'sla');
    await close();
  });

  it('the SLA and canned pages in Chinese at 375 px stay inside the screen', async () => {
    for (const section of ['sla', 'canned', 'routing', 'teams']) {
      const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', section, { locale: 'zh', width: 375 });
      await page.locator('#view form').first().waitFor();
      await expectNoPageOverflow(page);
      await shot(page, section, 'zh');
      if (section === 'canned') await expectNoSeriousA11yViolations(page);
      if (section === 'sla') {
        await page.getByRole('heading', { name: '营业时间与 SLA 目标' }).waitFor();
        await page.getByLabel('星期一').waitFor();
      }
      await close();
    }
  });
});
