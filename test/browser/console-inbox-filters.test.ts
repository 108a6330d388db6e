import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, startApp } from '../support/app.js';
import { seedConversation } from '../support/memory-store.js';
import type { Running } from '../../src/main.js';
import type { Priority } from '../../src/domain/conversation.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { signedIn } from './console-helpers-shell.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(chromiumMissing)(browserSuite('the console inbox: tabs, filters, sorts, search'), () => {
  let app: Running;
  let browser: Browser;
  let ann: { id: string; token: string };
  let boss: { id: string; token: string };
  const named = new Map<string, string>();

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({}), launchChromium()]);
    ann = await app.createAgent('Ann');
    boss = await app.createAgent('Boss', 'admin');
    expect((await api(app, boss.token, 'POST', '/api/teams', { name: 'Billing' })).status).toBe(201);
    expect((await api(app, boss.token, 'PUT', `/api/agents/${ann.id}`, { teams: ['billing'] })).status).toBe(200);
    await mkdir(ARTIFACTS, { recursive: true });
    const t0 = Date.now() - 3_600_000;
    // name, channel, priority, minutes waited, minutes since the last message, status, team
    const rows: [string, string, Priority, number, number, string, string | null][] = [
      ['Wen Li', 'email', 'low', 50, 1, 'queued', null],
      ['Ola Nordmann', 'webchat', 'urgent', 10, 30, 'queued', 'billing'],
      ['Kai Tanaka', 'telegram', 'high', 40, 5, 'queued', null],
      ['Rosa Diaz', 'discord', 'normal', 20, 2, 'queued', null],
      ['Done Resolved', 'webchat', 'normal', 0, 60, 'resolved', null],
      ['Done Closed', 'email', 'normal', 0, 61, 'closed', null],
    ];
    await app.store.tx(async (r) => {
      for (const [name, channel, priority, waited, idle, status, team] of rows) {
        const c = await seedConversation(r, t0, [{ type: 'handoff' }]);
        await r.customers.update(c.customerId, { displayName: name });
        await r.conversations.update(c.id, {
          channel,
          priority,
          team,
          waitingSince: status === 'queued' ? Date.now() - waited * 60_000 : null,
          lastMessageAt: Date.now() - idle * 60_000,
          ...(status === 'queued' ? {} : { status: status as 'resolved' }),
        });
        await r.messages.insert({
          id: c.id + '-m',
          conversationId: c.id,
          channel,
          direction: 'in',
          author: 'customer',
          agentId: null,
          text: `${name} asks about invoice ${name.length}`,
          externalId: null,
          meta: null,
          createdAt: Date.now() - idle * 60_000,
        });
        named.set(name, c.id);
      }
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const names = (page: Page) => page.locator('#list li[data-id] .inbox-name').allTextContents();

  it('sorts by priority, waiting time and last activity, and filters by channel and priority', async () => {
    const page = await signedIn(browser, app.url, ann.token, 'Ann');
    await expect.poll(() => names(page)).toEqual(['Ola Nordmann', 'Kai Tanaka', 'Rosa Diaz', 'Wen Li']);
    await page.locator('#inbox-filter-sort').selectOption('waiting');
    await expect.poll(() => names(page)).toEqual(['Wen Li', 'Kai Tanaka', 'Rosa Diaz', 'Ola Nordmann']);
    await page.locator('#inbox-filter-sort').selectOption('activity');
    await expect.poll(() => names(page)).toEqual(['Wen Li', 'Rosa Diaz', 'Kai Tanaka', 'Ola Nordmann']);
    await page.locator('.inbox-summary').click();
    await page.locator('#inbox-filter-channel').selectOption('email');
    await expect.poll(() => names(page)).toEqual(['Wen Li']);
    await page.locator('#inbox-filter-channel').selectOption('');
    await page.locator('#inbox-filter-priority').selectOption('high');
    await expect.poll(() => names(page)).toEqual(['Kai Tanaka']);
    // Rows carry the channel icon, the priority chip and the SLA chip.
    const kai = page.locator(`#list li[data-id="${named.get('Kai Tanaka')}"]`);
    expect(await kai.locator('svg.inbox-icon').count()).toBe(1);
    expect(await kai.locator('.inbox-prio-high').textContent()).toBe('High');
    expect(await kai.locator('.inbox-preview').textContent()).toBe('Kai Tanaka asks about invoice 10');
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: join(ARTIFACTS, 'console-inbox-filters-1366-en.png') });
    await page.locator('.inbox-clear').click();
    await expect.poll(() => names(page)).toHaveLength(4);
    await page.context().close();
  });

  it('lists resolved and closed under Resolved, searchable, and the team queue of the agent', async () => {
    const page = await signedIn(browser, app.url, ann.token, 'Ann');
    await page.goto(`${app.url}/console#/inbox/resolved`);
    await expect.poll(async () => (await names(page)).sort()).toEqual(['Done Closed', 'Done Resolved']);
    await page.locator('#inbox-search').fill('invoice');
    await expect.poll(async () => (await names(page)).sort()).toEqual(['Done Closed', 'Done Resolved']);
    await page.locator('#inbox-search').fill('Closed');
    await expect.poll(() => names(page)).toEqual(['Done Closed']);
    await page.locator('#inbox-search').fill('');
    await page.locator('.inbox-tab[data-tab="team"]').click();
    await expect.poll(() => names(page)).toEqual(['Ola Nordmann']);
    expect(await page.locator('#inbox-team-queue option').allTextContents()).toEqual(['Billing']);
    await page.locator('.inbox-tab[data-tab="all"]').click();
    await expect.poll(() => names(page)).toHaveLength(4);
    await page.context().close();
  });

  it('shows an admin every section of the admin menu and the zh labels of filters', async () => {
    const page = await signedIn(browser, app.url, boss.token, 'Boss', { locale: 'zh-CN' });
    await page.locator('.inbox-summary', { hasText: '筛选' }).click();
    expect(await page.locator('label[for="inbox-filter-channel"]').textContent()).toBe('渠道');
    expect(await page.locator('#inbox-filter-sort option').allTextContents()).toEqual(['优先级', '等待最久', '最近活动']);
    await page.screenshot({ path: join(ARTIFACTS, 'console-inbox-filters-1366-zh.png') });
    await page.context().close();
  });
});
