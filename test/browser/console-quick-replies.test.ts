/** Quick-reply buttons added in the console's composer, in a real browser against the real API and web chat. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { queuedConversation } from '../support/conversations.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { signedIn } from './console-helpers-shell.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(chromiumMissing)(browserSuite('/console quick replies'), () => {
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

  /** A queued web-chat conversation Alice holds, open in the console; `posts` collects the replies and notes the page sends. */
  async function claimedAndOpen(
    options: { width?: number; locale?: string } = {},
  ): Promise<{ customer: WebchatCustomer; id: string; page: Page; posts: { url: string; body: unknown }[] }> {
    const customer = await WebchatCustomer.open(app.url);
    const id = await queuedConversation(app, customer);
    expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    const page = await signedIn(browser, app.url, alice.token, 'Alice', {
      viewport: { width: options.width ?? 1366, height: 800 },
      ...(options.locale ? { locale: options.locale } : {}),
    });
    const posts: { url: string; body: unknown }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/(messages|notes)$/.test(r.url())) posts.push({ url: r.url(), body: r.postDataJSON() });
    });
    await page.goto(`${app.url}/console#/c/${id}`);
    await page.locator('#view .conv-send:enabled').waitFor();
    return { customer, id, page, posts };
  }

  it('adds two buttons by keyboard, sends them with the reply; the customer is offered them and the composer is empty again', async () => {
    const { customer, id, page, posts } = await claimedAndOpen();
    const view = page.locator('#view');
    const toggle = view.getByRole('button', { name: 'Quick replies' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const first = view.getByRole('textbox', { name: 'Button 1' });
    await expect.poll(() => first.evaluate((e) => e === document.activeElement)).toBe(true);
    await first.pressSequentially('Refund');
    // Enter in a label adds the next button and never sends the reply.
    await first.press('Enter');
    const second = view.getByRole('textbox', { name: 'Button 2' });
    await expect.poll(() => second.evaluate((e) => e === document.activeElement)).toBe(true);
    await second.pressSequentially(' Replacement ');
    expect(await view.locator('.conv-qr-chip').allTextContents()).toEqual(['Refund', 'Replacement']);
    expect(await view.locator('.conv-qr-offer').textContent()).toContain('The customer will see:');

    // Tab order: label 2, its remove button, Add button, … then the reply box takes the text.
    await second.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove button 2');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add button');
    const input = view.getByRole('textbox', { name: 'Reply' });
    await input.fill('Would you like a refund or a replacement?');
    await page.screenshot({ path: join(ARTIFACTS, 'console-quick-replies-1366-en.png') });
    expect(posts).toEqual([]);

    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/messages`));
    await input.press('Enter');
    expect((await posted).postDataJSON()).toEqual({
      text: 'Would you like a refund or a replacement?',
      choices: ['Refund', 'Replacement'],
    });
    await view.locator('.conv-msg.conv-out', { hasText: 'refund or a replacement' }).locator('.conv-delivery-sent').waitFor();
    expect(await view.locator('.conv-msg.conv-out', { hasText: 'refund or a replacement' }).textContent()).toContain(
      'Offered: Refund · Replacement',
    );

    const stored = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.messages.at(-1);
    expect(stored).toMatchObject({ author: 'agent', direction: 'out', text: 'Would you like a refund or a replacement?' });
    expect(stored.choices).toEqual([
      { id: 'reply:1', label: 'Refund' },
      { id: 'reply:2', label: 'Replacement' },
    ]);
    const offered = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'the reply in the web chat',
    );
    expect(offered.choices).toEqual(stored.choices);

    // The customer's chat page (the same session) offers them as buttons; a press reaches the agent.
    const chat = await browser.newContext({ viewport: { width: 375, height: 700 } });
    await chat.addInitScript((session) => localStorage.setItem('switchboard.session', session), JSON.stringify(customer));
    const chatPage = await chat.newPage();
    await chatPage.goto(`${app.url}/chat`);
    const buttons = chatPage.locator('.choices button');
    await expect.poll(() => buttons.allTextContents(), { timeout: 10_000 }).toEqual(['Refund', 'Replacement']);
    await buttons.filter({ hasText: 'Replacement' }).click();
    await view.locator('.conv-msg.conv-in', { hasText: 'Replacement' }).waitFor();
    await chat.close();

    // Sent and cleared: no text, no labels, the control closed again.
    expect(await input.inputValue()).toBe('');
    expect(await view.locator('.conv-qr-input').count()).toBe(0);
    expect(await view.locator('.conv-qr').isHidden()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.context().close();
  });

  it('refuses a sixth button, an empty or too long label inline, sending nothing; Escape and the remove buttons take labels away; notes carry none', async () => {
    const { id, page, posts } = await claimedAndOpen();
    const view = page.locator('#view');
    await view.getByRole('button', { name: 'Quick replies' }).click();
    const add = view.getByRole('button', { name: 'Add button' });
    for (let i = 0; i < 4; i++) await add.click();
    expect(await view.locator('.conv-qr-input').count()).toBe(5);
    expect(await add.isDisabled()).toBe(true);
    expect(await view.locator('.conv-qr-full').textContent()).toBe('At most 5 buttons.');
    for (const n of [1, 2, 4, 5]) await view.getByRole('textbox', { name: `Button ${n}` }).fill(`Option ${n}`);

    const input = view.getByRole('textbox', { name: 'Reply' });
    await input.fill('Which one?');
    await input.press('Enter');
    const error = view.locator('.conv-qr-error');
    await expect.poll(() => error.textContent()).toBe('Button 3 has no label: write one or remove it.');
    const third = view.getByRole('textbox', { name: 'Button 3' });
    expect(await third.getAttribute('aria-invalid')).toBe('true');
    expect(await third.evaluate((e) => e === document.activeElement)).toBe(true);

    // Too long is said while typing (the API's limit is 64 characters after trimming).
    await third.fill('x'.repeat(65));
    await expect.poll(() => error.textContent()).toBe('Button 3 is 65 characters long; at most 64.');
    await view.getByRole('button', { name: 'Send reply' }).click();
    expect(await input.inputValue()).toBe('Which one?');
    expect(posts).toEqual([]);

    // Escape empties the label, a second Escape removes it; the rest are renumbered.
    await third.press('Escape');
    expect(await third.inputValue()).toBe('');
    await third.press('Escape');
    expect(await view.locator('.conv-qr-input').count()).toBe(4);
    expect(await error.textContent()).toBe('');
    expect(await view.getByRole('textbox', { name: 'Button 3' }).inputValue()).toBe('Option 4');
    expect(await add.isEnabled()).toBe(true);
    // The remove button by keyboard.
    await view.getByRole('button', { name: 'Remove button 4' }).focus();
    await page.keyboard.press('Enter');
    expect(await view.locator('.conv-qr-chip').allTextContents()).toEqual(['Option 1', 'Option 2', 'Option 4']);

    // A note offers nothing: the control is gone and the note is sent without choices.
    await view.locator('.conv-mode-note').click();
    expect(await view.getByRole('button', { name: 'Quick replies' }).isHidden()).toBe(true);
    expect(await view.locator('.conv-qr').isVisible()).toBe(false);
    const noteInput = view.getByRole('textbox', { name: 'Internal note' });
    await noteInput.fill('Offered three options');
    const note = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/notes`));
    await noteInput.press('Enter');
    expect((await note).postDataJSON()).toEqual({ text: 'Offered three options' });
    await view.locator('.conv-msg', { hasText: 'Offered three options' }).waitFor();
    // Back to a reply, the labels are still there to send.
    await view.locator('.conv-mode-reply').click();
    expect(await view.locator('.conv-qr-chip').allTextContents()).toEqual(['Option 1', 'Option 2', 'Option 4']);
    // Removing the control takes every label with it.
    await view.getByRole('button', { name: 'Remove quick replies' }).click();
    expect(await view.locator('.conv-qr-input').count()).toBe(0);
    expect(posts.filter((p) => p.url.endsWith('/messages'))).toEqual([]);
    await page.context().close();
  });

  it('shows the API’s refusal in the panel and keeps the reply and its buttons', async () => {
    const { page, posts } = await claimedAndOpen();
    const view = page.locator('#view');
    await view.getByRole('button', { name: 'Quick replies' }).click();
    await view.getByRole('textbox', { name: 'Button 1' }).fill('Yes');
    const input = view.getByRole('textbox', { name: 'Reply' });
    // Only a zero-width space: not empty to the composer, blank to the API, which refuses the reply.
    await input.fill('\u200b');
    await input.press('Enter');
    const error = view.locator('.conv-qr-error');
    await expect.poll(() => error.textContent()).toContain('text: must not be empty');
    expect(await page.locator('#notice').textContent()).toContain('text: must not be empty');
    expect(posts).toHaveLength(1);
    expect(await view.getByRole('textbox', { name: 'Button 1' }).inputValue()).toBe('Yes');
    expect(await input.inputValue()).toBe('\u200b');
    await page.context().close();
  });

  for (const [locale, tag, open, label] of [
    ['en-US', 'en', 'Quick replies', 'Button'],
    ['zh-CN', 'zh', '选项按钮', '按钮'],
  ] as const)
    it(`fits 375 px and passes axe with buttons being written (${tag})`, async () => {
      const { page } = await claimedAndOpen({ width: 375, locale });
      const view = page.locator('#view');
      await view.getByRole('button', { name: open }).click();
      await view.getByRole('textbox', { name: `${label} 1` }).fill(tag === 'zh' ? '退款' : 'Refund');
      await view.getByRole('textbox', { name: `${label} 1` }).press('Enter');
      await view.getByRole('textbox', { name: `${label} 2` }).fill(tag === 'zh' ? '换货' : 'Replacement');
      await view.getByRole('textbox', { name: `${label} 2` }).press('Enter');
      await view.getByRole('textbox', { name: `${label} 3` }).fill('x'.repeat(70));
      await view.locator('.conv-qr-error').filter({ hasText: /\S/ }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const panel = await view.locator('.conv-qr').boundingBox();
      expect(panel!.x).toBeGreaterThanOrEqual(0);
      expect(panel!.x + panel!.width).toBeLessThanOrEqual(375);
      // The send button stays reachable below the open panel.
      const send = view.locator('.conv-send');
      await send.scrollIntoViewIfNeeded();
      const box = await send.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(800);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      await view.locator('.conv-qr').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `console-quick-replies-375-${tag}.png`) });
      await expectNoSeriousA11yViolations(page, '#view');
      await page.context().close();
    });
});
