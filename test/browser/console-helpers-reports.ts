import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { api, eventually } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { TelegramAppHarness } from '../channels/telegram.js';
import type { Running } from '../../src/main.js';

/** Shared by the reports and customer-panel browser tests: seeding real conversations, signing in, screenshots. */

export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** A fresh context (its own sessionStorage) signed in through the form; `options` sets viewport, locale, time zone. */
export async function signIn(browser: Browser, app: Running, token: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${app.url}/console`);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor();
  return page;
}

/** The viewport as the agent sees it (the console scrolls inside #view, so a full-page shot shows no more). */
export async function screenshot(page: Page, part: string, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const locale = await page.evaluate(() => document.documentElement.lang.slice(0, 2));
  await page.screenshot({ path: join(ARTIFACTS, `console-${part}-${name}-${width}-${locale}.png`) });
}

/** A web-chat customer who asked for a person; resolves when the conversation is queued. */
export async function handedOff(app: Running, first: string) {
  const chat = await WebchatCustomer.open(app.url);
  await chat.say(first);
  await chat.say('human');
  const conv = await eventually(
    async () => {
      const c = await app.store.tx((r) => r.conversations.latestForThread('webchat', chat.sessionId));
      return c?.status === 'queued' ? c : undefined;
    },
    10_000,
    'queued conversation',
  );
  return { chat, conversationId: conv.id, customerId: conv.customerId };
}

/** The agent claims, replies and resolves; the customer rates it `score`. */
export async function answeredAndRated(app: Running, token: string, seeded: Awaited<ReturnType<typeof handedOff>>, score: number) {
  const path = `/api/conversations/${seeded.conversationId}`;
  for (const [step, body] of [
    ['/claim', undefined],
    ['/messages', { text: 'Sorted it out for you.' }],
    ['/resolve', undefined],
  ] as const) {
    const res = await api(app, token, 'POST', path + step, body);
    if (res.status >= 300) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await eventually(async () => (await seeded.chat.history()).items.some((i) => /How did we do/.test(i.text)), 10_000, 'CSAT question');
  await seeded.chat.say(String(score));
  await eventually(
    async () => (await app.store.tx((r) => r.conversations.get(seeded.conversationId)))?.csat === score,
    10_000,
    'CSAT recorded',
  );
}

/** A Telegram customer the FAQ answers (bot-resolved); resolves to their customer id. */
export async function telegramAnswered(h: TelegramAppHarness, user: { id: number; first_name: string }, text = 'How do I return an item?') {
  h.fake.pushMessage({ ...user, language_code: 'en' }, { text });
  await h.fake.waitFor(() => h.fake.sentTo(user.id).length >= 1, 10_000, 'Telegram answer');
  const conv = await eventually(
    () => h.app.store.tx((r) => r.conversations.latestForThread('telegram', String(user.id))),
    10_000,
    'Telegram conversation',
  );
  return { conversationId: conv.id, customerId: conv.customerId };
}
