import { afterEach, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/outbox/worker.js';
import { enqueueReply } from '../../src/outbox/enqueue.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ChannelError } from '../../src/domain/errors.js';
import { decodeEvent } from '../../src/domain/events.js';
import { systemClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import type { FaqMatcher } from '../../src/faq/matcher.js';
import { eventually, tempDir } from '../support/app.js';

/** A channel that fails the way it is told to, recording what it was asked to send. */
class ScriptedChannel implements ChannelAdapter {
  readonly channel = 'webchat' as const;
  readonly sent: OutboundMessage[] = [];
  readonly calls: OutboundMessage[] = [];
  constructor(
    private readonly failures: ((m: OutboundMessage) => ChannelError | undefined)[],
    readonly sendsInStore = false,
  ) {}
  async start() {}
  async stop() {}
  async send(m: OutboundMessage) {
    this.calls.push(m);
    const fail = this.failures.shift()?.(m);
    if (fail) throw fail;
    this.sent.push(m);
    return { externalId: `x-${m.outboxId}` };
  }
}

const noFaq: FaqMatcher = {
  match: () => ({ answered: false, entryId: null, locale: 'en', answer: null, confidence: 0, candidates: [] }),
  entry: () => undefined,
};

describe('outbox worker', () => {
  let store: Store;
  let worker: OutboxWorker | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  afterEach(async () => {
    await worker?.stop();
    await store?.close();
    await dir?.rm();
  });

  async function setup(channel: ScriptedChannel) {
    dir = await tempDir();
    store = await openStore({ sqliteFile: `${dir.path}/db.sqlite` });
    const { conversationId } = await ingest(
      { store, clock: systemClock, faq: () => noFaq, reopenWindowMs: 0 },
      {
        channel: 'webchat',
        externalMessageId: 'm1',
        threadKey: 't1',
        sender: { channelUserId: 'u1' },
        text: 'hello',
        attachments: [],
        receivedAt: new Date(),
      },
    );
    worker = new OutboxWorker({ store, adapters: { webchat: channel }, clock: systemClock, log: silentLogger, pollMs: 50 });
    return (await store.tx((r) => r.conversations.get(conversationId)))!;
  }

  it('retries after the platform’s retry-after and keeps a conversation’s replies in order', async () => {
    const channel = new ScriptedChannel([() => new ChannelError('429', { retryable: true, retryAfterMs: 300 })]);
    const conversation = await setup(channel);
    worker!.start();
    await eventually(async () => channel.calls.length >= 1, 5000, 'first attempt');
    await store.tx((r) => enqueueReply(r, { conversation, author: 'agent', text: 'second', now: Date.now() }));
    worker!.kick();
    await eventually(async () => channel.sent.length === 2, 5000, 'both sent');
    expect(channel.sent.map((m) => m.text)).toEqual([channel.calls[0]!.text, 'second']);
    const first = await store.tx((r) => r.outbox.get(channel.sent[0]!.outboxId));
    expect(first).toMatchObject({ status: 'sent', attempts: 2, externalId: `x-${first!.id}` });
  });

  it('never sends a later reply while an earlier one of the same conversation is in flight and then fails', async () => {
    let failFirst!: () => void;
    const inFlight = new Promise<void>((r) => (failFirst = r));
    const channel = new ScriptedChannel([]);
    const send = channel.send.bind(channel);
    let first = true;
    channel.send = async (m) => {
      if (first) {
        first = false;
        channel.calls.push(m);
        await inFlight;
        throw new ChannelError('502 from the platform', { retryable: true, retryAfterMs: 200 });
      }
      return send(m);
    };
    const conversation = await setup(channel);
    worker!.start();
    await eventually(async () => channel.calls.length === 1, 5000, 'first reply in flight');
    await store.tx((r) => enqueueReply(r, { conversation, author: 'agent', text: 'later reply', now: Date.now() }));
    worker!.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.calls).toHaveLength(1);
    failFirst();
    await eventually(async () => channel.sent.length === 2, 5000, 'both sent');
    expect(channel.sent.map((m) => m.text)).toEqual([channel.calls[0]!.text, 'later reply']);
  });

  it('sends and records a reply of a channel that sends into the store as it leases it, once; one it refuses there goes the usual way', async () => {
    const channel = new ScriptedChannel([() => new ChannelError('not now', { retryable: true, retryAfterMs: 100 })], true);
    const conversation = await setup(channel);
    await store.tx((r) => enqueueReply(r, { conversation, author: 'agent', text: 'second', now: Date.now() }));
    worker!.start();
    await eventually(async () => channel.sent.length === 2, 5000, 'both sent');
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.sent.map((m) => m.text)).toEqual([channel.calls[0]!.text, 'second']);
    expect(channel.calls).toHaveLength(3);
    const rows = await Promise.all(channel.sent.map((m) => store.tx((r) => r.outbox.get(m.outboxId))));
    expect(rows.map((o) => [o!.status, o!.attempts, o!.externalId, o!.leaseUntil])).toEqual([
      ['sent', 1, `x-${rows[0]!.id}`, null],
      ['sent', 1, `x-${rows[1]!.id}`, null],
    ]);
    const messages = await Promise.all(rows.map((o) => store.tx((r) => r.messages.get(o!.messageId))));
    expect(messages.map((m) => m!.externalId)).toEqual(rows.map((o) => o!.externalId));
    const events = await store.tx((r) => r.events.after(0, { limit: 100 }));
    const delivery = events.map((e) => decodeEvent(e)).flatMap((e) => (e.type === 'delivery' ? [e.data] : []));
    expect(delivery).toEqual(rows.map((o) => ({ messageId: o!.messageId, status: 'sent' })));
  });

  it('marks a permanent failure failed, once, and moves on', async () => {
    const channel = new ScriptedChannel([() => new ChannelError('Forbidden: bot was blocked by the user', { retryable: false })]);
    const conversation = await setup(channel);
    await store.tx((r) => enqueueReply(r, { conversation, author: 'agent', text: 'after the failure', now: Date.now() }));
    worker!.start();
    await eventually(async () => channel.sent.length === 1, 5000, 'second message');
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.calls).toHaveLength(2);
    const failed = await store.tx((r) => r.outbox.get(channel.calls[0]!.outboxId));
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.lastError).toMatch(/blocked/);
    const events = await store.tx((r) => r.events.after(0, { limit: 100 }));
    const delivery = events.map((e) => decodeEvent(e)).flatMap((e) => (e.type === 'delivery' ? [e.data] : []));
    expect(delivery.map((d) => d.status)).toEqual(['failed', 'sent']);
    expect(delivery[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/blocked/) });
  });
});
