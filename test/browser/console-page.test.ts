import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { expectSelfOnlyPage } from './csp.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>';
const DRAFT = 'Sorry for the trouble! Could you tell me your order number so I can check it?';

describe.skipIf(chromiumMissing)(browserSuite('/console in a real browser'), () => {
  let app: Running;
  let llm: FakeAnthropic;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = () => DRAFT;
    dir = await tempDir();
    [app, browser] = await Promise.all([
      startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url }, dir.path),
      launchChromium(),
    ]);
    alice = await app.createAgent('Alice');
    bob = await app.createAgent('Bob');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await llm?.close();
    await dir?.rm();
  });

  /** A fresh browser context (its own sessionStorage) signed in with `token`. */
  async function signIn(token: string, name: string): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: name }).waitFor();
    return page;
  }

  /** A web-chat customer whose conversation is queued; resolves to its id. */
  async function queuedConversation(text: string): Promise<{ customer: WebchatCustomer; id: string }> {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    const id = await eventually(
      async () => {
        const { items } = (await api(app, alice.token, 'GET', '/api/conversations?status=queued')).body as { items: { id: string }[] };
        for (const item of items) {
          const detail = (await api(app, alice.token, 'GET', `/api/conversations/${item.id}`)).body;
          if (detail.messages.some((m: { text: string }) => m.text === text)) return item.id;
        }
        return undefined;
      },
      10_000,
      'queued conversation',
    );
    return { customer, id };
  }

  /** Opens a conversation through the list row (the shell's stable selector) or its route. */
  async function open(page: Page, id: string): Promise<void> {
    await page.goto(`${app.url}/console#/c/${id}`);
    await page.locator('#view .conv-main').waitFor();
  }

  it('an agent opens the queued conversation, sees hostile text as text, claims, replies with the draft, notes, and resolves', async () => {
    const { customer, id } = await queuedConversation(HOSTILE);
    const page = await signIn(alice.token, 'Alice');
    const view = page.locator('#view');

    await page.locator(`#list li[data-id="${id}"]`).click();
    const inbound = view.locator('.conv-msg.conv-in .conv-text').first();
    await inbound.waitFor();
    expect(await inbound.textContent()).toBe(HOSTILE);
    expect(await view.locator('.conv-items img, .conv-items script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await view.locator('.conv-msg.conv-out', { hasText: /a person will reply/i }).waitFor();

    // The draft is written after the hand-off; its event on the stream brings it in.
    await view.locator('.conv-drafts-summary').click();
    const draft = view.locator('.conv-draft', { hasText: DRAFT });
    await draft.waitFor();
    const send = view.getByRole('button', { name: 'Send reply' });
    expect(await send.isDisabled()).toBe(true);

    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('.conv-send:enabled').waitFor();
    expect(await view.locator('.conv-assignee').textContent()).toBe('Assigned to Alice');
    await draft.getByRole('button', { name: 'Use draft' }).click();
    const input = view.getByRole('textbox', { name: 'Reply' });
    expect(await input.inputValue()).toBe(DRAFT);

    const detail = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body;
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/messages`));
    await send.click();
    expect((await posted).postDataJSON()).toEqual({ text: DRAFT, draftId: detail.drafts[0].id });
    await view.locator('.conv-msg.conv-out', { hasText: DRAFT }).locator('.conv-delivery-sent').waitFor();
    expect(await input.inputValue()).toBe('');

    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'agent reply in the web chat',
    );
    expect(received.text).toBe(DRAFT);

    await view.getByText('Internal note', { exact: true }).click();
    await view.getByRole('textbox', { name: 'Internal note' }).fill('Customer pasted markup; probably testing us.');
    await view.getByRole('button', { name: 'Add note' }).click();
    await view.locator('.conv-msg.conv-internal', { hasText: 'probably testing us' }).waitFor();
    expect((await customer.history()).items.some((i) => i.text.includes('probably testing us'))).toBe(false);

    await view.getByRole('button', { name: 'Resolve' }).click();
    await view.locator('.conv-status', { hasText: 'resolved' }).waitFor();
    await view.locator('.conv-sys[data-action="resolve"]', { hasText: 'Alice resolved it' }).waitFor();
    expect((await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation.status).toBe('resolved');
    await view.getByRole('radio', { name: 'Reply' }).check();
    expect(await view.locator('.conv-reason').textContent()).toBe('This conversation is resolved; replies are off.');

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.context().close();
  });

  it('transfers to another agent, who releases it to the queue; the first agent sees it live', async () => {
    const { id } = await queuedConversation('human');
    const alicePage = await signIn(alice.token, 'Alice');
    await open(alicePage, id);
    const aliceView = alicePage.locator('#view');
    await aliceView.locator('.conv-claim:enabled').click();
    await aliceView.locator('.conv-send:enabled').waitFor();
    await aliceView.getByRole('button', { name: 'More…' }).click();
    await aliceView.getByLabel('Transfer to').selectOption({ label: 'Bob' });
    await aliceView.getByRole('button', { name: 'Transfer' }).click();
    await aliceView.locator('.conv-assignee', { hasText: 'Assigned to Bob' }).waitFor();
    await aliceView.locator('.conv-sys[data-action="transfer"]', { hasText: 'Alice transferred it to Bob' }).waitFor();
    expect(await aliceView.locator('.conv-send').isDisabled()).toBe(true);
    expect(await aliceView.locator('.conv-reason').textContent()).toBe('Bob holds this conversation; you may add internal notes.');
    expect((await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation.assigneeId).toBe(bob.id);

    const bobPage = await signIn(bob.token, 'Bob');
    await open(bobPage, id);
    await bobPage.locator('#view .conv-release:enabled').click();
    await bobPage.locator('#view .conv-status', { hasText: 'waiting in the queue' }).waitFor();
    expect((await api(app, bob.token, 'GET', `/api/conversations/${id}`)).body.conversation).toMatchObject({
      status: 'queued',
      assigneeId: null,
    });
    // Alice's view follows through the event stream, no reload.
    await aliceView.locator('.conv-claim:enabled').waitFor();
    await aliceView.locator('.conv-sys[data-action="release"]', { hasText: 'Bob released it to the queue' }).waitFor();
    await alicePage.context().close();
    await bobPage.context().close();
  });

  it('shows a failed delivery and its error on the message', async () => {
    const { id } = await queuedConversation('agent please');
    await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`);
    const sent = (await api(app, alice.token, 'POST', `/api/conversations/${id}/messages`, { text: 'Here is your refund link.' })).body
      .message;
    // Web chat delivery cannot fail, so once the worker is done with the row, put it in the state the
    // worker leaves after a permanent failure.
    const row = await eventually(
      async () => {
        const r = await app.store.tx(async (repos) => (await repos.outbox.forMessages([sent.id])).get(sent.id));
        return r?.status === 'sent' ? r : undefined;
      },
      10_000,
      'outbox row sent',
    );
    await app.store.tx((r) => r.outbox.update(row.id, { status: 'failed', lastError: 'recipient has blocked the bot', leaseUntil: null }));

    const page = await signIn(alice.token, 'Alice');
    await open(page, id);
    const message = page.locator('#view .conv-msg.conv-out', { hasText: 'Here is your refund link.' });
    await message.locator('.conv-delivery-failed').waitFor();
    expect(await message.locator('.conv-delivery-failed').textContent()).toBe('failed');
    expect(await message.locator('.conv-delivery-error').textContent()).toBe('Not delivered: recipient has blocked the bot');
    await page.context().close();
  });

  it('runs only its own bundled script and stylesheet: no inline code, CSP without unsafe-inline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await expectSelfOnlyPage(page, await page.goto(`${app.url}/console`));
    await context.close();
  });

  it('refuses a wrong token and keeps a valid one for the tab across reloads', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#notice', { hasText: 'not accepted' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.locator('#token').fill(alice.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: 'Alice' }).waitFor();
    await page.reload();
    await page.locator('#who', { hasText: 'Alice' }).waitFor();
    expect(await page.locator('#login').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });
});
