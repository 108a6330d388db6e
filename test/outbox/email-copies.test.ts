import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../adapters/email/index.js';
import { systemClock } from '../../src/domain/clock.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import type { FaqMatcher } from '../../src/faq/matcher.js';
import { silentLogger } from '../../src/log.js';
import { EmailCopyWorker, queueEmailCopy, threadRoot, visitorSawChat } from '../../src/outbox/email-copies.js';
import { enqueueReply } from '../../src/outbox/enqueue.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { eventually, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const noFaq: FaqMatcher = {
  match: () => ({ answered: false, entryId: null, locale: 'en', answer: null, confidence: 0, candidates: [] }),
  entry: () => undefined,
};

const FROM = 'Shop Support <support@shop.example>';

/** The real email adapter against the loopback SMTP receiver (IMAP is never started: sending needs none). */
function emailAdapter(smtp: SmtpReceiver): ChannelAdapter {
  return createEmailAdapter(
    {
      imap: { host: '127.0.0.1', port: 1, secure: false, user: 'x', password: 'x', mailbox: 'INBOX' },
      smtp: { host: smtp.host, port: smtp.port, secure: false },
      from: FROM,
      maxMessageBytes: 1024 * 1024,
      pollIntervalMs: 60_000,
      idleDelayMs: 1000,
    },
    { clock: systemClock, log: silentLogger, state: { get: async () => undefined, set: async () => {} } },
  );
}

type Dialect = { name: string; open(): Promise<{ store: () => Promise<Store>; drop(): Promise<void> }> };

const dialects: Dialect[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = await tempDir();
      return { store: () => openStore({ sqliteFile: `${dir.path}/db.sqlite` }), drop: () => dir.rm() };
    },
  },
  ...(TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          async open() {
            const db = await createTestDatabase();
            return { store: () => openStore({ databaseUrl: db.url, sqliteFile: '' }), drop: () => db.drop() };
          },
        },
      ]
    : []),
];

