import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OutboxWorker } from '../../src/outbox/worker.js';
import { enqueueReply } from '../../src/outbox/enqueue.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ChannelError } from '../../src/domain/errors.js';
import { systemClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import type { FaqMatcher } from '../../src/faq/matcher.js';
import { FileStore } from '../../src/attachments/file-store.js';
import { DiskBackend } from '../../src/attachments/disk-backend.js';
import { eventually, tempDir } from '../support/app.js';
import { pdfBytes, streamOf } from '../attachments/fixtures.js';

const noFaq: FaqMatcher = {
  match: () => ({ answered: false, entryId: null, locale: 'en', answer: null, confidence: 0, candidates: [] }),
  entry: () => undefined,
};

/** A channel that reads every file it is given (as a real adapter uploads it), failing the first send with files after reading. */
class ReadingChannel implements ChannelAdapter {
  readonly channel = 'webchat' as const;
  readonly read: { name: string; mime: string; bytes: Buffer }[][] = [];
  failFirst = true;
  async start() {}
  async stop() {}
  async send(m: OutboundMessage) {
    const files = [];
    for (const a of m.attachments ?? []) {
      const parts: Buffer[] = [];
      for await (const c of await a.open()) parts.push(Buffer.from(c));
      files.push({ name: a.name, mime: a.mime, bytes: Buffer.concat(parts) });
    }
    if (files.length === 0) return { externalId: `x-${m.outboxId}` };
    this.read.push(files);
    if (this.failFirst) {
      this.failFirst = false;
      throw new ChannelError('upstream 503', { retryable: true, retryAfterMs: 10 });
    }
    return { externalId: `x-${m.outboxId}` };
  }
}

describe('outbox with files', () => {
  let store: Store;
  let worker: OutboxWorker | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  afterEach(async () => {
    await worker?.stop();
    await store?.close();
    await dir?.rm();
  });

  it('gives the adapter OutboundAttachments it can open again on a retry; a file erased meanwhile fails the send for good', async () => {
    dir = await tempDir();
    store = await openStore({ sqliteFile: join(dir.path, 'db.sqlite') });
    const files = new FileStore(new DiskBackend(join(dir.path, 'files')), join(dir.path, 'tmp'));
    const { conversationId } = await ingest(
      { store, clock: systemClock, faq: () => noFaq, reopenWindowMs: 0 },
      {
        channel: 'webchat',
        externalMessageId: 'm1',
        threadKey: 't1',
        sender: { channelUserId: 'u1' },
        text: 'hi',
        attachments: [],
        receivedAt: new Date(),
      },
    );
    const pdf = pdfBytes(70_000);
    const upload = async (id: string) => {
      const bytes = await files.save(streamOf(pdf), { maxBytes: 1e6 });
      const row = {
        id,
        messageId: null,
        customerId: null,
        owner: 'agent:a1',
        ...bytes,
        name: `${id}.pdf`,
        inline: 0,
        createdAt: Date.now(),
      };
      await store.tx((r) => r.attachments.insert(row));
      return row;
    };
    const send = async (id: string) => {
      const row = await upload(id);
      await store.tx(async (r) => {
        const c = (await r.conversations.get(conversationId))!;
        await enqueueReply(r, { conversation: c, author: 'agent', agentId: 'a1', text: '', now: Date.now(), attachments: [row] });
      });
    };
    const channel = new ReadingChannel();
    worker = new OutboxWorker({ store, adapters: { webchat: channel }, clock: systemClock, log: silentLogger, files, pollMs: 20 });
    worker.start();
    await send('invoice');
    await eventually(async () => (channel.read.length === 2 ? true : undefined), 10_000, 'sent after one retry');
    for (const attempt of channel.read) expect(attempt).toEqual([{ name: 'invoice.pdf', mime: 'application/pdf', bytes: pdf }]);

    // Erased between the reply and its send: nothing to open, so the send fails for good instead of retrying.
    await worker.stop();
    await send('gone');
    const gone = (await store.read((r) => r.attachments.get('gone')))!;
    await store.tx((r) => r.attachments.deleteOfMessages([gone.messageId!]));
    worker = new OutboxWorker({ store, adapters: { webchat: channel }, clock: systemClock, log: silentLogger, files, pollMs: 20 });
    worker.start();
    const failed = await eventually(
      async () => {
        const rows = await store.read((r) => r.outbox.forMessages([gone.messageId!]));
        const row = rows.get(gone.messageId!);
        return row?.status === 'failed' ? row : undefined;
      },
      10_000,
      'failed send',
    );
    expect(failed.lastError).toMatch(/attachment_gone: file "gone.pdf" is no longer stored/);
    expect(channel.read).toHaveLength(2);
  });
});
