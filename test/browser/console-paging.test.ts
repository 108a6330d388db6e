import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { appOnOwnData } from '../support/app.js';
import { seedConversation } from '../support/memory-store.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';

describe.skipIf(chromiumMissing)(browserSuite('/console pages long lists'), () => {
  let running: Awaited<ReturnType<typeof appOnOwnData>>;
  let app: Running;
  let browser: Browser;

  beforeAll(async () => {
    [running, browser] = await Promise.all([appOnOwnData({}), launchChromium()]);
    app = running.app;
    const t0 = Date.now() - 3_600_000;
    await app.store.tx(async (r) => {
      for (let i = 0; i < 57; i++) await seedConversation(r, t0 + i * 1000, [{ type: 'handoff' }]);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the first page of the queue and loads the rest with "Load more"', async () => {
    const agent = await app.createAgent('Alice');
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(agent.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const rows = page.locator('#list li[data-id]');
    await expect.poll(() => rows.count()).toBe(50);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.click();
    await expect.poll(() => rows.count()).toBe(57);
    await expect.poll(() => more.isHidden()).toBe(true);
    const before = await rows.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
    // A live refresh (a new hand-off arrives) keeps both pages, with no repeats; the longest waiting stays first.
    const late = await app.store.tx((r) => seedConversation(r, Date.now(), [{ type: 'handoff' }]));
    await page.locator(`#list li[data-id="${late.id}"]`).waitFor();
    expect(await rows.count()).toBe(58);
    const ids = await rows.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
    expect(new Set(ids).size).toBe(58);
    expect(ids.slice(0, 57)).toEqual(before);
  });

  it('pages by cursor in each sort: waiting longest and latest activity', async () => {
    const agent = await app.createAgent('Bea');
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(agent.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const rows = page.locator('#list li[data-id]');
    await expect.poll(() => rows.count()).toBe(50);
    for (const sort of ['waiting', 'activity']) {
      await page.locator('#inbox-filter-sort').selectOption(sort);
      await expect.poll(() => rows.count()).toBe(50);
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => rows.count()).toBe(58);
      const ids = await rows.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
      expect(new Set(ids).size, sort).toBe(58);
    }
  });
});