describe.each(dialects)('email copies of web chat replies on $name', (dialect) => {
  let smtp: SmtpReceiver;
  let db: Awaited<ReturnType<Dialect['open']>>;
  const open: Store[] = [];
  const workers: EmailCopyWorker[] = [];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const s of open.splice(0)) await s.close();
    await db?.drop();
    smtp.messages.length = 0;
  });

  async function store(): Promise<Store> {
    const s = await db.store();
    open.push(s);
    return s;
  }

  function worker(s: Store, owner: string): EmailCopyWorker {
    const w = new EmailCopyWorker({
      store: s,
      email: emailAdapter(smtp),
      clock: systemClock,
      log: silentLogger,
      domain: 'shop.example',
      shopName: 'Acme',
      owner,
      pollMs: 50,
    });
    workers.push(w);
    return w;
  }

  /** A visitor who left an email, and `replies` agent replies delivered to the chat (the outbox's first phase done). */
  async function conversationWithReplies(s: Store, session: string, replies: number, afterMs = 0): Promise<string> {
    const { conversationId } = await ingest(
      { store: s, clock: systemClock, faq: () => noFaq, reopenWindowMs: 0 },
      {
        channel: 'webchat',
        externalMessageId: `${session}:1`,
        threadKey: session,
        sender: { channelUserId: session, email: `${session}@visitor.example` },
        text: 'human please',
        attachments: [],
        receivedAt: new Date(),
      },
    );
    for (let i = 1; i <= replies; i++) {
      await s.tx(async (r) => {
        const conversation = (await r.conversations.get(conversationId))!;
        const message = await enqueueReply(r, { conversation, author: 'agent', text: `reply ${i}`, now: Date.now() });
        const row = (await r.outbox.forMessages([message.id])).get(message.id)!;
        await r.outbox.update(row.id, { status: 'sent', sentAt: Date.now() });
        const payload = { outboxId: row.id, ...JSON.parse(row.payload) } as OutboundMessage;
        await queueEmailCopy(afterMs)(r, row, payload, Date.now());
        // Queued twice (a redelivery recorded again): still one copy.
        await queueEmailCopy(afterMs)(r, row, payload, Date.now());
      });
    }
    return conversationId;
  }

  it('two workers on one database send each copy once, threaded under one root, and a restart sends nothing again', async () => {
    db = await dialect.open();
    const a = await store();
    const b = dialect.name === 'PostgreSQL' ? await store() : a;
    const conversationId = await conversationWithReplies(a, 'sessiona', 3);
    worker(a, 'instance-a').start();
    worker(b, 'instance-b').start();
    const mails = await smtp.waitFor(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages).toHaveLength(3);
    const root = threadRoot(conversationId, 'shop.example');
    const ids = mails.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(3);
    expect(mails.map((m) => m.parsed.text?.split('\n')[0])).toEqual(['reply 1', 'reply 2', 'reply 3']);
    expect(mails.map((m) => m.envelope.to)).toEqual([
      ['sessiona@visitor.example'],
      ['sessiona@visitor.example'],
      ['sessiona@visitor.example'],
    ]);
    expect(mails[0]!.parsed.inReplyTo).toBe(root);
    expect(mails[1]!.parsed.inReplyTo).toBe(ids[0]);
    expect(mails[2]!.parsed.references).toEqual([root, ids[0], ids[1]]);
    expect(mails[0]!.parsed.subject).toBe('Re: Your chat with Acme');

    // A restart: the old workers stop, new ones open the same database and find nothing due.
    for (const w of workers.splice(0)) await w.stop();
    for (const s of open.splice(0)) await s.close();
    const again = await store();
    worker(again, 'instance-c').start();
    await new Promise((r) => setTimeout(r, 700));
    expect(smtp.messages).toHaveLength(3);
    const rows = await again.read(async (r) => [
      ...(
        await r.emailCopies.forMessages((await r.messages.page(conversationId, { includeInternal: true, limit: 10 })).map((m) => m.id))
      ).values(),
    ]);
    expect(rows.map((r) => r.status).sort()).toEqual(['sent', 'sent', 'sent']);
  });

  it('a copy the visitor saw in the chat before it was due is skipped; one for a visitor without an email is skipped too', async () => {
    db = await dialect.open();
    const s = await store();
    const seen = await conversationWithReplies(s, 'sessionb', 1, 400);
    expect(await visitorSawChat(s, systemClock, 'sessionb')).toBe(1);
    // No address: the visitor never gave one.
    const { conversationId: anonymous } = await ingest(
      { store: s, clock: systemClock, faq: () => noFaq, reopenWindowMs: 0 },
      {
        channel: 'webchat',
        externalMessageId: 'c:1',
        threadKey: 'sessionc',
        sender: { channelUserId: 'sessionc' },
        text: 'hi',
        attachments: [],
        receivedAt: new Date(),
      },
    );
    await s.tx(async (r) => {
      const conversation = (await r.conversations.get(anonymous))!;
      const message = await enqueueReply(r, { conversation, author: 'agent', text: 'hello there', now: Date.now() });
      const row = (await r.outbox.forMessages([message.id])).get(message.id)!;
      await queueEmailCopy(0)(r, row, { outboxId: row.id, ...JSON.parse(row.payload) } as OutboundMessage, Date.now());
    });
    worker(s, 'solo').start();
    const statuses = async (id: string) =>
      s.read(async (r) => [
        ...(await r.emailCopies.forMessages((await r.messages.page(id, { includeInternal: true, limit: 10 })).map((m) => m.id))).values(),
      ]);
    await eventually(async () => (await statuses(anonymous))[0]?.status === 'skipped', 5000, 'anonymous skipped');
    await new Promise((r) => setTimeout(r, 700));
    expect(smtp.messages).toHaveLength(0);
    expect((await statuses(seen)).map((r) => [r.status, r.lastError])).toEqual([['skipped', 'seen in the chat']]);
    expect((await statuses(anonymous)).map((r) => [r.status, r.lastError])).toEqual([['skipped', 'no email address']]);
  });
});
