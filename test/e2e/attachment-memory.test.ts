import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { api, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { generated, pdfBytes } from '../attachments/fixtures.js';

const MB = 1024 * 1024;

/** Peak resident memory above `before` while `work` runs, sampled every 5 ms. */
async function growthDuring(work: () => Promise<void>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - before;
}

/**
 * A 40 MB file streams into the store at ingest and back out of GET /api/attachments/:id without
 * being held: the process (the app runs in it) grows by far less than the file.
 */
describe('memory while a 40 MB file streams in and out', () => {
  let app: Running;
  let admin: { token: string };
  let customer: WebchatCustomer;

  beforeAll(async () => {
    app = await startApp({ ATTACHMENT_MAX_MB: '60', ATTACHMENT_DAILY_MB_PER_CUSTOMER: '500' });
    admin = await app.createAgent('Admin', 'admin');
    customer = await WebchatCustomer.open(app.url);
  });
  afterAll(() => app?.stop());

  const deliver = (id: string, total: number) =>
    app.deliver({
      channel: 'webchat',
      externalMessageId: `${customer.sessionId}:${id}`,
      threadKey: customer.sessionId,
      sender: { channelUserId: customer.sessionId },
      text: '',
      attachments: [{ name: `${id}.pdf`, mime: 'application/pdf', size: 0, open: async () => generated(total, pdfBytes(1024)) }],
      receivedAt: new Date(),
    });

  const download = async (id: string) => {
    const res = await fetch(`${app.url}/api/attachments/${id}`, { headers: { authorization: `Bearer ${admin.token}` } });
    const reader = res.body!.getReader();
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return n;
      n += value.byteLength;
    }
  };

  const attachmentOf = async (conversationId: string, messageId: string) => {
    const detail = await api(app, admin.token, 'GET', `/api/conversations/${conversationId}`);
    return (detail.body.messages as any[]).find((m) => m.id === messageId).attachments[0] as { id: string; size: number };
  };

  it('grows RSS by less than 24 MB for 40 MB in (ingest) and out (GET)', async () => {
    // Warm the paths up, so what is measured is the file, not first use.
    const warm = await deliver('warm', 4 * MB);
    await download((await attachmentOf(warm.conversationId, warm.messageId)).id);
    global.gc?.();

    let stored!: { conversationId: string; messageId: string };
    const inGrowth = await growthDuring(async () => {
      stored = await deliver('big', 40 * MB);
    });
    const file = await attachmentOf(stored.conversationId, stored.messageId);
    expect(file.size).toBe(40 * MB);
    let read = 0;
    const outGrowth = await growthDuring(async () => {
      read = await download(file.id);
    });
    expect(read).toBe(40 * MB);
    console.log(`40 MB file: RSS grew ${(inGrowth / MB).toFixed(1)} MB on ingest, ${(outGrowth / MB).toFixed(1)} MB on GET`);
    expect(inGrowth).toBeLessThan(24 * MB);
    expect(outGrowth).toBeLessThan(24 * MB);
  }, 60_000);
});
