/**
 * Faults at the other outbound edges, each through its real client against its protocol
 * fake: what every failure turns into decides what the outbox does with it (retry with
 * backoff, wait for retry-after, or fail at once). DNS failures use the reserved `.invalid`
 * domain; resets and silences come from the fakes' connection faults and the TCP proxy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../adapters/email/index.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import { systemClock } from '../../src/domain/clock.js';
import { ChannelError } from '../../src/domain/errors.js';
import { createAnthropicDrafter } from '../../src/llm/anthropic-drafter.js';
import type { DraftRequest } from '../../src/llm/drafter.js';
import { silentLogger } from '../../src/log.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { UNRESOLVABLE_HOST } from '../fakes/connection-faults.js';
import { startDovecot, type DovecotServer } from '../fakes/dovecot.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { ann, startHarness, type Harness } from '../discord/harness.js';
import { startTcpProxy, type TcpProxy } from '../email/tcp-proxy.js';
import { emailConfig, rawMail } from '../email/support.js';
import { eventually } from '../support/eventually.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e as ChannelError,
  );

describe('Discord REST faults', () => {
  let h: Harness;
  const reply = (threadKey: string): OutboundMessage => ({
    outboxId: `out-${Math.random()}`,
    conversationId: 'conv-1',
    channel: 'discord',
    threadKey,
    to: { channelUserId: ann.id },
    text: 'Returns are free within 30 days.',
    author: 'bot',
  });
  beforeAll(async () => {
    h = await startHarness({}, { start: false });
  });
  afterAll(async () => h?.close());
  afterEach(() => h.fake.connectionFaults.clear());

  it('reset, 5xx and 429 are retryable (429 with its retry-after); a permanent 4xx is not', async () => {
    const dm = h.fake.pushMessage(ann, 'hello', { dispatch: false }).channel_id;
    h.fake.connectionFaults.inject('reset');
    const reset = await failure(h.adapter.send(reply(dm)));
    expect(reset).toBeInstanceOf(ChannelError);
    expect(reset.retryable).toBe(true);
    h.fake.connectionFaults.clear();

    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 503, times: 1 });
    expect(await failure(h.adapter.send(reply(dm)))).toMatchObject({ retryable: true });

    h.fake.failNext({
      method: 'POST',
      path: `/channels/${dm}/messages`,
      status: 403,
      code: 50007,
      message: 'Cannot send messages to this user',
    });
    expect(await failure(h.adapter.send(reply(dm)))).toMatchObject({ retryable: false });
    // Back to normal, the reply goes out.
    await h.adapter.send(reply(dm));
    expect(h.fake.sentTo(dm)).toHaveLength(1);
    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: 3, times: 1 });
    const limited = await failure(h.adapter.send(reply(dm)));
    expect(limited).toMatchObject({ retryable: true });
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(3_000);
  }, 30_000);

  it('a DNS failure is retryable', async () => {
    const h2 = await startHarness({ apiUrl: `http://${UNRESOLVABLE_HOST}/api` }, { start: false });
    try {
      const err = await failure(h2.adapter.send(reply('123')));
      expect(err).toMatchObject({ retryable: true });
    } finally {
      await h2.close();
    }
  }, 30_000);
});

describe('SMTP faults', () => {
  let smtp: SmtpReceiver;
  let proxy: TcpProxy;
  let adapter: ChannelAdapter;
  const dovecotLike = { host: '127.0.0.1', port: 9, user: 'u', password: 'p' } as unknown as DovecotServer;
  const reply = (): OutboundMessage => ({
    outboxId: '0193a1b2-c3d4-7e5f-8a6b-1234567890ac',
    conversationId: 'conv-1',
    channel: 'email',
    threadKey: '<root@example.com>',
    to: { channelUserId: 'alice@example.com', email: 'alice@example.com' },
    text: 'Your refund is on its way.',
    author: 'agent',
    replyTo: { externalMessageId: '<q@example.com>', subject: 'Refund', references: ['<root@example.com>'] },
  });
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    proxy = await startTcpProxy(smtp);
    adapter = createEmailAdapter(emailConfig(dovecotLike, { host: '127.0.0.1', port: proxy.port }), {
      clock: systemClock,
      log: silentLogger,
      state: new MemoryState(),
    });
  });
  afterAll(async () => {
    await adapter?.stop();
    await proxy?.close();
    await smtp?.stop();
  });

  it('a reset connection and a 451 are retryable, a 550 is permanent; the mail goes out once the relay is back', async () => {
    proxy.setMode('reset');
    expect(await failure(adapter.send(reply()))).toMatchObject({ retryable: true });
    proxy.setMode('up');
    smtp.failNext(451, 'Try again later');
    expect(await failure(adapter.send(reply()))).toMatchObject({ retryable: true });
    smtp.failNext(550, 'No such user');
    expect(await failure(adapter.send(reply()))).toMatchObject({ retryable: false });
    await adapter.send(reply());
    expect(smtp.messages).toHaveLength(1);
  }, 30_000);

  it('a DNS failure is retryable', async () => {
    const unreachable = createEmailAdapter(emailConfig(dovecotLike, { host: UNRESOLVABLE_HOST, port: 25 }), {
      clock: systemClock,
      log: silentLogger,
      state: new MemoryState(),
    });
    try {
      expect(await failure(unreachable.send(reply()))).toMatchObject({ retryable: true });
    } finally {
      await unreachable.stop();
    }
  }, 30_000);
});

describe('IMAP faults', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => dovecot?.stop());

  it('connections reset by the server: the inbox reconnects and picks the mail up once, when the server is back', async () => {
    const box = await dovecot.createMailbox();
    const proxy = await startTcpProxy(dovecot);
    const rec = new RecordingDeliver();
    const config = emailConfig(dovecot, { host: '127.0.0.1', port: 9 });
    const adapter = createEmailAdapter(
      { ...config, imap: { ...config.imap, port: proxy.port, mailbox: box } },
      { clock: systemClock, log: silentLogger, state: new MemoryState() },
    );
    try {
      await adapter.start(rec.deliver);
      proxy.setMode('reset');
      await dovecot.append(rawMail({ messageId: '<during-resets@example.com>' }), { mailbox: box });
      await new Promise((r) => setTimeout(r, 1_500));
      proxy.setMode('up');
      await eventually(() => rec.stored.length === 1, 30_000, 'the mail after the resets');
      expect(rec.stored[0]!.externalMessageId).toBe('<during-resets@example.com>');
    } finally {
      await adapter.stop();
      await proxy.close();
    }
  }, 60_000);
});

describe('Anthropic faults (drafts are optional: every failure is "no draft", quickly)', () => {
  let fake: FakeAnthropic;
  const req: DraftRequest = {
    conversationId: 'conv-1',
    locale: 'en',
    history: [{ author: 'customer', text: 'My parcel is late' }],
    sources: [],
  };
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => fake?.close());
  afterEach(() => fake.connectionFaults.clear());

  it('a reset and a silent API fail the draft within its timeout; the next draft works', async () => {
    const drafter = createAnthropicDrafter({ apiKey: fake.apiKey, baseURL: fake.url, timeoutMs: 500, maxRetries: 1 }, silentLogger);
    fake.connectionFaults.inject('reset', { times: 2 });
    await expect(drafter.draft(req)).rejects.toThrow();
    fake.connectionFaults.inject('hang', { times: 2 });
    const t = Date.now();
    await expect(drafter.draft(req)).rejects.toThrow();
    expect(Date.now() - t).toBeLessThan(5_000);
    fake.connectionFaults.clear();
    expect((await drafter.draft(req))?.text.length).toBeGreaterThan(0);
  }, 30_000);

  it('a DNS failure fails the draft', async () => {
    const drafter = createAnthropicDrafter({ apiKey: fake.apiKey, baseURL: `http://${UNRESOLVABLE_HOST}`, maxRetries: 0 }, silentLogger);
    await expect(drafter.draft(req)).rejects.toThrow();
  }, 30_000);
});
