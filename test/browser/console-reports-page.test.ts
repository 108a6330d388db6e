import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { telegramHarness, type TelegramAppHarness } from '../channels/telegram.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { answeredAndRated, handedOff, screenshot, signIn, telegramAnswered } from './console-helpers-reports.js';

const DAYS = 30;

/** The window the page asks for by default: the last 30 days of the browser's zone (UTC in these contexts). */
function defaultWindow() {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  return `from=${day(from)}&to=${day(now)}&tz=UTC`;
}

describe.skipIf(chromiumMissing)(browserSuite('console reports page in a real browser'), () => {
  let h: TelegramAppHarness;
  let app: Running;
  let browser: Browser;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };

  beforeAll(async () => {
    [h, browser] = await Promise.all([telegramHarness(), launchChromium()]);
    app = h.app;
    admin = await app.createAgent('Olga Ops', 'admin');
    agent = await app.createAgent('Ann Agent');
    // Bot-resolved on both channels, one waiting for a person, one answered, resolved and rated 4.
    await (await WebchatCustomer.open(app.url)).say('How do I return an item?');
    await telegramAnswered(h, { id: 8101, first_name: 'Tom' });
    await handedOff(app, 'Where is my parcel?');
    await answeredAndRated(app, agent.token, await handedOff(app, 'My invoice is wrong'), 4);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const summaryOf = async (query: string) => (await api(app, admin.token, 'GET', `/api/reports/summary?${query}`)).body;
  const cardValue = (page: Page, card: string) => page.locator(`.rep-card[data-card="${card}"]`).getAttribute('data-value');
  const num = (v: number | null) => (v === null ? '' : String(v));

  async function openReports(page: Page): Promise<void> {
    await page.goto(`${app.url}/console#/reports`);
    await page.locator('.rep-chart[data-metric="sla_breaches"] svg').waitFor();
  }

  it('shows the API’s summary as cards and one bar or point per day, filters by channel, downloads CSV', async () => {
    const page = await signIn(browser, app, admin.token);
    await openReports(page);
    expect(await page.locator('#view h1').textContent()).toBe('Reports');

    const total = (await summaryOf(defaultWindow())).total;
    expect(total.conversations).toBe(4);
    expect(await cardValue(page, 'conversations')).toBe(num(total.conversations));
    expect(await page.locator('.rep-card[data-card="conversations"] .rep-card-value').textContent()).toBe(String(total.conversations));
    expect(await cardValue(page, 'botResolved')).toBe(num(total.botResolvedShare));
    expect(await cardValue(page, 'firstResponse')).toBe(num(total.firstResponseSeconds.median));
    expect(await cardValue(page, 'resolution')).toBe(num(total.resolutionSeconds.median));
    expect(await cardValue(page, 'csat')).toBe(num(total.csat.average));
    expect(await page.locator('.rep-card[data-card="csat"] .rep-card-value').textContent()).toBe('4');
    expect(await cardValue(page, 'slaBreaches')).toBe(num(total.slaBreaches));

    // One bar per day of the window; the day's bar says (in its tooltip) what the API's point says.
    const series = (await api(app, admin.token, 'GET', `/api/reports/timeseries?metric=conversations&${defaultWindow()}`)).body;
    expect(series.points).toHaveLength(DAYS);
    const bars = page.locator('.rep-chart[data-metric="conversations"] rect.rep-bar');
    expect(await bars.count()).toBe(DAYS);
    expect(await bars.last().locator('title').textContent()).toMatch(new RegExp(`: ${series.points.at(-1).value}$`));
    expect(await page.locator('.rep-chart[data-metric="handoffs"] rect.rep-bar').count()).toBe(DAYS);
    // A line chart has a point for each day something was measured (today's CSAT), none for the empty days.
    const csatSeries = (await api(app, admin.token, 'GET', `/api/reports/timeseries?metric=csat_average&${defaultWindow()}`)).body;
    const measured = csatSeries.points.filter((p: { value: number | null }) => p.value !== null).length;
    expect(measured).toBe(1);
    expect(await page.locator('.rep-chart[data-metric="csat_average"] circle.rep-point').count()).toBe(measured);
    // Screen readers get a summary and the table of every day.
    expect(await page.locator('.rep-chart[data-metric="conversations"] svg').getAttribute('aria-label')).toMatch(
      /Conversations per day: 30 days .* total 4/,
    );
    expect(await page.locator('.rep-chart[data-metric="conversations"] table tbody tr').count()).toBe(DAYS);
    // Styled by classes and SVG presentation attributes only: the CSP allows no inline style.
    expect(await page.locator('[style]').count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'reports', 'page');
    await page.locator('.rep-chart[data-metric="resolution_median"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'reports', 'charts');

    // Telegram only: the figures change to the API's for that channel.
    await page.locator('#rep-channel').selectOption('telegram');
    const tg = (await summaryOf(`${defaultWindow()}&channel=telegram`)).total;
    expect(tg.conversations).toBe(1);
    await page.locator('.rep-card[data-card="conversations"][data-value="1"]').waitFor();
    expect(await cardValue(page, 'botResolved')).toBe(num(tg.botResolvedShare));
    expect(await cardValue(page, 'csat')).toBe('');
    expect(await page.locator('.rep-chart[data-metric="csat_average"] circle.rep-point').count()).toBe(0);

    // The summary CSV of what is shown (Telegram), read back: the same rows the API gives.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#rep-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^summary-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await readFile(await download.path(), 'utf8');
    const fromApi = await fetch(`${app.url}/api/reports/summary?format=csv&${defaultWindow()}&channel=telegram`, {
      headers: { authorization: `Bearer ${admin.token}` },
    }).then((r) => r.text());
    expect(file).toBe(fromApi);
    const [header, totalRow] = file
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(totalRow![header!.indexOf('conversations')]).toBe('1');
    expect(totalRow![header!.indexOf('bot_resolved')]).toBe(String(tg.botResolved));

    // A chart's own CSV: one row per day.
    const [series2] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download “Conversations per day” as CSV' }).click(),
    ]);
    const rows = (await readFile(await series2.path(), 'utf8')).trim().split('\r\n');
    expect(rows[0]).toBe('start,end,value');
    expect(rows.slice(1)).toHaveLength(DAYS);
    expect(rows.slice(1).reduce((a, r) => a + Number(r.split(',')[2]), 0)).toBe(1);

    // A narrower date range: fewer bars.
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#rep-channel').selectOption('');
    await page.locator('#rep-start').fill(weekAgo);
    await page.locator('#rep-start').dispatchEvent('change');
    await eventually(async () => (await bars.count()) === 7 || undefined, 5000, 'a week of bars');
    expect(await page.locator('#rep-end').inputValue()).toBe(today);
    expect(await page.locator('#rep-period').inputValue()).toBe('custom');
    // A preset period sets both dates.
    await page.getByLabel('Period').selectOption('90');
    await eventually(async () => (await bars.count()) === 90 || undefined, 5000, '90 days of bars');
    expect(await page.locator('#rep-end').inputValue()).toBe(today);
    await page.context().close();
  });

  it('is in Chinese for a Chinese browser, fits 375 px, and tells a non-admin it is for admins', async () => {
    const page = await signIn(browser, app, admin.token, { locale: 'zh-CN', viewport: { width: 375, height: 740 } });
    await openReports(page);
    expect(await page.locator('#view h1').textContent()).toBe('报表');
    expect(await page.locator('label[for="rep-channel"]').textContent()).toBe('渠道');
    expect(await page.locator('.rep-card[data-card="csat"] .rep-card-label').textContent()).toBe('满意度');
    expect(await page.locator('.rep-chart[data-metric="conversations"] h3').textContent()).toBe('每日会话数');
    // Nothing wider than the phone: no horizontal scroll.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const svgWidth = await page.locator('.rep-chart[data-metric="conversations"] svg').evaluate((s) => s.getBoundingClientRect().width);
    expect(svgWidth).toBeLessThanOrEqual(375);
    expect(svgWidth).toBeGreaterThan(250);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'reports', 'page');
    await page.locator('.rep-chart[data-metric="first_response_median"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'reports', 'charts');
    await page.context().close();

    const en375 = await signIn(browser, app, admin.token, { viewport: { width: 375, height: 740 } });
    await openReports(en375);
    await screenshot(en375, 'reports', 'page');
    await en375.context().close();
    const zh1366 = await signIn(browser, app, admin.token, { locale: 'zh-CN' });
    await openReports(zh1366);
    await screenshot(zh1366, 'reports', 'page');
    await zh1366.context().close();

    const plain = await signIn(browser, app, agent.token);
    await plain.goto(`${app.url}/console#/reports`);
    await plain.locator('.rep-note').waitFor();
    expect(await plain.locator('.rep-note').textContent()).toMatch(/for admins/);
    expect(await plain.locator('.rep-card').count()).toBe(0);
    await plain.context().close();
  });
});
