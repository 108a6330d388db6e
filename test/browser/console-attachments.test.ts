import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { pdfBytes, pngBytes, streamOf } from '../attachments/fixtures.js';

describe.skipIf(chromiumMissing)(browserSuite('/console files: thumbnails, file chips, the picture viewer, attaching to a reply'), () => {
  let app: Running;
  let browser: Browser;
  let alice: { id: string; token: string };
  let customer: WebchatCustomer;
  let conversationId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    alice = await app.createAgent('Alice');
    customer = await WebchatCustomer.open(app.url);
    const file = (name: string, bytes: Buffer) => ({ name, mime: 'application/octet-stream', size: 0, open: async () => streamOf(bytes) });
    const delivered = await app.deliver({
      channel: 'webchat',
      externalMessageId: `${customer.sessionId}:files`,
      threadKey: customer.sessionId,
      sender: { channelUserId: customer.sessionId },
      text: 'human',
      attachments: [
        file('front.png', await pngBytes(640, 480)),
        file('back.png', await pngBytes(300, 600)),
        file('receipt.pdf', pdfBytes()),
      ],
      receivedAt: new Date(),
    });
    conversationId = delivered.conversationId;
    expect((await api(app, alice.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(lang: 'en' | 'zh' = 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${app.url}/console`);
    await page.locator('#token').fill(alice.token);
    await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
    await page.locator('#who').filter({ hasText: /\S/ }).waitFor();
    await page.goto(`${app.url}/console#/c/${conversationId}`);
    await page.locator('#view .conv-main').waitFor();
    return page;
  }

  it('shows thumbnails and a chip, opens the viewer, steps with the arrow keys and closes with Esc', async () => {
    const page = await open();
    const thumbs = page.locator('.conv-thumb-btn img.conv-thumb');
    await eventually(
      async () =>
        (await thumbs.evaluateAll((imgs: HTMLImageElement[]) => imgs.filter((i) => i.naturalWidth > 0).length)) === 2 || undefined,
      10_000,
      'two thumbnails loaded',
    );
    await page.getByRole('button', { name: 'Download receipt.pdf' }).waitFor();

    const first = page.getByRole('button', { name: 'Open picture front.png' });
    await first.focus();
    await page.keyboard.press('Enter');
    const viewer = page.locator('dialog.conv-viewer[open]');
    await viewer.locator('.conv-viewer-caption', { hasText: 'Picture 1 of 2: front.png' }).waitFor();
    await eventually(
      async () => (await viewer.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)) === 640 || undefined,
      10_000,
      'full picture',
    );
    await page.keyboard.press('ArrowRight');
    await viewer.locator('.conv-viewer-caption', { hasText: 'Picture 2 of 2: back.png' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await viewer.locator('.conv-viewer-caption', { hasText: 'Picture 1 of 2: front.png' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await viewer.locator('.conv-viewer-caption', { hasText: 'back.png' }).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open picture front.png');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download receipt.pdf' }).click();
    expect((await download).suggestedFilename()).toBe('receipt.pdf');
    await page.context().close();
  });

  it('attaches files to a reply with the button and by pasting, and the customer receives them', async () => {
    const page = await open();
    await page.locator('.conv-file-input').setInputFiles([{ name: 'label.png', mimeType: 'image/png', buffer: await pngBytes(120, 80) }]);
    await page.locator('.conv-pending-file', { hasText: 'label.png' }).waitFor();
    await page.locator('.conv-input').focus();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['tracking: 1Z999'], 'tracking.txt', { type: 'text/plain' }));
      document
        .querySelector('.conv-input')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await page.locator('.conv-pending-file', { hasText: 'tracking.txt' }).waitFor();
    await page.getByRole('button', { name: 'Remove label.png' }).waitFor();

    await page.locator('.conv-input').fill('Here you go');
    await page.locator('.conv-input').press('Enter');
    await page.locator('.conv-msg.conv-out', { hasText: 'Here you go' }).locator('.conv-thumb-btn').waitFor();
    expect(await page.locator('.conv-pending-file').count()).toBe(0);
    const got = await eventually(
      async () => (await customer.history()).items.find((i: any) => i.text === 'Here you go' && i.attachments?.length === 2) as any,
      10_000,
      'reply with two files',
    );
    expect(got.attachments.map((a: any) => [a.name, a.mime])).toEqual([
      ['label.png', 'image/png'],
      ['tracking.txt', 'text/plain'],
    ]);
    await page.context().close();
  });

  it('speaks Chinese', async () => {
    const page = await open('zh');
    await page.getByRole('button', { name: '添加文件' }).waitFor();
    await page.getByRole('button', { name: '打开图片 front.png' }).waitFor();
    await page.getByRole('button', { name: '下载 receipt.pdf' }).waitFor();
    await page.context().close();
  });
});
