import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attachment, InboundMessage } from '../../src/domain/channel.js';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { generated, heldFile, pdfBytes, pngBytes, streamOf } from '../attachments/fixtures.js';

const MB = 1024 * 1024;

/** A file as an adapter describes it, whose bytes come from `open` (counted, so a test sees whether it was downloaded). */
function fileOf(name: string, bytes: Buffer | (() => AsyncIterable<Uint8Array>), opened: { count: number }, claimed = 0): Attachment {
  return {
    name,
    mime: 'application/octet-stream',
    size: claimed,
    open: async () => {
      opened.count++;
      return typeof bytes === 'function' ? bytes() : streamOf(bytes);
    },
  };
}

function fromCustomer(customer: WebchatCustomer, externalId: string, attachments: Attachment[], text = ''): InboundMessage {
  return {
    channel: 'webchat',
    externalMessageId: `${customer.sessionId}:${externalId}`,
    threadKey: customer.sessionId,
    sender: { channelUserId: customer.sessionId },
    text,
    attachments,
    receivedAt: new Date(),
  };
}

async function blobs(dir: string): Promise<string[]> {
  const all = await readdir(join(dir, 'attachments', 'files'), { recursive: true, withFileTypes: true }).catch(() => []);
  return all.filter((d) => d.isFile()).map((d) => d.name);
}

