import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/main.js';
import { api, startApp, tempDir } from '../support/app.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { shopSite } from './shop-site.js';
import { openAdmin } from './console-helpers-admin.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const RULE = {
  pattern: '/products/*',
  minSeconds: 2,
  minVisits: 1,
  message: { en: 'Questions about this product? We are here.', zh: '对这件商品有疑问吗？我们在这里。' },
};

describe.skipIf(chromiumMissing)(browserSuite('proactive chat invitations in a real browser'), () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopSite>>;
  let shopUrl: string;
  let admin: { token: string };
  let agent: { token: string };

  beforeAll(async () => {
    dir = await tempDir();
    shop = await shopSite(() => app.url);
    shopUrl = `http://localhost:${shop.port}`;
    [app, browser] = await Promise.all([startApp({ WIDGET_ORIGINS: shopUrl, WIDGET_NAME: 'Acme Shop' }, dir.path), launchChromium()]);
    admin = await app.createAgent('Ada', 'admin');
    agent = await app.createAgent('Bo');
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([dir?.rm(), new Promise((r) => shop?.server.close(r))]);
  });

  const invitation = (page: Page) => page.locator('[data-switchboard-widget] .invite');
  const chat = (page: Page) => page.frameLocator('[data-switchboard-widget] iframe');
  async function visit(opts: { locale?: string; width?: number } = {}) {
    const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: opts.width ?? 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    return { context, page: await context.newPage() };
  }

  it('admins manage the rules: a bad rule is 400, an agent is 403, and widget.js gets only enabled rules, nothing else', async () => {
    expect((await api(app, agent.token, 'POST', '/api/invite-rules', RULE)).status).toBe(403);
    expect((await api(app, agent.token, 'GET', '/api/invite-rules')).status).toBe(403);
    for (const bad of [
      { ...RULE, pattern: '' },
      { ...RULE, pattern: 'x'.repeat(301) },
      { ...RULE, pattern: 'has space' },
      { ...RULE, minSeconds: -1 },
      { ...RULE, message: { en: 'only English' } },
      { ...RULE, extra: true },
    ]) {
      const res = await api(app, admin.token, 'POST', '/api/invite-rules', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const off = await api(app, admin.token, 'POST', '/api/invite-rules', { ...RULE, pattern: '/off', enabled: false });
    expect(off.status).toBe(201);
    const created = await api(app, admin.token, 'POST', '/api/invite-rules', RULE);
    expect(created).toMatchObject({ status: 201, body: { rule: { ...RULE, enabled: true, id: expect.any(String) } } });
    const plain = await api(app, admin.token, 'POST', '/api/invite-rules', { ...RULE, pattern: '/plain', minSeconds: 1 });
    const listed = await api(app, admin.token, 'GET', '/api/invite-rules');
    expect(listed.body.items.map((r: { pattern: string }) => r.pattern)).toEqual(['/off', '/products/*', '/plain']);
    const pub = await (await fetch(`${app.url}/webchat/invite-rules`)).json();
    expect(pub).toEqual({
      rules: [
        { id: created.body.rule.id, ...RULE },
        { id: plain.body.rule.id, ...RULE, pattern: '/plain', minSeconds: 1 },
      ],
    });
    expect((await api(app, admin.token, 'DELETE', `/api/invite-rules/${off.body.rule.id}`)).status).toBe(204);
    expect((await api(app, admin.token, 'DELETE', `/api/invite-rules/${off.body.rule.id}`)).status).toBe(404);
  });

  it('a rule with 2 s on the page fires with its message; dismissed, it is not shown again on that visit', async () => {
    const { context, page } = await visit();
    await page.goto(`${shopUrl}/products/shoes`);
    await page.locator('[data-switchboard-widget] button.bubble').waitFor();
    await page.waitForTimeout(800);
    expect(await invitation(page).isVisible()).toBe(false);
    await invitation(page).waitFor({ timeout: 5000 });
    expect(await invitation(page).locator('.invite-text').textContent()).toBe(RULE.message.en);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-invite-1366.png') });
    await page.setViewportSize({ width: 375, height: 700 });
    await page.screenshot({ path: join(ARTIFACTS, 'widget-invite-375.png') });
    await invitation(page).locator('.invite-close').click();
    expect(await invitation(page).isVisible()).toBe(false);
    // Another page of the same visit (the same tab): no invitation again.
    await page.goto(`${shopUrl}/products/hats`);
    await page.locator('[data-switchboard-widget] button.bubble').waitFor();
    await page.waitForTimeout(3000);
    expect(await invitation(page).isVisible()).toBe(false);
    // The dismissal reached the server too: agents cannot invite them on this visit.
    const visitorId = (await page.evaluate(() => ({ ...localStorage })))[`switchboard.widget.visitor:${app.url}`]!;
    expect((await api(app, agent.token, 'POST', `/api/visitors/${visitorId}/invite`, {})).status).toBe(409);
    await context.close();
  });

  it('clicking the invitation opens the chat with its message as the greeting; a zh-CN browser gets the Chinese text', async () => {
    // `/plain` names no language, so the browser's decides (its rule is made in the first test).
    const { context, page } = await visit({ locale: 'zh-CN' });
    await page.goto(`${shopUrl}/plain`);
    await invitation(page).waitFor({ timeout: 6000 });
    expect(await invitation(page).locator('.invite-text').textContent()).toBe(RULE.message.zh);
    expect(await invitation(page).locator('.invite-close').getAttribute('aria-label')).toBe('不用了');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-invite-zh-1366.png') });
    await invitation(page).locator('.invite-text').click();
    await chat(page).locator('.msg.out', { hasText: RULE.message.zh }).waitFor();
    expect(await chat(page).locator('.msg').count()).toBe(1);
    expect(await invitation(page).isVisible()).toBe(false);
    await context.close();
  });

  it('an agent invites a visitor by hand: it reaches their open widget with the next heartbeat; a gone visitor is 404', async () => {
    expect((await api(app, agent.token, 'POST', '/api/visitors/nosuchvisitor0000000/invite', {})).status).toBe(404);
    const { context, page } = await visit();
    await page.goto(`${shopUrl}/about`);
    await page.locator('[data-switchboard-widget] button.bubble').waitFor();
    const visitorId = await page
      .waitForFunction((k) => localStorage.getItem(k), `switchboard.widget.visitor:${app.url}`)
      .then((h) => h.jsonValue());
    expect(
      (await api(app, agent.token, 'POST', `/api/visitors/${visitorId}/invite`, { text: 'Need a hand finding something?' })).status,
    ).toBe(202);
    expect((await api(app, agent.token, 'POST', `/api/visitors/${visitorId}/invite`, { text: 'x'.repeat(301) })).status).toBe(400);
    // widget.js pings every 30 s; the answer to the next one carries the invitation.
    await invitation(page).waitFor({ timeout: 40_000 });
    expect(await invitation(page).locator('.invite-text').textContent()).toBe('Need a hand finding something?');
    await context.close();
  }, 60_000);

  it('the admin console lists, adds and deletes rules at #/admin/invitations, in English and Chinese', async () => {
    expect((await api(app, admin.token, 'POST', '/api/invite-rules', { ...RULE, pattern: '/welcome', enabled: false })).status).toBe(201);
    const opened = await openAdmin(app, browser, admin.token, 'Ada', 'invitations');
    const { page } = opened;
    await page.locator('#view table', { hasText: '/welcome' }).waitFor();
    await page.locator('input[name=pattern]').fill('/sale');
    await page.locator('textarea[name=en]').fill('Sale questions?');
    await page.locator('textarea[name=zh]').fill('有促销问题吗？');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('#view table code', { hasText: '/sale' }).waitFor();
    const rules = (await api(app, admin.token, 'GET', '/api/invite-rules')).body.items as { pattern: string; minSeconds: number }[];
    expect(rules.find((r) => r.pattern === '/sale')).toMatchObject({ minSeconds: 10 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-admin-invitations-1366-en.png') });
    await opened.close();
    const zh = await openAdmin(app, browser, admin.token, 'Ada', 'invitations', { locale: 'zh', width: 375 });
    await zh.page.locator('#view h2', { hasText: '邀请规则' }).waitFor();
    await zh.page.screenshot({ path: join(ARTIFACTS, 'console-admin-invitations-375-zh.png'), fullPage: true });
    await zh.close();
  });
});
