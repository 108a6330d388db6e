import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { verify, webhookReceiver } from '../support/webhook-receiver.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { EVENT_TYPES as SERVER_EVENT_TYPES } from '../../src/domain/events.js';
import { CANNED_PLACEHOLDERS as SERVER_PLACEHOLDERS } from '../../src/domain/canned.js';
import { CANNED_PLACEHOLDERS, EVENT_TYPES } from '../../web/console/admin/types.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectNoPageOverflow, openAdmin, shot } from './console-helpers-admin.js';

describe('the admin pages repeat the server lists they offer', () => {
  it('every webhook event type and every canned placeholder, no more', () => {
    expect([...EVENT_TYPES]).toEqual(SERVER_EVENT_TYPES);
    expect([...CANNED_PLACEHOLDERS]).toEqual([...SERVER_PLACEHOLDERS]);
  });
});

describe.skipIf(chromiumMissing)(browserSuite('/console admin: webhooks'), () => {
  let app: Running;
  let browser: Browser;
  let admin: { id: string; token: string };
  let rx: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    [app, browser, rx] = await Promise.all([startApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }), launchChromium(), webhookReceiver()]);
    admin = await app.createAgent('Olga', 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await rx?.close();
  });

  it('creates a webhook and shows its secret once; the secret signs deliveries, which the page lists; rotate and delete', async () => {
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'webhooks');
    await page.getByLabel('URL', { exact: true }).fill('ftp://example.com/x');
    await page.getByLabel('message', { exact: true }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('.admin-field-error', { hasText: /^url: / }).waitFor();

    await page.getByLabel('URL', { exact: true }).fill(rx.url);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secretField = page.getByRole('textbox', { name: `Signing secret for ${rx.url}` });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.locator('.admin-once', { hasText: 'will not be shown again' }).waitFor();
    const hooks = (await api(app, admin.token, 'GET', '/api/webhooks')).body.items;
    expect(hooks).toMatchObject([{ url: rx.url, events: ['message'] }]);

    const customer = await WebchatCustomer.open(app.url);
    await customer.say('Hello from the webhook test');
    const got = await eventually(() => rx.received.find((r) => r.body.type === 'message'), 10_000, 'a delivery');
    expect(verify(secret, got.raw, String(got.headers['x-switchboard-signature']))).toBe(true);

    await page.reload();
    await page.locator('.admin-table td', { hasText: rx.url }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('button', { name: `Deliveries to ${rx.url}` }).click();
    await page.locator('.admin-delivery-delivered').first().waitFor();

    const row = page.locator('.admin-list .admin-table tbody tr', { hasText: rx.url });
    await row.getByRole('button', { name: 'Rotate secret' }).click();
    await row.getByRole('button', { name: 'Yes, rotate' }).click();
    const rotated = await page.getByRole('textbox', { name: `Signing secret for ${rx.url}` }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);

    await expectNoSeriousA11yViolations(page);
    await shot(page, 'webhooks');

    await page.locator('.admin-list .admin-table tbody tr', { hasText: rx.url }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('.admin-empty', { hasText: 'No webhooks yet.' }).waitFor();
    expect((await api(app, admin.token, 'GET', '/api/webhooks')).body.items).toEqual([]);
    await close();
  });

  it('at 375 px in Chinese the webhook form and list fit the screen', async () => {
    await api(app, admin.token, 'POST', '/api/webhooks', { url: rx.url + '/a-rather-long-path/that/goes/on?and=on', events: '*' });
    const { page, close } = await openAdmin(app, browser, admin.token, 'Olga', 'webhooks', { locale: 'zh', width: 375 });
    await page.getByRole('button', { name: '创建 Webhook' }).waitFor();
    await page.locator('.admin-table td', { hasText: '所有事件' }).waitFor();
    await expectNoPageOverflow(page);
    await shot(page, 'webhooks', 'zh');
    await close();
  });
});
