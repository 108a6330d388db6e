import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { expectNoSeriousA11yViolations } from './axe.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';

const DRAFT = 'Sorry for the trouble! Could you tell me your order number so I can check it?';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

describe.skipIf(chromiumMissing)(browserSuite('/console conversation view'), () => {
  let app: Running;
  let llm: FakeAnthropic;
  let browser: Browser;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = () => DRAFT;
    [app, browser] = await Promise.all([startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url }), launchChromium()]);
    alice = await app.createAgent('Alice');
    bob = await app.createAgent('Bob');
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await llm?.close();
  });

  /** A fresh context signed in through the form, then at `#/c/<id>`; any dialog fails the test. */
  async function openConversation(token: string, id: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...options });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    (page as Page & { dialogs: string[] }).dialogs = dialogs;
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
    await page.locator('#who').filter({ hasText: /\S/ }).waitFor();
    await page.goto(`${app.url}/console#/c/${id}`);
    await page.locator('#view .conv-main').waitFor();
    return page;
  }
  const dialogsOf = (page: Page) => (page as Page & { dialogs: string[] }).dialogs;

  /** A web-chat customer who said `texts` and asked for a person; resolves to the queued conversation's id. */
  async function queued(...texts: string[]): Promise<{ customer: WebchatCustomer; id: string }> {
    const customer = await WebchatCustomer.open(app.url);
    for (const text of texts) await customer.say(text);
    await customer.say('human');
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

  it('claims, fills a canned reply’s placeholders after “/”, sends it; the customer receives it; hand-off and claim show as system lines', async () => {
    for (const [shortcut, text] of [
      ['thanks', 'Thanks!'],
      ['thanks-wait', 'Hi {{customer.name}}, this is {{agent.name}}. Thanks for waiting!'],
    ])
      expect((await api(app, alice.token, 'POST', '/api/canned', { shortcut, text })).status).toBe(201);
    const { customer, id } = await queued('My parcel is late');
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    await view.locator('.conv-sys[data-action="handoff"]').waitFor();
    const send = view.getByRole('button', { name: 'Send reply' });
    expect(await send.isDisabled()).toBe(true);
    expect(await view.locator('.conv-reason').textContent()).toBe('Claim the conversation to reply.');

    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('.conv-sys[data-action="claim"]', { hasText: 'Alice claimed it' }).waitFor();
    await view.locator('.conv-assignee', { hasText: 'Assigned to Alice' }).waitFor();
    expect(await send.isEnabled()).toBe(true);

    const input = view.getByRole('textbox', { name: 'Reply' });
    const cannedList = view.getByRole('listbox', { name: 'Canned responses' });
    await input.pressSequentially('/tha');
    await expect.poll(() => cannedList.getByRole('option').count()).toBe(2);
    await input.pressSequentially('nks-');
    await expect.poll(() => cannedList.getByRole('option').allTextContents()).toEqual([expect.stringContaining('/thanks-wait')]);
    await input.press('Backspace');
    await expect.poll(() => cannedList.getByRole('option').count()).toBe(2);
    // Down to the second, up and down again: the arrows move the active option, Enter takes it.
    await input.press('ArrowDown');
    await input.press('ArrowUp');
    await input.press('ArrowDown');
    expect(await cannedList.getByRole('option', { selected: true }).textContent()).toContain('/thanks-wait');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Hi customer, this is Alice. Thanks for waiting!');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/messages`));
    await input.press('Control+Enter');
    expect((await posted).postDataJSON()).toEqual({ text: 'Hi customer, this is Alice. Thanks for waiting!' });
    await view.locator('.conv-msg.conv-out', { hasText: 'this is Alice' }).locator('.conv-delivery-sent').waitFor();
    expect(await input.inputValue()).toBe('');
    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'agent reply in the web chat',
    );
    expect(received.text).toBe('Hi customer, this is Alice. Thanks for waiting!');

    // Order in the timeline: the customer's messages, the hand-off line, then the claim, then the reply.
    const order = await view
      .locator('.conv-items > li')
      .evaluateAll((lis) =>
        lis.map((li) =>
          li.classList.contains('conv-sys') ? 'sys:' + (li as HTMLElement).dataset.action : li.className.includes('conv-in') ? 'in' : 'out',
        ),
      );
    expect(order.indexOf('sys:handoff')).toBeLessThan(order.indexOf('sys:claim'));
    expect(order.lastIndexOf('out')).toBeGreaterThan(order.indexOf('sys:claim'));
    await expectNoSeriousA11yViolations(page, '#view');
    await page.screenshot({ path: join(ARTIFACTS, 'console-conv-view-1366-en.png') });
    await page.context().close();
  });

  it('shows hostile customer text and javascript: links as text, runs nothing, and renders the bot’s Markdown', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const link = '[x](javascript:alert(1))';
    const { id } = await queued('Where do I enter my coupon?', hostile, link);
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    const inbound = view.locator('.conv-msg.conv-in .conv-text');
    await view.locator('.conv-msg.conv-in', { hasText: link }).waitFor();
    expect(await inbound.allTextContents()).toEqual(expect.arrayContaining([hostile, link]));
    expect(await view.locator('.conv-items img, .conv-items script, .conv-msg.conv-in a').count()).toBe(0);
    // The FAQ answer's **Discount code** is bold, not asterisks.
    const bold = view.locator('.conv-msg.conv-by-bot .conv-md strong', { hasText: 'Discount code' });
    await bold.waitFor();
    expect(await view.locator('.conv-msg.conv-by-bot', { hasText: '**' }).count()).toBe(0);
    // An agent's Markdown link is a link when it is http(s), text when it is javascript:.
    await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`);
    await api(app, alice.token, 'POST', `/api/conversations/${id}/messages`, {
      text: 'See [our page](https://example.com/deals) or [this](javascript:alert(2))',
    });
    const out = view.locator('.conv-msg.conv-out', { hasText: 'our page' });
    await out.waitFor();
    expect(
      await out.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])),
    ).toEqual([['https://example.com/deals', 'noopener noreferrer', '_blank']]);
    expect(await out.textContent()).toContain('[this](javascript:alert(2))');
    await view.locator('.conv-msg.conv-in', { hasText: hostile }).click();
    await page.waitForTimeout(300);
    expect(dialogsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('note mode: distinct, “@” suggests agents and inserts @name; Bob is mentioned and invited; the customer never sees it', async () => {
    const { customer, id } = await queued('Need help with an invoice');
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    await view.getByText('Internal note', { exact: true }).click();
    const note = view.getByRole('textbox', { name: 'Internal note' });
    await expect.poll(() => view.locator('.conv-composer').getAttribute('class')).toContain('conv-noting');
    await note.pressSequentially('Could you check this @Bo');
    await view.getByRole('option', { name: '@Bob' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-conv-note-1366-en.png') });
    await note.press('Enter');
    expect(await note.inputValue()).toBe('Could you check this @Bob ');
    await note.pressSequentially('please');
    await view.getByRole('button', { name: 'Add note' }).click();
    const shown = view.locator('.conv-msg.conv-internal', { hasText: 'Could you check this @Bob please' });
    await shown.waitFor();
    expect(await shown.locator('.conv-tag').textContent()).toBe('internal');
    const bg = await shown.evaluate((n) => getComputedStyle(n).backgroundColor);
    const replyBg = await view
      .locator('.conv-msg.conv-in')
      .first()
      .evaluate((n) => getComputedStyle(n).backgroundColor);
    expect(bg).not.toBe(replyBg);
    await view.locator('.conv-sys', { hasText: 'Bob was invited' }).waitFor();
    const detail = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body;
    expect(detail.conversation.participantIds).toEqual([bob.id]);
    expect((await customer.history()).items.some((i) => i.text.includes('@Bob'))).toBe(false);
    await page.context().close();
  });

  it('claims and replies by keyboard alone: Tab to Claim, Enter, type, Enter', async () => {
    const { customer, id } = await queued('Keyboard person here');
    const page = await openConversation(alice.token, id);
    await page.locator('#view .conv-claim:enabled').waitFor();
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.classList.contains('conv-claim') ?? false);
    }
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    // The Claim button goes away once claimed; the focus lands in the composer.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('conv-input'))).toBe(true);
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'keyboard reply in the web chat',
    );
    expect(received.text).toBe('Typed without a mouse\nsecond line');
    await page.context().close();
  });

  it('the view’s claim, focusReply and resolve answer the c, r and e shortcuts', async () => {
    const { id } = await queued('Shortcut person');
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    await view.locator('.conv-claim:enabled').waitFor();
    await view.locator('.conv-history').focus();
    await page.keyboard.press('c');
    await view.locator('.conv-assignee', { hasText: 'Assigned to Alice' }).waitFor();
    await view.locator('.conv-history').focus();
    await page.keyboard.press('r');
    // The shell moves the focus in a task of its own (main.ts), after the key's.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('conv-input'))).toBe(true);
    // In the composer the letters are text, not shortcuts; an unknown "/shortcut" is not sent by Enter.
    await page.keyboard.type('/nosuchthing');
    await view.locator('.conv-suggest .conv-empty').waitFor();
    await page.keyboard.press('Enter');
    expect(await view.locator('.conv-input').inputValue()).toBe('/nosuchthing');
    expect(await view.locator('.conv-status').textContent()).toBe('assigned');
    await view.locator('.conv-history').focus();
    await page.keyboard.press('e');
    await view.locator('.conv-status', { hasText: 'resolved' }).waitFor();
    await page.context().close();
  });

  it('sets the priority, adds and removes a label, snoozes and wakes, each with its system line', async () => {
    const { id } = await queued('Tools person');
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    // The tools wait behind "More…" at every width.
    await view.getByRole('button', { name: 'More…' }).click();
    await view.getByLabel('Priority').selectOption('urgent');
    await view.locator('.conv-prio-urgent', { hasText: 'Urgent' }).waitFor();
    await view.locator('.conv-sys-priority', { hasText: 'Alice set the priority to Urgent' }).waitFor();
    await view.getByRole('textbox', { name: 'Add label' }).fill('Refund');
    await view.getByRole('button', { name: 'Add', exact: true }).click();
    await view.locator('.conv-label', { hasText: 'refund' }).waitFor();
    await view.locator('.conv-sys-label', { hasText: 'Alice added the label “refund”' }).waitFor();
    await view.getByRole('button', { name: 'Remove label refund' }).click();
    await view.locator('.conv-sys-label', { hasText: 'Alice removed the label “refund”' }).waitFor();
    expect(await view.locator('.conv-label').count()).toBe(0);
    await view.getByRole('button', { name: 'Snooze' }).click();
    await view.locator('.conv-snoozed').waitFor();
    await view.locator('.conv-sys-snooze', { hasText: 'Alice snoozed it until' }).waitFor();
    await view.getByRole('button', { name: 'Wake now' }).click();
    await view.locator('.conv-sys-snooze', { hasText: 'Alice woke it up' }).waitFor();
    expect(await view.locator('.conv-snoozed').count()).toBe(0);
    const c = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation;
    expect(c).toMatchObject({ priority: 'urgent', labels: [], snoozedUntil: null });
    await page.context().close();
  });

  it('follows new messages at the bottom; scrolled up it stays and offers “new messages ↓”', async () => {
    const lines = Array.from({ length: 24 }, (_, i) => `line ${i + 1} of a long story`);
    const { customer, id } = await queued(...lines);
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    const pane = view.locator('.conv-history');
    await view.locator('.conv-msg', { hasText: 'line 24 of' }).waitFor();
    const gap = () => pane.evaluate((p) => p.scrollHeight - p.scrollTop - p.clientHeight);
    expect(await pane.evaluate((p) => p.scrollHeight > p.clientHeight)).toBe(true);
    await expect.poll(gap).toBeLessThan(5);

    await customer.say('one more while watching');
    await view.locator('.conv-msg', { hasText: 'one more while watching' }).waitFor();
    await expect.poll(gap).toBeLessThan(5);
    expect(await view.locator('.conv-jump').isHidden()).toBe(true);

    await pane.evaluate((p) => {
      p.scrollTop = 0;
    });
    await customer.say('and another one');
    await view.locator('.conv-msg', { hasText: 'and another one' }).waitFor();
    const jump = view.getByRole('button', { name: 'New messages ↓' });
    await jump.waitFor();
    expect(await pane.evaluate((p) => p.scrollTop)).toBeLessThan(50);
    await jump.click();
    await expect.poll(gap).toBeLessThan(5);
    expect(await jump.isHidden()).toBe(true);
    await page.context().close();
  });

  it('keeps the history tall: drafts collapsed by default, bounded when opened', async () => {
    const { id } = await queued('Where is my order?');
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    const summary = view.locator('.conv-drafts-summary', { hasText: 'Drafts (1)' });
    await summary.waitFor();
    const historyHeight = () => view.locator('.conv-history').evaluate((n) => n.getBoundingClientRect().height);
    const viewHeight = await view.evaluate((n) => n.getBoundingClientRect().height);
    const collapsed = await historyHeight();
    expect(collapsed).toBeGreaterThan(viewHeight * 0.4);
    expect(await view.locator('.conv-draft-list').isVisible()).toBe(false);
    await summary.click();
    await view.locator('.conv-draft', { hasText: DRAFT }).waitFor();
    expect(await historyHeight()).toBeGreaterThan(collapsed * 0.6);
    await view.getByRole('button', { name: 'Use draft' }).click();
    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('.conv-send:enabled').waitFor();
    const input = view.getByRole('textbox', { name: 'Reply' });
    expect(await input.inputValue()).toBe(DRAFT);
    const detail = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body;
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages'));
    await view.getByRole('button', { name: 'Send reply' }).click();
    expect((await posted).postDataJSON()).toEqual({ text: DRAFT, draftId: detail.drafts[0].id });
    await page.context().close();
  });

  for (const [width, height] of [
    [375, 740],
    [1366, 768],
  ] as const) {
    it(`at ${width} px nothing is cut off; the customer panel is ${width >= 1100 ? 'beside' : 'behind a toggle'}`, async () => {
      const { id } = await queued('Phone check');
      const page = await openConversation(alice.token, id, { viewport: { width, height } });
      const view = page.locator('#view');
      await view.locator('.conv-msg', { hasText: 'Phone check' }).waitFor();
      const overflow = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('#view .conv-main *')].filter((n) => {
          const r = n.getBoundingClientRect();
          return r.width > 0 && (r.right > w + 1 || r.left < -1);
        });
        return { scroll: document.documentElement.scrollWidth - w, out: out.slice(0, 5).map((n) => n.className) };
      });
      expect(overflow).toEqual({ scroll: 0, out: [] });
      const send = view.locator('.conv-send');
      const box = await send.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(height);
      await page.screenshot({ path: join(ARTIFACTS, `console-conv-view-${width}-en.png`) });
      const toggle = view.getByRole('button', { name: 'Customer' });
      if (width < 1100) {
        expect(await view.locator('.conv-side').isVisible()).toBe(false);
        await toggle.click();
        expect(await view.locator('.conv-side').isVisible()).toBe(true);
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        await view.locator('.conv-side').getByRole('button', { name: 'Close' }).click();
        expect(await view.locator('.conv-side').isVisible()).toBe(false);
        // The tools that wait behind "More…".
        expect(await view.locator('.conv-priority').isVisible()).toBe(false);
        await view.getByRole('button', { name: 'More…' }).click();
        expect(await view.locator('.conv-priority').isVisible()).toBe(true);
        const sendBox = await send.boundingBox();
        expect(sendBox!.y + sendBox!.height).toBeLessThanOrEqual(height);
      } else {
        expect(await toggle.isVisible()).toBe(false);
        expect(await view.locator('.conv-side').isVisible()).toBe(true);
      }
      await expectNoSeriousA11yViolations(page, '#view');
      await page.context().close();
    });
  }

  it('speaks Chinese with a Chinese browser, and re-labels in English when the agent switches', async () => {
    const { id } = await queued('你好，我要退货');
    for (const [width, height] of [
      [1366, 768],
      [375, 740],
    ] as const) {
      const page = await openConversation(alice.token, id, { locale: 'zh-CN', viewport: { width, height } });
      const view = page.locator('#view');
      await view.getByRole('button', { name: '认领' }).waitFor();
      expect(await view.getByRole('button', { name: '发送回复' }).isDisabled()).toBe(true);
      expect(await view.locator('.conv-status').textContent()).toBe('排队等待中');
      await view.locator('.conv-sys[data-action="handoff"]', { hasText: '已转人工' }).waitFor();
      expect(await view.locator('.conv-reason').textContent()).toBe('请先认领会话再回复。');
      await page.screenshot({ path: join(ARTIFACTS, `console-conv-view-${width}-zh.png`) });
      if (width === 1366) {
        await expectNoSeriousA11yViolations(page, '#view');
        // The language switch re-labels the open view in place, keeping what the agent typed.
        await view.locator('.conv-input').fill('半句话');
        await page.locator('#locale').selectOption('en');
        await view.getByRole('button', { name: 'Claim' }).waitFor();
        await view.locator('.conv-sys[data-action="handoff"]', { hasText: 'Handed off to a person' }).waitFor();
        expect(await view.locator('.conv-reason').textContent()).toBe('Claim the conversation to reply.');
        expect(await view.locator('.conv-input').inputValue()).toBe('半句话');
      }
      await page.context().close();
    }
  });

  it('shows attachments as chips, thumbnails and download links; CSAT and the resolve as system lines', async () => {
    const { customer, id } = await queued('Here are my files');
    const at = Date.now();
    await app.store.tx((r) =>
      r.messages.insert({
        id: `att-${at}`,
        conversationId: id,
        channel: 'webchat',
        externalId: null,
        direction: 'in',
        author: 'customer',
        agentId: null,
        text: 'photos attached',
        meta: JSON.stringify({
          attachments: [{ name: 'notes.txt' }, { name: 'parcel.jpg', id: 'a1' }, { name: 'invoice.pdf', url: 'javascript:alert(1)' }],
        }),
        createdAt: at,
      }),
    );
    await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`);
    await api(app, alice.token, 'POST', `/api/conversations/${id}/resolve`);
    await customer.say('5');
    await eventually(
      async () => ((await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation.csat === 5 ? true : undefined),
      5000,
      'csat',
    );
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    const files = view.locator('.conv-msg', { hasText: 'photos attached' }).locator('.conv-file');
    await files.first().waitFor();
    expect(await files.allTextContents()).toEqual(['notes.txt', 'parcel.jpg', 'invoice.pdf']);
    expect(await files.nth(0).locator('a, button').count()).toBe(0);
    // A stored file is fetched with the token (test/browser/console-attachments.test.ts), so it is a button, not a link.
    await files.nth(1).getByRole('button', { name: 'Download parcel.jpg' }).waitFor();
    // A URL with another scheme is no link: only the name shows.
    expect(await files.nth(2).locator('a').count()).toBe(0);
    await view.locator('.conv-sys-csat', { hasText: 'Customer rated 5/5' }).waitFor();
    await view.locator('.conv-sys[data-action="resolve"]', { hasText: 'Alice resolved it' }).waitFor();
    expect(await view.locator('.conv-csat').textContent()).toBe('Rated 5/5');
    await page.screenshot({ path: join(ARTIFACTS, 'console-conv-attachments-1366-en.png') });
    await page.context().close();
  });

  it('loads earlier messages by cursor, keeping the place', async () => {
    const { id } = await queued('first of many');
    await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`);
    for (let i = 0; i < 105; i++) await api(app, alice.token, 'POST', `/api/conversations/${id}/notes`, { text: `note ${i}` });
    const page = await openConversation(alice.token, id);
    const view = page.locator('#view');
    await view.locator('.conv-msg', { hasText: 'note 104' }).waitFor();
    expect(await view.locator('.conv-msg', { hasText: 'first of many' }).count()).toBe(0);
    await view.getByRole('button', { name: 'Load earlier messages' }).click();
    await view.locator('.conv-msg', { hasText: 'first of many' }).waitFor();
    expect(await view.getByRole('button', { name: 'Load earlier messages' }).isHidden()).toBe(true);
    const ids = await view.locator('.conv-msg').evaluateAll((ns) => ns.map((n) => (n as HTMLElement).dataset.id));
    expect(new Set(ids).size).toBe(ids.length);
    await page.context().close();
  });
});
