import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { signedIn, tcpProxy } from './console-helpers-shell.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(chromiumMissing)(browserSuite('the console shell: live inbox, reconnect, unread, keyboard, languages, phone'), () => {
  let app: Running;
  let browser: Browser;
  let alice: { id: string; token: string };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({}), launchChromium()]);
    alice = await app.createAgent('Alice');
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A web-chat customer asking for a person; resolves once the conversation is queued. */
  async function handoff(text: string): Promise<{ customer: WebchatCustomer; id: string }> {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    const conv = await eventually(
      async () => {
        const c = await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId));
        return c?.status === 'queued' ? c : undefined;
      },
      10_000,
      'queued conversation',
    );
    return { customer, id: conv.id };
  }

  const row = (page: Page, id: string) => page.locator(`#list li[data-id="${id}"]`);

  it('shows a hand-off live, without a reload, with the customer message as the preview; the title counts it unread until opened', async () => {
    const page = await signedIn(browser, app.url, alice.token, 'Alice');
    await page.locator('#live', { hasText: 'Live' }).waitFor();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const { id } = await handoff('/human my parcel never came');
    await row(page, id).waitFor();
    expect(await row(page, id).locator('.inbox-preview').textContent()).toBe('/human my parcel never came');
    expect(await row(page, id).locator('.inbox-name').textContent()).toMatch(/^Visitor \d{4}$/);
    await expect.poll(() => page.title()).toMatch(/^\(\d+\) switchboard$/);
    const before = Number(/^\((\d+)\)/.exec(await page.title())![1]);
    expect(await row(page, id).getAttribute('class')).toContain('inbox-is-unread');
    // No polling: nothing is fetched while nothing happens.
    const n = requests.length;
    await page.waitForTimeout(3000);
    expect(requests.slice(n).filter((u) => u.includes('/api/conversations'))).toEqual([]);

    await row(page, id).locator('button').click();
    await page.waitForURL(/#\/c\//);
    await expect.poll(() => row(page, id).getAttribute('class')).not.toContain('inbox-is-unread');
    await expect.poll(() => page.title()).toBe(before > 1 ? `(${before - 1}) switchboard` : 'switchboard');
    // Read marks are kept per agent across a reload.
    await page.reload();
    await row(page, id).waitFor();
    expect(await row(page, id).getAttribute('class')).not.toContain('inbox-is-unread');
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${app.url}/console#/inbox/unassigned`);
    await row(page, id).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-shell-inbox-1366-en.png') });
    await page.context().close();
  });

  it('reconnects after the network drops and shows every hand-off of the gap exactly once', async () => {
    const proxy = await tcpProxy(Number(new URL(app.url).port));
    try {
      const page = await signedIn(browser, proxy.url, alice.token, 'Alice');
      await page.locator('#live', { hasText: 'Live' }).waitFor();
      proxy.cut();
      await page.locator('#live', { hasText: 'Reconnecting' }).waitFor();
      expect(await page.locator('#live').getAttribute('role')).toBe('status');
      const gap = [];
      for (const text of ['human please, first', 'human please, second', 'human please, third']) gap.push(await handoff(text));
      await page.screenshot({ path: join(ARTIFACTS, 'console-shell-reconnecting-1366-en.png') });
      proxy.restore();
      await page.locator('#live', { hasText: 'Live' }).waitFor();
      for (const { id } of gap) await row(page, id).waitFor();
      const ids = await page.locator('#list li[data-id]').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (const { id } of gap) expect(ids.filter((x) => x === id)).toHaveLength(1);
      // And the stream resumed where it stopped: a later message arrives once, live.
      const { customer, id } = gap[0]!;
      await customer.say('and one more thing');
      await expect.poll(() => row(page, id).locator('.inbox-preview').textContent()).toBe('and one more thing');
      await page.context().close();
    } finally {
      await proxy.close();
    }
  });

  it('is driven by the keyboard: j/k select, Enter opens, Escape goes back, ? lists the shortcuts in a modal dialog', async () => {
    for (const n of [1, 2, 3]) await handoff(`/human keyboard ${n}`);
    const page = await signedIn(browser, app.url, alice.token, 'Alice');
    const rows = page.locator('#list li[data-id]');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    const ids = await rows.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id!));
    await page.locator('body').press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.id)).toBe(ids[1]);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/c/${ids[1]}$`));
    // As an agent does: Escape once the conversation is on the screen, not while it loads.
    await page.locator('#view .conv-main').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL(/#\/inbox\/unassigned$/);
    // Typing in the search box is typing, not shortcuts.
    await page.locator('#inbox-search').fill('jjk?');
    expect(await page.locator('#shortcuts').isVisible()).toBe(false);
    await page.locator('#inbox-search').fill('');
    await page.locator('#inbox-search').blur();
    await page.keyboard.press('?');
    const dialog = page.locator('#shortcuts');
    await dialog.waitFor();
    expect(await page.evaluate(() => !!document.activeElement?.closest('#shortcuts'))).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#shortcuts'))).toBe(true);
    expect(await dialog.textContent()).toContain('Resolve');
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.context().close();
  });

  it('speaks Chinese to a Chinese browser and switches language in place', async () => {
    await handoff('/human 你好');
    const page = await signedIn(browser, app.url, alice.token, 'Alice', { locale: 'zh-CN' });
    expect(await page.locator('#login button[type="submit"]').isHidden()).toBe(true);
    expect(await page.locator('.inbox-tab[data-tab="mine"]').textContent()).toContain('我的');
    expect(await page.locator('.inbox-tab[data-tab="unassigned"]').textContent()).toContain('未分配');
    expect(await page.locator('#logout').textContent()).toBe('退出');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('#live', { hasText: '实时' }).waitFor();
    await expect.poll(() => page.locator('#list li[data-id]').count()).toBeGreaterThan(0);
    expect(await page.locator('#list .inbox-name').first().textContent()).toMatch(/^访客 \d{4}$/);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: join(ARTIFACTS, 'console-shell-inbox-1366-zh.png') });
    await page.locator('#locale').selectOption('en');
    await page.locator('.inbox-tab[data-tab="mine"]', { hasText: 'Mine' }).waitFor();
    expect(await page.locator('#list .inbox-name').first().textContent()).toMatch(/^Visitor \d{4}$/);
    await page.context().close();
  });

  it('at 375 px shows the list, then the conversation alone with a back button, nothing cut off', async () => {
    await handoff('/human from a phone');
    for (const locale of ['en', 'zh-CN']) {
      const tag = locale === 'en' ? 'en' : 'zh';
      const page = await signedIn(browser, app.url, alice.token, 'Alice', { viewport: { width: 375, height: 740 }, locale });
      const first = page.locator('#list li[data-id]').first();
      await first.waitFor();
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      expect(await page.locator('#view').isVisible()).toBe(false);
      const box = await first.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(ARTIFACTS, `console-shell-inbox-375-${tag}.png`) });
      if (tag === 'en') await expectNoSeriousA11yViolations(page);
      await first.locator('button').click();
      await page.locator('#back').waitFor();
      expect(await page.locator('#list').isVisible()).toBe(false);
      expect(await overflow()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, `console-shell-conversation-375-${tag}.png`) });
      await page.locator('#back').click();
      await page.locator('#list li[data-id]').first().waitFor();
      expect(await page.locator('#back').isVisible()).toBe(false);
      // The header keeps to two rows: language and sign-out live in the settings dialog on a phone.
      expect((await page.locator('.shell-bar').boundingBox())!.height).toBeLessThan(100);
      expect(await page.locator('#logout').isVisible()).toBe(false);
      await page.locator('#settings-open').click();
      const other = tag === 'en' ? 'zh' : 'en';
      await page.locator('#settings-locale').selectOption(other);
      await page.locator('#settings-logout', { hasText: other === 'zh' ? '退出' : 'Sign out' }).waitFor();
      await page.locator('#settings-logout').click();
      await page.locator('#login').waitFor();
      expect(await page.locator('#locale').isVisible()).toBe(true);
      await page.context().close();
    }
  });

  it('keeps the agent status and the notification opt-in, and the Reports link mounts the reports page', async () => {
    const page = await signedIn(browser, app.url, alice.token, 'Alice');
    await page.locator('#my-status').selectOption('busy');
    await page.locator('#notice', { hasText: 'Away' }).waitFor();
    const agents = (await api(app, alice.token, 'GET', '/api/agents')).body.items as { id: string; status: string }[];
    expect(agents.find((a) => a.id === alice.id)!.status).toBe('busy');
    await page.locator('#settings-open').click();
    await page.locator('#notify-toggle').check();
    await page.locator('#settings-close').click();
    expect(await page.evaluate(() => localStorage.getItem('switchboard.notify'))).toBe('on');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/#\/reports$/);
    // The URL changes before the hashchange handler has routed; the page mode is what says it has.
    await page.locator('#app.shell-mode-page').waitFor();
    expect(await page.locator('#side').isVisible()).toBe(false);
    expect(await page.locator('#view').textContent()).not.toBe('');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.waitForURL(/#\/inbox\/unassigned$/);
    await page.locator('#app.shell-mode-list').waitFor();
    await page.locator('#list').waitFor({ state: 'attached' });
    expect(await page.locator('#side').isVisible()).toBe(true);
    await page.context().close();
  });

  it('with the opt-in, notifies when a colleague transfers a conversation to me and when a note mentions me', async () => {
    const bob = await app.createAgent('Bob');
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    // Headless Chromium shows no notifications; this records what the page asks the browser to show.
    await context.addInitScript(() => {
      const shown: string[] = [];
      class Recorded {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push(title + '|' + (options?.body ?? ''));
        }
        close() {}
      }
      Object.assign(window, { __shown: shown, Notification: Recorded });
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(alice.token);
    await page.locator('#login button[type="submit"]').click();
    await page.locator('#who', { hasText: 'Alice' }).waitFor();
    await page.locator('#live', { hasText: 'Live' }).waitFor();
    await page.locator('#settings-open').click();
    await page.locator('#notify-toggle').check();
    await page.keyboard.press('Escape');
    const { id } = await handoff('/human a question for Bob');
    expect((await api(app, bob.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    expect((await api(app, bob.token, 'POST', `/api/conversations/${id}/transfer`, { agentId: alice.id })).status).toBe(200);
    const shown = () => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
    await expect.poll(shown).toEqual([expect.stringMatching(/^New conversation assigned to you\|Visitor \d{4}$/)]);
    expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/participants`, { agentId: bob.id })).status).toBeLessThan(300);
    expect((await api(app, bob.token, 'POST', `/api/conversations/${id}/notes`, { text: '@Alice can you look at this?' })).status).toBe(
      201,
    );
    await expect.poll(async () => (await shown()).length).toBe(2);
    expect((await shown())[1]).toMatch(/^You were mentioned in a note\|/);
    await context.close();
  });
});
