import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { bubble, chat, shopSite } from './shop-site.js';
import { signedIn } from './console-helpers-shell.js';
import { expectNoSeriousA11yViolations } from './axe.js';

interface VisitorItem {
  id: string;
  page: { url: string; title: string } | null;
  trail: { url: string; title: string }[];
  conversationId: string | null;
  visits: number;
}

const paths = (trail: { url: string }[]) => trail.map((p) => new URL(p.url).pathname);

/**
 * The agents' side of the widget: who is on the shop's site (GET /api/visitors, the console's
 * Visitors page), the visitor's trail beside their conversation, and typing both ways.
 */
describe.skipIf(chromiumMissing)(browserSuite('visitors and typing between the shop’s site and the console'), () => {
  let app: Running;
  let browser: Browser;
  let shop: { server: Server; port: number };
  let shopUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    shop = await shopSite(() => app.url);
    shopUrl = `http://localhost:${shop.port}`;
    [app, browser] = await Promise.all([
      startApp({ WIDGET_ORIGINS: shopUrl, WIDGET_NAME: 'Acme Shop', WIDGET_DRAFT_PREVIEW: 'true', RATE_LIMIT_TYPING_PER_MINUTE: '20' }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await new Promise((r) => shop?.server.close(r));
  });

  async function newPage(opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser.newContext(opts);
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  const visitorIdOf = async (page: Page) => (await page.evaluate(() => ({ ...localStorage })))[`switchboard.widget.visitor:${app.url}`]!;

  async function visitors(token: string): Promise<VisitorItem[]> {
    const res = await api(app, token, 'GET', '/api/visitors');
    expect(res.status).toBe(200);
    return res.body.items as VisitorItem[];
  }

  let one: Page;
  let two: Page;
  let oneId: string;
  let twoId: string;
  /** Visitor one's conversation, and the console page of agent Xena that has it open. */
  let conversationId: string;
  let xena: { token: string };
  let consolePage: Page;

  it('two visitors browse three pages each (one of them a single-page app’s pushState navigations): GET /api/visitors shows both with their current page and trail', async () => {
    const agent = await app.createAgent('Vera');
    one = await newPage({ locale: 'en-GB' });
    for (const path of ['/shoes', '/shoes/red', '/checkout']) {
      await one.goto(`${shopUrl}${path}`);
      await bubble(one).waitFor();
    }
    two = await newPage({ locale: 'zh-CN' });
    await two.goto(`${shopUrl}/app`);
    await bubble(two).waitFor();
    // The shop's own router: no page load, only history.pushState and a new title.
    await two.evaluate(() => {
      history.pushState({}, '', '/app/cart');
      document.title = 'Cart';
    });
    twoId = await visitorIdOf(two);
    // Navigations within a moment of each other count once (a redirect); these are a visitor's clicks.
    await eventually(async () => (await visitors(agent.token)).find((v) => v.id === twoId)?.trail.length === 2, 5000, 'the cart');
    await two.evaluate(() => {
      history.pushState({}, '', '/app/pay');
      document.title = 'Pay';
    });
    oneId = await visitorIdOf(one);
    const [v1, v2] = await eventually(
      async () => {
        const items = await visitors(agent.token);
        const mine = [oneId, twoId].map((id) => items.find((v) => v.id === id));
        return mine.every((v) => v?.trail.length === 3) ? (mine as VisitorItem[]) : undefined;
      },
      5000,
      'both visitors with three pages',
    );
    expect(v1!.page).toMatchObject({ url: `${shopUrl}/checkout`, title: 'Shop /checkout' });
    expect(paths(v1!.trail)).toEqual(['/shoes', '/shoes/red', '/checkout']);
    expect(v1!.conversationId).toBeNull();
    expect(v1!.visits).toBe(1);
    expect(v2!.page).toMatchObject({ url: `${shopUrl}/app/pay`, title: 'Pay' });
    expect(paths(v2!.trail)).toEqual(['/app', '/app/cart', '/app/pay']);
    expect(v2!.trail[1]!.title).toBe('Cart');
    // Back is a navigation too (popstate).
    await two.goBack();
    await eventually(
      async () => (await visitors(agent.token)).find((v) => v.id === twoId)?.page?.url.endsWith('/app/cart'),
      5000,
      'popstate',
    );
  });

  it('a visitor who chats is linked to the conversation: the list names it and GET /api/conversations/:id/visitor has the trail', async () => {
    const agent = await app.createAgent('Walt');
    await bubble(one).click();
    const frame = chat(one);
    await frame.locator('#t').fill('Do you ship to Norway?');
    await frame.locator('#t').press('Enter');
    await frame.locator('.msg.in', { hasText: 'Norway' }).waitFor();
    conversationId = await eventually(
      async () => (await visitors(agent.token)).find((v) => v.id === oneId)?.conversationId,
      5000,
      'the visitor linked to a conversation',
    );
    const res = await api(app, agent.token, 'GET', `/api/conversations/${conversationId}/visitor`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(oneId);
    expect(res.body.page.url).toBe(`${shopUrl}/checkout`);
    expect(paths(res.body.trail)).toEqual(['/shoes', '/shoes/red', '/checkout']);
    // The other visitor never chatted.
    expect((await visitors(agent.token)).find((v) => v.id === twoId)?.conversationId).toBeNull();

    // The link needs the session's secret, and a visitor id of the right shape.
    const session = (await one.evaluate(() => ({ ...localStorage })))[`switchboard.widget:${app.url}`];
    const { sessionId, secret } = JSON.parse(session) as { sessionId: string; secret: string };
    const link = (auth: string, body: unknown) =>
      fetch(`${app.url}/webchat/sessions/${sessionId}/visitor`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await link('wrong', { visitorId: twoId })).status).toBe(401);
    expect((await link(secret, { visitorId: 'short' })).status).toBe(400);
    // No visitor is known for a conversation of another channel, or an unknown one.
    expect((await api(app, agent.token, 'GET', '/api/conversations/nope/visitor')).status).toBe(404);
  });

  it('the console’s Visitors page lists both, follows them live, opens the trail by keyboard and links the conversation; usable at 375 px and in Chinese', async () => {
    const agent = (xena = await app.createAgent('Xena'));
    const page = (consolePage = await signedIn(browser, app.url, agent.token, 'Xena'));
    contexts.push(page.context());
    await page.locator('#nav a', { hasText: 'Visitors' }).click();
    await page.locator('h1', { hasText: 'Visitors on the site' }).waitFor();
    const cardOf = (id: string) => page.locator(`li.vis-card[data-visitor="${id}"]`);
    await cardOf(oneId).waitFor();
    await cardOf(twoId).waitFor();
    expect(await cardOf(oneId).locator('.vis-current .vis-page-title').textContent()).toBe('Shop /checkout');
    expect(await cardOf(oneId).locator('.vis-current .vis-page-url').textContent()).toBe(`${shopUrl}/checkout`);
    expect(await cardOf(oneId).locator('.vis-facts').textContent()).toMatch(/CountryGB.*Languageen-GB.*Visits1/);
    // Back from /app/pay (the page kept its title).
    expect(await cardOf(twoId).locator('.vis-current .vis-page-url').textContent()).toBe(`${shopUrl}/app/cart`);
    // Only the visitor who chatted has a conversation to open.
    expect(await cardOf(twoId).locator('a.vis-link').count()).toBe(0);

    // Live: the shop's app navigates again and the card follows, with no reload or polling.
    await two.evaluate(() => {
      history.pushState({}, '', '/app/done');
      document.title = 'Thanks';
    });
    await cardOf(twoId).locator('.vis-current .vis-page-title', { hasText: 'Thanks' }).waitFor();

    // The trail opens from the keyboard (a details/summary).
    const summary = cardOf(oneId).locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const trail = cardOf(oneId).locator('.vis-trail li .vis-page-title');
    await trail.first().waitFor();
    expect(await trail.allTextContents()).toEqual(['Shop /shoes', 'Shop /shoes/red', 'Shop /checkout']);
    await expectNoSeriousA11yViolations(page);

    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page
      .locator('#locale')
      .selectOption('zh')
      .catch(async () => {
        // On a phone the language switch lives in the settings dialog.
        await page.locator('#settings-open').click();
        await page.locator('#settings-locale').selectOption('zh');
        await page.locator('#settings-close').click();
      });
    await page.locator('h1', { hasText: '网站上的访客' }).waitFor();
    expect(await cardOf(oneId).locator('.vis-facts').textContent()).toContain('访问次数');
    await page.screenshot({ path: 'test/artifacts/console-visitors-375-zh.png', fullPage: true });

    await page.setViewportSize({ width: 1366, height: 768 });
    await cardOf(oneId).locator('a.vis-link').click();
    await page.waitForURL(/#\/c\//);

    // Beside the conversation: where the visitor is and the pages they went through, following them live.
    const onSite = page.locator('.vis-onsite');
    await onSite.locator('.vis-trail li').nth(2).waitFor();
    expect(await onSite.locator('.vis-current .vis-page-title').textContent()).toBe('Shop /checkout');
    expect(await onSite.locator('.vis-trail .vis-page-title').allTextContents()).toEqual([
      'Shop /shoes',
      'Shop /shoes/red',
      'Shop /checkout',
    ]);
    expect(await onSite.isVisible()).toBe(true);
    await one.goto(`${shopUrl}/thanks`);
    await onSite.locator('.vis-current .vis-page-title', { hasText: 'Shop /thanks' }).waitFor();
    expect(await onSite.locator('.vis-trail li').count()).toBe(4);
    await page.screenshot({ path: 'test/artifacts/console-conversation-on-site-1366-zh.png' });
  });

  /** The agent's raw event stream, as text, from now on. */
  async function eventStream(token: string): Promise<{ text(): string; close(): void }> {
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    let text = '';
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) text += decoder.decode(chunk, { stream: true });
      } catch {
        // aborted
      }
    })();
    return { text: () => text, close: () => controller.abort() };
  }

  it('typing preview: the agent’s stream and console get the visitor’s unsent draft as text, and nothing of it is stored', async () => {
    const stream = await eventStream(xena.token);
    const draft = 'Is <b>size 44</b> in stock';
    await bubble(one).click();
    await chat(one).locator('#t').fill(draft);
    const typing = await eventually(
      () => /event: typing\ndata: (.*)\n/.exec(stream.text())?.[1],
      5000,
      'a typing signal on the agent’s stream',
    );
    expect(JSON.parse(typing)).toMatchObject({ conversationId, by: 'customer', text: draft });
    // No id: a signal, never replayed.
    expect(stream.text()).not.toMatch(/id: \d+\nevent: typing/);
    // The console shows it as text under the history.
    const line = consolePage.locator('.conv-typing');
    await line.locator('.conv-typing-draft', { hasText: draft }).waitFor();
    expect(await line.locator('.conv-typing-label').textContent()).toBe('客户正在输入…');
    expect(await line.locator('b').count()).toBe(0);
    await consolePage.screenshot({ path: 'test/artifacts/console-customer-typing-1366-zh.png' });

    // Nothing of the draft was stored: not in the conversation's messages, nor found by search.
    const detail = await api(app, xena.token, 'GET', `/api/conversations/${conversationId}`);
    expect(JSON.stringify(detail.body.messages)).not.toContain('size 44');
    const found = await api(app, xena.token, 'GET', `/api/search?q=${encodeURIComponent('size 44')}`);
    expect(found.body.items).toEqual([]);

    // Sent: the line goes as the message arrives.
    await chat(one).locator('#t').press('Enter');
    await line.waitFor({ state: 'hidden' });
    stream.close();
  });

  it('agent typing: the visitor sees it; refused (403) for a conversation another agent holds; 429 with Retry-After past RATE_LIMIT_TYPING_PER_MINUTE', async () => {
    await chat(one).locator('#t').fill('human');
    await chat(one).locator('#t').press('Enter');
    await eventually(
      async () => (await api(app, xena.token, 'GET', `/api/conversations/${conversationId}`)).body.conversation.status === 'queued',
      10_000,
      'the hand-off',
    );
    expect((await api(app, xena.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);
    // Typing in the console's reply box reaches the visitor's chat.
    await consolePage.locator('.conv-input').fill('Let me check');
    await consolePage.locator('.conv-input').press('Space');
    await chat(one).locator('#sub', { hasText: 'Acme Shop is typing…' }).waitFor();
    const other = await app.createAgent('Yuri');
    const refused = await api(app, other.token, 'POST', `/api/conversations/${conversationId}/typing`);
    expect(refused.status).toBe(403);

    const session = JSON.parse((await one.evaluate(() => ({ ...localStorage })))[`switchboard.widget:${app.url}`]) as {
      sessionId: string;
      secret: string;
    };
    const type = (body: unknown, secret = session.secret) =>
      fetch(`${app.url}/webchat/sessions/${session.sessionId}/typing`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await type({ text: 'x' }, 'wrong')).status).toBe(401);
    expect((await type({ text: 42 })).status).toBe(400);
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await type({}));
    const over = answers.find((r) => r.status === 429);
    expect(over).toBeDefined();
    expect(Number(over!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