describe('files in both directions (real HTTP, SQLite, disk file store)', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let admin: { id: string; token: string };
  let alice: { id: string; token: string };
  let customer: WebchatCustomer;
  let conversationId: string;

  const get = (path: string, token = alice.token) => fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } });
  const messagesOf = async (id: string) => (await api(app, admin.token, 'GET', `/api/conversations/${id}`)).body.messages as any[];

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({ ATTACHMENT_MAX_MB: '2', ATTACHMENTS_PER_MESSAGE: '3', ATTACHMENT_DAILY_MB_PER_CUSTOMER: '6' }, dir.path);
    admin = await app.createAgent('Admin', 'admin');
    alice = await app.createAgent('Alice');
    customer = await WebchatCustomer.open(app.url);
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('stores an image and a PDF sent alone (no text) once, even when the message is re-delivered', async () => {
    const png = await pngBytes(800, 600);
    const opened = { count: 0 };
    const m = fromCustomer(customer, 'm1', [fileOf('photo.jpg', png, opened), fileOf('invoice.pdf', pdfBytes(20_000), opened)]);
    const first = await app.deliver(m);
    expect(first.duplicate).toBe(false);
    expect(opened.count).toBe(2);
    const again = await app.deliver(m);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(opened.count).toBe(2);
    expect(await blobs(dir.path)).toHaveLength(2);
    conversationId = first.conversationId;

    const [message] = (await messagesOf(conversationId)).filter((x) => x.id === first.messageId);
    expect(message.text).toBe('');
    expect(message.attachments.map((a: any) => [a.name, a.mime])).toEqual([
      ['photo.jpg', 'image/png'],
      ['invoice.pdf', 'application/pdf'],
    ]);
    const [image, pdf] = message.attachments;

    const shown = await get(`/api/attachments/${image.id}`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shown.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(Buffer.from(await shown.arrayBuffer())).toEqual(png);

    const thumb = await get(`/api/attachments/${image.id}/thumbnail`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(
      Buffer.from(await thumb.arrayBuffer())
        .subarray(8, 12)
        .toString('latin1'),
    ).toBe('WEBP');

    const download = await get(`/api/attachments/${pdf.id}`);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    expect((await get(`/api/attachments/${pdf.id}/thumbnail`)).status).toBe(404);
  });

  it('serves HTML named .png as a text download, never as a page or an image', async () => {
    const opened = { count: 0 };
    const html = Buffer.from('<!doctype html><html><body><script>document.title="owned"</script></body></html>');
    const { messageId } = await app.deliver(fromCustomer(customer, 'm2', [fileOf('cute-cat.png', html, opened)], 'look'));
    const [message] = (await messagesOf(conversationId)).filter((x) => x.id === messageId);
    const res = await get(`/api/attachments/${message.attachments[0].id}`);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses a file too large and files past the per-message count, and tells the customer which and why', async () => {
    const opened = { count: 0 };
    const big = generated(10 * MB);
    const small = Buffer.from('a small note');
    const m = fromCustomer(customer, 'm3', [
      fileOf('huge.bin', () => big, opened),
      fileOf('a.txt', small, opened),
      fileOf('b.txt', small, opened),
      fileOf('c.txt', small, opened),
    ]);
    const before = await blobs(dir.path);
    const { messageId } = await app.deliver(m);
    // The oversized download was cut just past the limit.
    expect(big.read).toBeLessThan(3 * MB);
    expect(opened.count).toBe(3);
    const [message] = (await messagesOf(conversationId)).filter((x) => x.id === messageId);
    expect(message.attachments.map((a: any) => a.refused ?? 'kept')).toEqual(['too_large', 'kept', 'kept', 'too_many']);
    expect(await blobs(dir.path)).toHaveLength(before.length + 1);
    const told = await eventually(
      async () => (await customer.history()).items.find((i) => i.direction === 'out' && i.text.includes('huge.bin')),
      10_000,
      'refusal reply',
    );
    expect(told.text).toContain('"huge.bin": files may be at most 2 MB');
    expect(told.text).toContain('"c.txt": at most 3 files can be sent in one message');
  });

  it('keeps answering reads while a file downloads (SQLite has one reader connection, and the download holds none)', async () => {
    const slow = heldFile('slow.txt', Buffer.from('at last'));
    const delivered = app.deliver(fromCustomer(customer, 'slow', [slow.file]));
    try {
      await slow.started;
      // Reads of the API and of the customer's own history do not wait for the download.
      const t0 = performance.now();
      expect((await get('/api/conversations?status=bot')).status).toBe(200);
      expect((await customer.history()).items.length).toBeGreaterThan(0);
      expect(performance.now() - t0).toBeLessThan(2_000);
    } finally {
      slow.finish();
    }
    const { messageId } = await delivered;
    const [message] = (await messagesOf(conversationId)).filter((x) => x.id === messageId);
    expect(message.attachments.map((a: any) => a.name)).toEqual(['slow.txt']);
  });

  it('lets the customer fetch their own files through their session, and nobody else', async () => {
    const items = (await customer.history()).items as any[];
    const file = items.find((i) => i.attachments?.length)!.attachments[0];
    const path = `/webchat/sessions/${customer.sessionId}/attachments/${file.id}`;
    const own = await fetch(app.url + path, { headers: { authorization: `Bearer ${customer.secret}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe(file.mime);
    const other = await WebchatCustomer.open(app.url);
    const theirs = await fetch(`${app.url}/webchat/sessions/${other.sessionId}/attachments/${file.id}`, {
      headers: { authorization: `Bearer ${other.secret}` },
    });
    expect(theirs.status).toBe(404);
    expect((await fetch(app.url + path)).status).toBe(401);
  });

  it('sends an agent upload with a reply; the customer sees and fetches it', async () => {
    expect((await api(app, alice.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);
    const png = await pngBytes(100, 100);
    const up = await fetch(`${app.url}/api/attachments?name=${encodeURIComponent('label 标签.png')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(png),
    });
    expect(up.status).toBe(201);
    const { attachment } = (await up.json()) as { attachment: { id: string; name: string; mime: string; size: number } };
    expect(attachment).toMatchObject({ name: 'label 标签.png', mime: 'image/png', size: png.byteLength });

    const tooMany = await api(app, alice.token, 'POST', `/api/conversations/${conversationId}/messages`, {
      text: 'x',
      attachments: ['a', 'b', 'c', 'd'],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 3 files/);
    const notMine = await api(app, admin.token, 'POST', `/api/conversations/${conversationId}/messages`, { attachments: [attachment.id] });
    expect(notMine.status).toBe(403);

    const sent = await api(app, alice.token, 'POST', `/api/conversations/${conversationId}/messages`, { attachments: [attachment.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments).toEqual([attachment]);
    const seen = await eventually(
      async () =>
        ((await customer.history()).items as any[]).find((i) => i.direction === 'out' && i.attachments?.[0]?.id === attachment.id),
      10_000,
      'reply with file delivered',
    );
    const res = await fetch(`${app.url}/webchat/sessions/${customer.sessionId}/attachments/${seen.attachments[0].id}`, {
      headers: { authorization: `Bearer ${customer.secret}` },
    });
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    const again = await api(app, alice.token, 'POST', `/api/conversations/${conversationId}/messages`, { attachments: [attachment.id] });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/sent already/);
  });

  it('refuses an agent upload over ATTACHMENT_MAX_MB with 413, keeping nothing', async () => {
    const before = await blobs(dir.path);
    const res = await fetch(`${app.url}/api/attachments?name=big.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
      body: new Uint8Array(3 * MB).fill(1),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/big\.bin: larger than 2 MB/);
    expect(await blobs(dir.path)).toEqual(before);
  });

  it('erasing the customer deletes their files', async () => {
    const [message] = (await messagesOf(conversationId)).filter((x) => x.attachments.some((a: any) => a.id));
    const id = message.attachments.find((a: any) => a.id).id;
    const { customer } = (await api(app, admin.token, 'GET', `/api/conversations/${conversationId}`)).body;
    const erased = await api(app, admin.token, 'DELETE', `/api/customers/${customer.id}`);
    expect(erased.status).toBe(200);
    expect((await get(`/api/attachments/${id}`, admin.token)).status).toBe(404);
    expect(await blobs(dir.path)).toEqual([]);
  });
});
