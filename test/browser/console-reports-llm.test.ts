/** The reports page's "AI / LLM" section in a real browser, over drafts the real SDK wrote against the Anthropic fake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { handedOff, screenshot, signIn } from './console-helpers-reports.js';

const DRAFT = 'Sorry for the wait! Could you send me your order number?';

describe.skipIf(chromiumMissing)(browserSuite('console reports: AI / LLM section'), () => {
  let app: Running;
  let llm: FakeAnthropic;
  let browser: Browser;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = () => ({ toolInput: { reply: DRAFT, cited_entry_ids: [], needs_human_check: false } });
    [app, browser] = await Promise.all([
      startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url, LLM_MONTHLY_BUDGET: '50', LLM_SUMMARY_ON: '' }),
      launchChromium(),
    ]);
    admin = await app.createAgent('Olga Ops', 'admin');
    agent = await app.createAgent('Ann Agent');
    // Two drafts: one sent as is, one replaced by the agent's own words.
    for (const reply of [DRAFT, 'Let me check with the warehouse and come back to you today.']) {
      const seeded = await handedOff(app, 'Where is my parcel?');
      await app.draftsIdle();
      const path = `/api/conversations/${seeded.conversationId}`;
      expect((await api(app, agent.token, 'POST', `${path}/claim`)).status).toBe(200);
      expect((await api(app, agent.token, 'POST', `${path}/messages`, { text: reply })).status).toBe(201);
    }
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await llm?.close();
  });

  const report = async () => {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 29));
    return (await api(app, admin.token, 'GET', `/api/reports/llm?from=${day(from)}&to=${day(now)}&tz=UTC`)).body;
  };
  const card = (page: Page, key: string) => page.locator(`.rep-llm .rep-card[data-card="${key}"]`);

  async function openReports(page: Page): Promise<void> {
    await page.goto(`${app.url}/console#/reports`);
    await page.locator('.rep-llm .rep-card[data-card="tokensIn"]').waitFor();
  }

  it('shows tokens, cost, acceptance, budget and breaker as the API reports them, with tables by day/model, agent and entry', async () => {
    const r = await report();
    expect(r.total.drafts).toBe(2);
    expect(r.acceptance.total).toMatchObject({ judged: 2, asIs: 1, own: 1, acceptanceRate: 0.5 });
    const page = await signIn(browser, app, admin.token);
    await openReports(page);
    expect(await page.locator('.rep-llm h2').textContent()).toBe('AI / LLM');
    expect(await card(page, 'tokensIn').getAttribute('data-value')).toBe(String(r.total.inputTokens));
    expect(await card(page, 'tokensOut').getAttribute('data-value')).toBe(String(r.total.outputTokens));
    expect(await card(page, 'cache').getAttribute('data-value')).toBe(String(r.total.cacheReadTokens));
    expect(await card(page, 'cost').getAttribute('data-value')).toBe(String(r.total.estimatedCost));
    expect(r.total.estimatedCost).toBeGreaterThan(0);
    expect(await card(page, 'acceptance').locator('.rep-card-value').textContent()).toBe('50%');
    expect(await card(page, 'budget').locator('.rep-card-sub').textContent()).toContain('of 50.00');
    expect(await card(page, 'breaker').locator('.rep-card-value').textContent()).toBe('closed');

    const byDay = page.locator('.rep-llm table[data-table="byDay"] tbody tr');
    expect(await byDay.count()).toBe(r.byDay.length);
    expect(await byDay.first().locator('th').textContent()).toBe(r.byDay[0].day);
    expect(await byDay.first().locator('td').first().textContent()).toBe(r.byDay[0].model);
    const agents = page.locator('.rep-llm table[data-table="acceptanceByAgent"] tbody tr');
    expect(await agents.count()).toBe(1);
    expect(await agents.first().locator('th').textContent()).toBe('Ann Agent');
    expect(await agents.first().locator('td').last().textContent()).toBe('50%');
    expect(await page.locator('.rep-llm table[data-table="acceptanceByEntry"] tbody th').first().textContent()).toBe('cites none');
    await expectNoSeriousA11yViolations(page, '.rep-llm');
    await page.context().close();
  });

  it('in Chinese at 375 px: the page does not scroll sideways, the wide table scrolls in its box', async () => {
    const page = await signIn(browser, app, admin.token, { locale: 'zh-CN', viewport: { width: 375, height: 740 } });
    await openReports(page);
    expect(await page.locator('.rep-llm h2').textContent()).toBe('AI / LLM');
    expect(await card(page, 'tokensIn').locator('.rep-card-label').textContent()).toBe('输入 token');
    expect(await card(page, 'breaker').locator('.rep-card-value').textContent()).toBe('关闭');
    expect(await page.locator('.rep-llm table[data-table="acceptanceByEntry"] tbody th').first().textContent()).toBe('未引用');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const wrap = page.locator('.rep-llm .rep-table-wrap').first();
    const box = await wrap.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.locator('.rep-llm').scrollIntoViewIfNeeded();
    await screenshot(page, 'reports', 'llm');
    await page.context().close();
  });
});
