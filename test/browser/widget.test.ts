import type { Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { bubble, chat, shopSite } from './shop-site.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(chromiumMissing)(browserSuite('widget.js on a shop’s site in a real browser'), () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let shop: { server: Server; port: number };
  /** Listed in WIDGET_ORIGINS; `localhost` is another site than the app's 127.0.0.1, so the chat frame is third-party. */
  let shopUrl: string;
  /** The same server by another origin, not listed. */
  let strangerUrl: string;

  beforeAll(async () => {
    dir = await tempDir();
    shop = await shopSite(() => app.url);
    shopUrl = `http://localhost:${shop.port}`;
    strangerUrl = `http://127.0.0.1:${shop.port}`;
    [app, browser] = await Promise.all([
      startApp(
        {
          WIDGET_ORIGINS: shopUrl,
          WIDGET_NAME: 'Acme Shop',
          WIDGET_COLOR: '#0f766e',
          WIDGET_GREETING_EN: 'Hi! How can we help you today?',
          WIDGET_GREETING_ZH: '您好！有什么可以帮您？',
        },
        dir.path,
      ),
      launchChromium(),
    ]);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dir?.rm();
    await new Promise((r) => shop?.server.close(r));
  });

  async function ask(frame: FrameLocator, text: string): Promise<void> {
    await frame.locator('#t').fill(text);
    await frame.locator('#t').press('Enter');
    await frame.locator('.msg.in', { hasText: text }).waitFor();
  }

  async function newContext(opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const context = await browser.newContext(opts);
    context.setDefaultTimeout(10_000);
    return context;
  }

  /** Same-origin queries: the shop's page reads its own storage. */
  const hostStorage = (page: Page) => page.evaluate(() => ({ ...localStorage }));

  it('serves widget.js small, minified and loadable from any origin', async () => {
    const res = await fetch(`${app.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const body = await res.text();
    const css = await (await fetch(`${app.url}/widget.css`)).text();
    const gz = gzipSync(body).length;
    const gzCss = gzipSync(css).length;
    console.log(`widget.js: ${body.length} B, ${gz} B gzipped; widget.css: ${css.length} B, ${gzCss} B gzipped`);
    expect(gz + gzCss).toBeLessThan(30 * 1024);
    const config = await fetch(`${app.url}/webchat/config`, { headers: { origin: shopUrl } });
    expect(config.headers.get('access-control-allow-origin')).toBe(shopUrl);
    expect(await config.json()).toEqual({
      name: 'Acme Shop',
      color: '#0f766e',
      position: 'right',
      greeting: { en: 'Hi! How can we help you today?', zh: '您好！有什么可以帮您？' },
      prechat: false,
      draftPreview: false,
    });
  });

  it('a visitor opens the bubble, gets the FAQ answer, sees a reply as unread while closed, and has the history after a reload', async () => {
    const context = await newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${shopUrl}/`);
    await bubble(page).waitFor();
    expect(await bubble(page).getAttribute('aria-label')).toBe('Chat with Acme Shop');
    // Nothing but the bubble before a click: no frame yet.
    expect(await page.locator('[data-switchboard-widget] iframe').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-closed-1366.png') });

    await bubble(page).click();
    const frame = chat(page);
    await frame.locator('.msg.out', { hasText: 'How can we help you today?' }).waitFor();
    expect(await frame.locator('h1').textContent()).toBe('Acme Shop');
    // No agent is online yet: the widget says so and asks for an email, but the bot still answers.
    await frame.locator('#pre-intro', { hasText: 'No one is online right now.' }).waitFor();
    expect(await frame.locator('#sub').textContent()).toBe('Away — we reply when we are back');
    expect(await frame.locator('#t').isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-1366.png') });
    await ask(frame, 'How do I return an item?');
    await frame.locator('.msg.out', { hasText: /return unused items within 30 days/i }).waitFor();
    await expect(frame.locator('.msg.in .time').first().textContent()).resolves.toMatch(/\d/);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-open-1366.png') });
    await expectNoSeriousA11yViolations(page);
    const chatFrame = page.frames().find((f) => f.url().startsWith(`${app.url}/chat`))!;
    await expectNoSeriousA11yViolations(chatFrame as unknown as Page);

    await ask(frame, 'human');
    await frame.locator('.msg.out', { hasText: /a person will reply/i }).waitFor();
    const agent = await app.createAgent('Alice');
    const queued = await eventually(
      async () => (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0],
      10_000,
      'queued conversation',
    );
    await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/claim`);
    // The agent types: the visitor sees it, and it is not a message.
    const typing = await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/typing`);
    expect(typing).toMatchObject({ status: 202, body: { delivered: true } });
    await frame.locator('#sub', { hasText: 'Acme Shop is typing…' }).waitFor();
    const messages = (await api(app, agent.token, 'GET', `/api/conversations/${queued.id}`)).body.messages as unknown[];
    expect(messages).toHaveLength(4);

    await bubble(page).click();
    expect(await bubble(page).getAttribute('aria-expanded')).toBe('false');
    const reply = 'Hi, Alice here: <b>not bold</b>';
    expect((await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: reply })).status).toBe(201);
    const badge = page.locator('[data-switchboard-widget] .badge');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1');
    expect(await bubble(page).getAttribute('aria-label')).toBe('Chat with Acme Shop (1 unread)');

    await page.reload();
    await bubble(page).click();
    const after = chat(page);
    await after.locator('.msg.out', { hasText: reply }).waitFor();
    const texts = await after.locator('.msg').allTextContents();
    // The greeting, then the five messages of the conversation in order.
    const expected = [/How can we help/, /How do I return an item\?/, /30 days/, /^human/, /person will reply/i, /Alice here/];
    expect(texts).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(texts[i]).toMatch(re));
    expect(await after.locator('#log b').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works with the frame’s storage blocked: the session is kept in the shop page’s storage through widget.js', async () => {
    const context = await newContext();
    // What a browser blocking third-party storage does: touching localStorage in the frame throws.
    await context.addInitScript(`
      if (location.origin === ${JSON.stringify(app.url)}) {
        Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
      }
    `);
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);
    await bubble(page).click();
    await ask(chat(page), 'How do I return an item?');
    await chat(page)
      .locator('.msg.out', { hasText: /30 days/ })
      .waitFor();
    const stored = await hostStorage(page);
    const session = JSON.parse(stored[`switchboard.widget:${app.url}`] ?? 'null') as { sessionId: string };
    expect(session.sessionId).toMatch(/\w/);

    await page.goto(`${shopUrl}/another-page`);
    await bubble(page).click();
    await chat(page)
      .locator('.msg.out', { hasText: /30 days/ })
      .waitFor();
    expect(await chat(page).locator('.msg.in').allTextContents()).toEqual([expect.stringContaining('How do I return an item?')]);
    await context.close();
  });

  it('refuses a site not in WIDGET_ORIGINS: no bubble (CORS), and the chat page will not render in its frame (frame-ancestors)', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(`${strangerUrl}/`);
    await eventually(async () => warnings.find((w) => w.includes('WIDGET_ORIGINS')), 5000, 'refusal warning');
    expect(await page.locator('[data-switchboard-widget]').count()).toBe(0);

    await page.goto(`${strangerUrl}/framed`);
    const framed = await eventually(
      async () => page.frames().find((f: Frame) => f !== page.mainFrame() && f.url() !== 'about:blank'),
      5000,
      'frame navigated',
    );
    await page.waitForTimeout(300);
    // A frame refused by frame-ancestors is left on Chromium's error page: the chat's form is not there.
    expect(await framed.locator('#t').count()).toBe(0);
    await context.close();
  });

  it('presence: two visitors browse three pages each; GET /api/visitors shows both, their current page, source and trail', async () => {
    const agent = await app.createAgent('Pat');
    const browse = async (paths: string[], referer?: string) => {
      const context = await newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      for (const [i, path] of paths.entries()) {
        await page.goto(`${shopUrl}${path}`, i === 0 && referer ? { referer } : {});
        await bubble(page).waitFor();
      }
      const id = (await hostStorage(page))[`switchboard.widget.visitor:${app.url}`]!;
      return { context, id };
    };
    const one = await browse(['/shoes', '/shoes/red', '/checkout'], 'https://search.example/?q=red+shoes');
    const two = await browse(['/', '/about', '/contact']);
    const listed = await eventually(
      async () => {
        const res = await api(app, agent.token, 'GET', '/api/visitors');
        const items = res.body.items as { id: string; page: { url: string }; trail: unknown[] }[];
        const mine = [one.id, two.id].map((id) => items.find((v) => v.id === id));
        return mine.every((v) => v && v.trail.length === 3 && /checkout|contact/.test(v.page.url)) ? mine : undefined;
      },
      5000,
      'both visitors with three pages',
    );
    const [v1, v2] = listed as any[];
    expect(v1.page).toMatchObject({ url: `${shopUrl}/checkout`, title: 'Shop /checkout' });
    expect(v1.source).toBe('search.example');
    expect(v1.country).toBe('CN');
    expect(v1.trail.map((p: { url: string }) => new URL(p.url).pathname)).toEqual(['/shoes', '/shoes/red', '/checkout']);
    expect(v2.page.url).toBe(`${shopUrl}/contact`);
    expect(v2.source).toBe('direct');
    expect(v2.trail.map((p: { url: string }) => new URL(p.url).pathname)).toEqual(['/', '/about', '/contact']);
    expect(v1.timeOnSiteSeconds).toBeGreaterThanOrEqual(0);

    // Another site cannot report visitors, and strangers cannot read the list.
    const forged = await fetch(`${app.url}/webchat/presence`, {
      method: 'POST',
      headers: { origin: strangerUrl, 'content-type': 'text/plain' },
      body: JSON.stringify({ visitorId: 'x'.repeat(20), kind: 'view', url: 'https://evil.example/' }),
    });
    expect(forged.status).toBe(403);
    expect((await fetch(`${app.url}/api/visitors`)).status).toBe(401);
    await Promise.all([one.context.close(), two.context.close()]);
  });

  it('speaks Chinese to a zh-CN browser', async () => {
    const context = await newContext({ locale: 'zh-CN', viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${shopUrl}/plain`);
    await bubble(page).waitFor();
    expect(await bubble(page).getAttribute('aria-label')).toBe('与Acme Shop聊天');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-closed-375.png') });
    await bubble(page).click();
    const frame = chat(page);
    await frame.locator('.msg.out', { hasText: '您好！有什么可以帮您？' }).waitFor();
    await frame.locator('#pre-intro', { hasText: '目前没有客服在线' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-375.png') });
    expect(await frame.locator('#send').textContent()).toBe('发送');
    expect(await frame.locator('#close').getAttribute('aria-label')).toBe('关闭聊天');
    await ask(frame, '人工');
    await frame.locator('.msg.out').nth(1).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'widget-open-375.png') });
    await frame.locator('#close').click();
    expect(await bubble(page).getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });
});

describe.skipIf(chromiumMissing)(browserSuite('widget.js with a pre-chat form, verified users and a message limit'), () => {
  const SECRET = 'widget-identity-secret-for-tests';
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let shop: { server: Server; port: number };
  let shopUrl: string;

  beforeAll(async () => {
    dir = await tempDir();
    shop = await shopSite(() => app.url);
    shopUrl = `http://localhost:${shop.port}`;
    [app, browser] = await Promise.all([
      startApp(
        {
          WIDGET_ORIGINS: shopUrl,
          WIDGET_NAME: 'Acme Shop',
          WIDGET_PRECHAT: 'true',
          WIDGET_IDENTITY_SECRET: SECRET,
          RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: '3',
        },
        dir.path,
      ),
      launchChromium(),
    ]);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dir?.rm();
    await new Promise((r) => shop?.server.close(r));
  });

  const chatFrame = (page: Page) => page.frames().find((f) => f.url().startsWith(`${app.url}/chat`))!;
  const hmac = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex');

  async function send(frame: FrameLocator, text: string): Promise<void> {
    await frame.locator('#t').fill(text);
    await frame.locator('#t').press('Enter');
  }

  it('asks name and email first, links the visitor to the email customer with that address, and says “slow down” on 429', async () => {
    const now = Date.now();
    await app.store.tx(async (r) => {
      await r.customers.insert({
        id: 'cust-email-1',
        displayName: 'Wang Fang',
        email: 'fang@example.com',
        locale: null,
        createdAt: now,
        erasedAt: null,
        tier: 'standard',
        notes: null,
        mergedInto: null,
      });
      await r.customers.insertIdentity({
        id: 'ident-email-1',
        customerId: 'cust-email-1',
        channel: 'email',
        channelUserId: 'fang@example.com',
        displayName: 'Wang Fang',
        username: null,
        createdAt: now,
      });
    });
    for (const [width, height] of [
      [1366, 768],
      [375, 740],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height } });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${shopUrl}/`);
      await bubble(page).click();
      const frame = chat(page);
      await frame.getByLabel('Your email').waitFor();
      expect(await frame.locator('#f').isHidden()).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `widget-prechat-${width}.png`) });
      if (width !== 1366) {
        await context.close();
        continue;
      }
      await expectNoSeriousA11yViolations(chatFrame(page) as unknown as Page);
      await frame.getByLabel('Your name').fill('Fang');
      await frame.getByLabel('Your email').fill('not-an-address');
      await frame.getByRole('button', { name: 'Start chat' }).click();
      await frame.locator('#pre-error', { hasText: 'email address like' }).waitFor();
      await frame.getByLabel('Your email').fill('fang@example.com');
      await frame.getByRole('button', { name: 'Start chat' }).click();
      await send(frame, 'How do I return an item?');
      await frame.locator('.msg.out', { hasText: /30 days/ }).waitFor();

      // In the frame's storage, or (third-party storage blocked, as this Chromium does) the shop page's.
      const own = await chatFrame(page)
        .evaluate(() => localStorage.getItem('switchboard.session'))
        .catch(() => null);
      const stored = own ?? (await page.evaluate((key) => localStorage.getItem(key), `switchboard.widget:${app.url}`));
      const { sessionId } = JSON.parse(stored ?? 'null') as { sessionId: string };
      const identity = await app.store.tx((r) => r.customers.findIdentity('webchat', sessionId));
      expect(identity?.customerId).toBe('cust-email-1');

      // The limit is 3 a minute: the fourth is refused, and the visitor is told why instead of nothing happening.
      await send(frame, 'second');
      await send(frame, 'third');
      await frame.locator('.msg.in', { hasText: 'third' }).waitFor();
      await send(frame, 'fourth');
      await frame.locator('#status', { hasText: /sending messages too fast.*wait \d+ s/ }).waitFor();
      expect(await frame.locator('.msg.in', { hasText: 'fourth' }).count()).toBe(0);
      // What was refused stays in the box to send again.
      expect(await frame.locator('#t').inputValue()).toBe('fourth');
      await context.close();
    }
  });

  it('a verified user has the same conversation in another browser; a wrong hash is refused and the visitor stays anonymous', async () => {
    const userId = 'customer-42';
    const first = await browser.newContext();
    first.setDefaultTimeout(10_000);
    const a = await first.newPage();
    await a.goto(`${shopUrl}/?user=${userId}&hash=${hmac(userId)}`);
    await bubble(a).click();
    // Known to the shop: no pre-chat form.
    await chat(a).locator('#t').waitFor();
    await send(chat(a), 'Where is my order 1234?');
    await chat(a).locator('.msg.in', { hasText: 'order 1234' }).waitFor();

    const second = await browser.newContext();
    second.setDefaultTimeout(10_000);
    const b = await second.newPage();
    await b.goto(`${shopUrl}/?user=${userId}&hash=${hmac(userId)}`);
    await bubble(b).click();
    await chat(b).locator('.msg.in', { hasText: 'order 1234' }).waitFor();

    const third = await browser.newContext();
    third.setDefaultTimeout(10_000);
    const c = await third.newPage();
    await c.goto(`${shopUrl}/?user=${userId}&hash=${hmac('someone-else')}`);
    await bubble(c).click();
    await chat(c).locator('#status', { hasText: 'could not confirm your account' }).waitFor();
    await c.waitForTimeout(500);
    expect(await chat(c).locator('.msg.in').count()).toBe(0);

    const refused = await fetch(`${app.url}/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, userHash: hmac('someone-else') }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/userHash does not match/);
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});
