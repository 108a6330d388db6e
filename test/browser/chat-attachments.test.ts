import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { pdfBytes, pngBytes } from '../attachments/fixtures.js';

describe.skipIf(chromiumMissing)(
  browserSuite('/chat files in a real browser: attach, drop, size check, upload, pictures and downloads'),
  () => {
    let app: Running;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let browser: Browser;

    beforeAll(async () => {
      dir = await tempDir();
      [app, browser] = await Promise.all([startApp({ ATTACHMENT_MAX_MB: '1' }, dir.path), launchChromium()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      await dir?.rm();
    });

    it('sends a picture and a dropped file, refuses one too large before uploading, and shows an agent’s PDF', async () => {
      const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const uploads: string[] = [];
      page.on('request', (r) => r.url().includes('/attachments?name=') && uploads.push(decodeURIComponent(r.url())));
      await page.goto(`${app.url}/chat`);

      const attach = page.getByRole('button', { name: 'Attach a file' });
      await attach.waitFor();
      await page.locator('#file').setInputFiles([
        { name: 'too-big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2 * 1024 * 1024, 1) },
        { name: 'photo.png', mimeType: 'image/png', buffer: await pngBytes(400, 300) },
      ]);
      await page.locator('#status', { hasText: 'too-big.bin is too large: files may be at most 1 MB.' }).waitFor();
      await page.locator('.pending-file', { hasText: 'photo.png' }).waitFor();
      // Dropped onto the chat, as from the desktop.
      const dropped = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['order 1234, receipt attached'], 'note.txt', { type: 'text/plain' }));
        return dt;
      });
      await page.dispatchEvent('#log', 'drop', { dataTransfer: dropped });
      await page.locator('.pending-file', { hasText: 'note.txt' }).waitFor();

      // A message that is only files is sent: the text stays empty.
      await page.getByRole('button', { name: 'Send' }).click();
      const mine = page.locator('.msg.in .files');
      await mine.waitFor();
      const thumb = page.locator('.msg.in img.thumb[alt="photo.png"]');
      await eventually(
        async () => (await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 0 || undefined,
        10_000,
        'thumbnail',
      );
      await page.locator('.msg.in .file', { hasText: 'note.txt' }).waitFor();
      expect(uploads.some((u) => u.includes('too-big.bin'))).toBe(false);
      expect(await page.locator('.pending-file').count()).toBe(0);

      const agent = await app.createAgent('Alice');
      const queued = await eventually(
        async () => (await api(app, agent.token, 'GET', '/api/conversations?status=open')).body.items[0],
        10_000,
        'conversation',
      );
      await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/claim`);
      const up = await fetch(`${app.url}/api/attachments?name=invoice.pdf`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}` },
        body: new Uint8Array(pdfBytes(5000)),
      });
      const { attachment } = (await up.json()) as { attachment: { id: string } };
      expect(
        (
          await api(app, agent.token, 'POST', `/api/conversations/${queued.id}/messages`, {
            text: 'Your invoice',
            attachments: [attachment.id],
          })
        ).status,
      ).toBe(201);
      const file = page.locator('.msg.out .file', { hasText: 'invoice.pdf' });
      await file.waitFor();
      const download = page.waitForEvent('download');
      await file.click();
      expect((await download).suggestedFilename()).toBe('invoice.pdf');
      await context.close();
    });

    it('speaks Chinese', async () => {
      const page = await browser.newPage();
      await page.goto(`${app.url}/chat?lang=zh`);
      await page.getByRole('button', { name: '添加文件' }).waitFor();
      await page
        .locator('#file')
        .setInputFiles([{ name: '大.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2 * 1024 * 1024, 1) }]);
      await page.locator('#status', { hasText: '大.bin 太大：文件不能超过 1 MB。' }).waitFor();
      await page.close();
    });
  },
);
