import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/main.js';
import { startDovecot, type DovecotServer } from '../fakes/dovecot.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { emailEnv, rawMail } from '../email/support.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { shopSite } from './shop-site.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const VISITOR = 'visitor@example.net';

describe.skipIf(chromiumMissing)(browserSuite('offline replies by email: one conversation, web chat and email'), () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof shopSite>>;
  let dovecot: DovecotServer;
  let smtp: SmtpReceiver;
  let shopUrl: string;
  let mailbox: string;

  beforeAll(async () => {
    dir = await tempDir();
    shop = await shopSite(() => app.url);
    shopUrl = `http://localhost:${shop.port}`;
    [dovecot, smtp, browser] = await Promise.all([startDovecot(), startSmtpReceiver(), launchChromium()]);
    mailbox = await dovecot.createMailbox();
    app = await startApp(
      { ...emailEnv(dovecot, smtp, mailbox), WIDGET_ORIGINS: shopUrl, WIDGET_NAME: 'Acme Shop', WIDGET_EMAIL_AFTER: '1s' },
      dir.path,
    );
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([dir?.rm(), new Promise((r) => shop?.server.close(r)), smtp?.stop(), dovecot?.stop()]);
  });

  const bubble = (page: Page) => page.locator('[data-switchboard-widget] button.bubble');
  const chat = (page: Page) => page.frameLocator('[data-switchboard-widget] iframe');

  it('a visitor leaves an email while nobody is online; the replies they do not see reach them by email, threaded, and their answer joins the chat', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${shopUrl}/`);
    await bubble(page).click();
    const frame = chat(page);
    await frame.locator('#pre-intro', { hasText: 'No one is online right now.' }).waitFor();
    await frame.locator('#pre-email').fill('not an address');
    await frame.locator('#pre-start').click();
    await frame.locator('#pre-error', { hasText: /email/i }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-form-1366.png') });
    await page.setViewportSize({ width: 375, height: 700 });
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-form-375.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await frame.locator('#pre-email').fill(VISITOR);
    await frame.locator('#pre-start').click();
    await frame.locator('#pre').waitFor({ state: 'hidden' });
    await frame.locator('#t').fill('human');
    await frame.locator('#t').press('Enter');
    await frame.locator('.msg.out', { hasText: /a person will reply/i }).waitFor();
    // The visitor leaves the shop (the tab closes); their session stays in the browser's storage.
    await page.close();

    const agent = await app.createAgent('Alice');
    const queued = await eventually(
      async () => (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0],
      10_000,
      'queued conversation',
    );
    expect(queued.channel).toBe('webchat');
    await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/claim`);
    expect(
      (await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: 'Your parcel left today.' })).status,
    ).toBe(201);
    const reply = async (text: string) => {
      const messages = (await api(app, agent.token, 'GET', `/api/conversations/${queued.id}`)).body.messages as {
        text: string;
        emailCopy: string | null;
      }[];
      return messages.find((m) => m.text === text);
    };
    expect((await eventually(() => reply('Your parcel left today.'), 5000, 'reply'))?.emailCopy).toBe('pending');

    const [first] = await smtp.waitFor(1, 15_000);
    const root = `<webchat.${queued.id}@shop.example>`;
    expect(first!.envelope.to).toEqual([VISITOR]);
    expect(first!.parsed.text).toContain('Your parcel left today.');
    expect(first!.parsed.subject).toBe('Re: Your chat with Acme Shop');
    expect(first!.parsed.inReplyTo).toBe(root);
    expect([first!.parsed.references].flat()).toEqual([root]);
    await eventually(async () => (await reply('Your parcel left today.'))?.emailCopy === 'sent', 5000, 'copy marked sent');

    await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: 'Tracking: AB123.' });
    const [, second] = await smtp.waitFor(2, 15_000);
    expect(second!.parsed.inReplyTo).toBe(first!.parsed.messageId);
    expect([second!.parsed.references].flat()).toEqual([root, first!.parsed.messageId]);

    // The visitor answers the second email from their mail client: it joins the same conversation.
    await dovecot.append(
      rawMail({
        from: `Vic <${VISITOR}>`,
        subject: second!.parsed.subject!,
        inReplyTo: second!.parsed.messageId!,
        references: `${root} ${first!.parsed.messageId} ${second!.parsed.messageId}`,
        body: 'Thanks, got it!\n\nOn Thu, Acme wrote:\n> Tracking: AB123.',
      }),
      { mailbox },
    );
    const texts = async (id: string) =>
      ((await api(app, agent.token, 'GET', `/api/conversations/${id}`)).body.messages as { text: string; channel?: string }[]).map(
        (m) => m.text,
      );
    await eventually(async () => (await texts(queued.id)).some((t) => t.startsWith('Thanks, got it!')), 15_000, 'the answer joined');
    // The same headers from another address open a conversation of their own.
    await dovecot.append(
      rawMail({
        from: 'Mallory <mallory@example.org>',
        subject: second!.parsed.subject!,
        inReplyTo: second!.parsed.messageId!,
        references: `${root} ${second!.parsed.messageId}`,
        body: 'Let me in',
      }),
      { mailbox },
    );
    const stranger = await eventually(
      async () =>
        ((await api(app, agent.token, 'GET', '/api/conversations?channel=email')).body.items as { id: string }[]).find(
          (c) => c.id !== queued.id,
        ),
      15_000,
      'a separate email conversation',
    );
    expect((await texts(stranger.id))[0]).toBe('Let me in');
    expect(await texts(queued.id)).not.toContain('Let me in');

    // Back on the shop: the chat shows both replies and the answer sent by email, in one conversation.
    const back = await context.newPage();
    await back.goto(`${shopUrl}/`);
    await bubble(back).click();
    const again = chat(back);
    await again.locator('.msg.out', { hasText: 'Tracking: AB123.' }).waitFor();
    await again.locator('.msg.in', { hasText: 'Thanks, got it!' }).waitFor();
    expect(await again.locator('.msg.out', { hasText: 'Your parcel left today.' }).count()).toBe(1);
    // A reply they see in the open chat is not emailed.
    await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, { text: 'Anything else?' });
    await again.locator('.msg.out', { hasText: 'Anything else?' }).waitFor();
    await eventually(async () => (await reply('Anything else?'))?.emailCopy === 'skipped', 10_000, 'seen copy skipped');
    await back.waitForTimeout(1500);
    // (Mallory got the bot's holding reply on her own thread; the visitor got nothing more.)
    expect(smtp.messages.filter((m) => m.envelope.to.includes(VISITOR))).toHaveLength(2);

    // The visitor changes their email from the chat: later copies go there.
    const stored = await back.evaluate(() => ({ ...localStorage }));
    expect(Object.keys(stored).some((k) => k.startsWith('switchboard.widget.active'))).toBe(true);
    await context.close();
  });

  it('POST /webchat/sessions/:id/contact checks the secret, the address and its rate', async () => {
    const created = (await (await fetch(`${app.url}/webchat/sessions`, { method: 'POST' })).json()) as {
      sessionId: string;
      secret: string;
    };
    const contact = (email: unknown, secret = created.secret) =>
      fetch(`${app.url}/webchat/sessions/${created.sessionId}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ email }),
      });
    expect((await contact('a@b.example', 'wrong-secret')).status).toBe(401);
    expect((await contact('not-an-email')).status).toBe(400);
    // No message yet: nothing to attach it to, the first message carries it.
    expect((await contact('a@b.example')).status).toBe(409);
    await fetch(`${app.url}/webchat/sessions/${created.sessionId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${created.secret}` },
      body: JSON.stringify({ text: 'hello', clientMessageId: 'c1' }),
    });
    expect((await contact('new@b.example')).status).toBe(204);
    const agent = await app.createAgent('Bo');
    const conversation = await eventually(
      async () =>
        (
          (await api(app, agent.token, 'GET', '/api/conversations?channel=webchat&limit=50')).body.items as {
            id: string;
            customerId: string;
          }[]
        ).find((c) => c.id !== undefined && c),
      5000,
      'conversation',
    );
    expect(conversation).toBeTruthy();
    let last = 204;
    for (let i = 0; i < 5 && last !== 429; i++) last = (await contact(`n${i}@b.example`)).status;
    const refused = await contact('late@b.example');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
