/**
 * Screenshots of every page for looking at them after a change: `npm run screenshots [-- OUT_DIR]`
 * (default test/artifacts/screenshots/). The app is seeded with a few customers in English and
 * Chinese, a claimed conversation with a reply and an internal note, and a VIP customer; then the
 * chat page and each console page (sign-in, inbox, conversation, customer, reports, visitors, admin pages)
 * are taken at 1366 and 375 px, in English and in simplified Chinese (the browser's language), as
 * `PAGE-LOCALE-WIDTH.png`. Not a test: nothing is asserted beyond each page having rendered.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, startApp } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { launchChromium } from './chromium.js';

const out = process.argv[2] ?? join(import.meta.dirname, '..', 'artifacts', 'screenshots');
await mkdir(out, { recursive: true });
const app = await startApp({});
const browser = await launchChromium();
try {
  const admin = await app.createAgent('Alice', 'admin');
  await app.createAgent('Bo Wang');
  const seeded = await seed(admin.token);
  for (const locale of ['en-US', 'zh-CN']) {
    for (const width of [1366, 375]) {
      const tag = `${locale.slice(0, 2)}-${width}`;
      await chatPage(browser, locale, width, join(out, `chat-${tag}.png`));
      await consolePages(browser, locale, width, admin.token, seeded, tag);
    }
  }
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await app.stop();
}

/** Three customers: an English return question handed to a person, a Chinese one, and a VIP whose conversation Alice works. */
async function seed(token: string): Promise<{ conversationId: string; customerId: string }> {
  const talk = async (lines: string[]) => {
    const customer = await WebchatCustomer.open(app.url);
    for (const line of lines) await customer.say(line);
    return customer;
  };
  await talk(['How do I return an item?', 'talk to a person']);
  await talk(['怎么退货？', '人工客服']);
  await talk(['Where is my parcel? It was due on Monday.', 'human']);
  const order = await eventually(async () => {
    const list = await api(app, token, 'GET', '/api/conversations?status=queued&q=Monday');
    if (list.body.items.length !== 1) throw new Error(`found: ${list.body.items.length}`);
    const item = list.body.items[0] as { id: string; customer: { id: string } };
    return { id: item.id, customerId: item.customer.id };
  });
  const named = await api(app, token, 'PATCH', `/api/customers/${order.customerId}`, { displayName: 'Maria Lopez', tier: 'vip' });
  if (named.status !== 200) throw new Error(`naming the customer: ${named.status} ${JSON.stringify(named.body)}`);
  await api(app, token, 'POST', `/api/conversations/${order.id}/claim`);
  await api(app, token, 'POST', `/api/conversations/${order.id}/notes`, {
    text: 'Carrier says **delayed** at the depot; check again tomorrow.',
  });
  await api(app, token, 'POST', `/api/conversations/${order.id}/messages`, {
    text: 'Sorry for the wait, Maria! Your parcel is at the local depot and should arrive **tomorrow**.',
  });
  return { conversationId: order.id, customerId: order.customerId };
}

async function chatPage(browser: Browser, locale: string, width: number, path: string): Promise<void> {
  const context = await browser.newContext({ locale, viewport: viewport(width) });
  const page = await context.newPage();
  await page.goto(`${app.url}/chat`);
  const question = locale.startsWith('zh') ? '怎么退货？' : 'How do I return an item?';
  await page.locator('#t').fill(question);
  await page.locator('#t').press('Enter');
  await page.locator('.msg.out').last().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  await context.close();
}

async function consolePages(
  browser: Browser,
  locale: string,
  width: number,
  token: string,
  seeded: { conversationId: string; customerId: string },
  tag: string,
): Promise<void> {
  const context = await browser.newContext({ locale, viewport: viewport(width) });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const shot = async (name: string) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `console-${name}-${tag}.png`) });
  };
  await page.goto(`${app.url}/console`);
  await shot('signin');
  await page.locator('#token').fill(token);
  await page.locator('#login button[type="submit"]').click();
  await page.locator('#who', { hasText: 'Alice' }).waitFor();
  await visit(page, '#/inbox/all', '#list li[data-id]');
  await shot('inbox');
  await visit(page, `#/c/${seeded.conversationId}`, '#view .conv-main');
  await shot('conversation');
  await visit(page, `#/customer/${seeded.customerId}`, '.cust-name');
  await shot('customer');
  await visit(page, '#/reports', '.rep-chart svg');
  await shot('reports');
  await visit(page, '#/visitors', '.vis-status');
  await shot('visitors');
  for (const section of ['agents', 'teams', 'routing', 'canned', 'sla', 'webhooks', 'faq']) {
    await visit(page, `#/admin/${section}`, '.admin-h1');
    await shot(`admin-${section}`);
  }
  await context.close();
}

async function visit(page: Page, hash: string, ready: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.locator(ready).first().waitFor();
}

function viewport(width: number) {
  return { width, height: width > 800 ? 768 : 740 };
}
