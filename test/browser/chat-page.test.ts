import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectSelfOnlyPage } from './csp.js';

describe.skipIf(chromiumMissing)(browserSuite('/chat in a real browser: FAQ answer, hand-off, agent reply, history after reload'), () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    [app, browser] = await Promise.all([startApp({}, dir.path), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dir?.rm();
  });

  it('a customer gets the FAQ answer, the holding reply and the agent reply, and keeps the history after a reload', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/chat`);

    await page.locator('#t').fill('How do I return an item?');
    await page.locator('#t').press('Enter');
    await page.locator('.msg.in', { hasText: 'How do I return an item?' }).waitFor();
    await page.locator('.msg.out', { hasText: /return unused items within 30 days/i }).waitFor();
    expect(await page.locator('.msg.out strong').first().textContent()).toBe('My account → Orders → Return');

    await page.locator('#t').fill('human');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.msg.out', { hasText: /a person will reply/i }).waitFor();

    const agent = await app.createAgent('Alice');
    const queued = await eventually(
      async () => (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0],
      10_000,
      'queued conversation',
    );
    expect((await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/claim`)).status).toBe(200);
    // Markup in a reply (an agent quoting what a customer pasted) must reach the page as text.
    const reply = 'Hi, this is Alice. You wrote <b>urgent</b> <img src=x onerror=window.__pwned=1>';
    expect((await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: reply })).status).toBe(201);
    const agentBubble = page.locator('.msg.out', { hasText: reply });
    await agentBubble.waitFor();
    expect(await agentBubble.locator('.who').textContent()).toBe('Support');
    // Name, the text exactly as written, then the time it was sent.
    expect(await agentBubble.textContent()).toBe(`Support${reply}${await agentBubble.locator('time').textContent()}`);
    expect(await agentBubble.locator('time').textContent()).toMatch(/\d/);
    expect(await page.locator('#log img, #log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

    const before = await page.locator('.msg').allTextContents();
    expect(before).toHaveLength(5);
    const session = await page.evaluate(() => localStorage.getItem('switchboard.session'));

    await page.reload();
    await page
      .locator('.msg')
      .nth(before.length - 1)
      .waitFor();
    expect(await page.locator('.msg').allTextContents()).toEqual(before);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.session'))).toBe(session);

    // The page shows exactly what the session's history holds, in order.
    const { sessionId, secret } = JSON.parse(session!) as { sessionId: string; secret: string };
    const history = await WebchatCustomer.resume(app.url, sessionId, secret).history();
    expect(history.items.map((i) => i.text)).toEqual([
      'How do I return an item?',
      expect.stringMatching(/30 days/),
      'human',
      expect.stringMatching(/person will reply/i),
      reply,
    ]);
    // FAQ answers' **bold** is shown as <strong>, so compare without the markers.
    before.forEach((text, i) => expect(text).toContain(history.items[i]!.text.replace(/\*\*(.+?)\*\*/gs, '$1')));
    await context.close();
  });

  it('runs only its own bundled script and stylesheet: no inline code, CSP without unsafe-inline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await expectSelfOnlyPage(page, await page.goto(`${app.url}/chat`));
    await context.close();
  });
});
