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

  it('an agent opens the queued conversation, sees hostile text as text, claims, replies with the draft, notes, and resolves', async () => {
    const { customer, id } = await queuedConversation(HOSTILE);
    const page = await signIn(alice.token, 'Alice');

    const row = page.locator(`#list li[data-id="${id}"]`);
    await row.click();
    const inbound = page.locator('#messages .msg.in .text');
    await inbound.waitFor();
    expect(await inbound.textContent()).toBe(HOSTILE);
    expect(await page.locator('#messages img, #messages script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.locator('#messages .msg.out', { hasText: /a person will reply/i }).waitFor();

    // The draft is written after the hand-off; the console's polling brings it in.
    const draft = page.locator('.draft', { hasText: DRAFT });
    await draft.waitFor();
    expect(await page.locator('#send').isDisabled()).toBe(true);

    await page.locator('#claim').click();
    await page.locator('#send:enabled').waitFor();
    expect(await page.locator('#conv-meta').textContent()).toContain('assigned to Alice');
    await draft.getByRole('button', { name: 'Use draft' }).click();
    expect(await page.locator('#reply').inputValue()).toBe(DRAFT);

    const detail = (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body;
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/messages`));
    await page.locator('#send').click();
    expect((await posted).postDataJSON()).toEqual({ text: DRAFT, draftId: detail.drafts[0].id });
    await page.locator('#messages .msg.out', { hasText: DRAFT }).locator('.delivery.sent').waitFor();
    expect(await page.locator('#reply').inputValue()).toBe('');

    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'agent reply in the web chat',
    );
    expect(received.text).toBe(DRAFT);

    await page.locator('#reply').fill('Customer pasted markup; probably testing us.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.locator('#messages .msg.internal', { hasText: 'probably testing us' }).waitFor();
    expect((await customer.history()).items.some((i) => i.text.includes('probably testing us'))).toBe(false);

    await page.getByRole('button', { name: 'Mine' }).click();
    await row.waitFor();
    await page.locator('#resolve').click();
    await row.waitFor({ state: 'detached' });
    expect((await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation.status).toBe('resolved');
    await page.getByRole('button', { name: 'Queue' }).click();
    await page.locator('#list li').first().waitFor();
    expect(await row.count()).toBe(0);
    await page.getByRole('button', { name: 'Resolved' }).click();
    await row.waitFor();

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.context().close();
  });

  it('transfers to another agent, who finds it under Mine and releases it to the queue', async () => {
    const { id } = await queuedConversation('human');
    const alicePage = await signIn(alice.token, 'Alice');
    await alicePage.locator(`#list li[data-id="${id}"]`).click();
    await alicePage.locator('#claim:enabled').click();
    await alicePage.locator('#send:enabled').waitFor();
    await alicePage.locator('#transfer-to').selectOption({ label: 'Bob' });
    await alicePage.locator('#transfer').click();
    await alicePage.locator('#conv-meta', { hasText: 'assigned to Bob' }).waitFor();
    expect(await alicePage.locator('#send').isDisabled()).toBe(true);
    expect((await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body.conversation.assigneeId).toBe(bob.id);

    const bobPage = await signIn(bob.token, 'Bob');
    await bobPage.getByRole('button', { name: 'Mine' }).click();
    await bobPage.locator(`#list li[data-id="${id}"]`).click();
    await bobPage.locator('#release:enabled').click();
    await bobPage.locator('#conv-meta', { hasText: 'queued' }).waitFor();
    expect((await api(app, bob.token, 'GET', `/api/conversations/${id}`)).body.conversation).toMatchObject({
      status: 'queued',
      assigneeId: null,
    });
    // Alice's console picks the change up by polling.
    await alicePage.locator('#claim:enabled').waitFor();
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
    await page.getByRole('button', { name: 'Mine' }).click();
    await page.locator(`#list li[data-id="${id}"]`).click();
    const message = page.locator('#messages .msg.out', { hasText: 'Here is your refund link.' });
    await message.locator('.delivery.failed').waitFor();
    expect(await message.locator('.delivery-error').textContent()).toBe('Not delivered: recipient has blocked the bot');
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
