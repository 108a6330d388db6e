/**
 * What the adapter makes of real-world mail, read through a real Dovecot: charsets, HTML, quoted
 * replies, auto-replies and bounces, malformed MIME, huge attachments, messages without text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../adapters/email/index.js';
import type { ChannelAdapter, InboundMessage } from '../../src/domain/channel.js';
import { systemClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log.js';
import { startDovecot, type DovecotServer } from '../fakes/dovecot.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { eventually } from '../support/eventually.js';
import { emailConfig, rawMail } from './support.js';

let dovecot: DovecotServer;
let adapter: ChannelAdapter;
let box: string;
const rec = new RecordingDeliver();

beforeAll(async () => {
  dovecot = await startDovecot();
  box = await dovecot.createMailbox();
  const config = emailConfig(dovecot, { host: '127.0.0.1', port: 9 });
  adapter = createEmailAdapter(
    { ...config, imap: { ...config.imap, mailbox: box } },
    { clock: systemClock, log: silentLogger, state: new MemoryState() },
  );
  await adapter.start(rec.deliver);
});
afterAll(async () => {
  await adapter?.stop();
  await dovecot?.stop();
});

/** Appends a raw message and returns what the adapter delivered for it, plus its UID. */
async function receive(raw: string | Buffer): Promise<{ m: InboundMessage; uid: number }> {
  const uid = await dovecot.append(raw, { mailbox: box });
  const m = await eventually(() => rec.stored.find((s) => s.raw?.uid === uid), 20_000, `delivery of UID ${uid}`);
  await eventually(
    async () => (await dovecot.listMessages(box)).find((x) => x.uid === uid)?.flags.includes('\\Seen'),
    10_000,
    `\\Seen on UID ${uid}`,
  );
  return { m, uid };
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('charsets', () => {
  it('reads a GBK body with GB2312 and GBK encoded-word headers', async () => {
    const { m } = await receive(
      crlf(`From: =?GBK?B?1cXOsA==?= <zhangwei@example.cn>
To: support@shop.example
Subject: =?GB2312?B?zcu79dX+st8=?=
Message-ID: <gbk-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=GBK
Content-Transfer-Encoding: base64

xOO6w6Osx+vOys7StcS2qbWlyrLDtMqxuvK3orv1o78=
`),
    );
    expect(m.text).toBe('你好，请问我的订单什么时候发货？');
    expect(m.subject).toBe('退货政策');
    expect(m.sender.displayName).toBe('张伟');
  });

  it('reads Big5 and ISO-2022-JP bodies', async () => {
    const big5 = await receive(
      crlf(`From: tw@example.tw
Subject: =?Big5?B?sN2hSA==?=
Message-ID: <big5-1@example.tw>
Content-Type: text/plain; charset=Big5
Content-Transfer-Encoding: base64

vdCw3aVppUiwaLNmttyhSA==
`),
    );
    expect(big5.m.text).toBe('請問可以退貨嗎？');
    expect(big5.m.subject).toBe('問？');
    const jp = await receive(
      Buffer.concat([
        Buffer.from(
          crlf(
            `From: jp@example.jp\nSubject: =?ISO-2022-JP?B?GyRCQ21KOBsoQg==?=\nMessage-ID: <jp-1@example.jp>\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n`,
          ),
        ),
        Buffer.from('GyRCQ21KOCRPJCQkREZPJC0kXiQ5JCshKRsoQg==', 'base64'),
        Buffer.from('\r\n'),
      ]),
    );
    expect(jp.m.text).toBe('注文はいつ届きますか？');
    expect(jp.m.subject).toBe('注文');
  });
});

describe('bodies', () => {
  it('prefers text/plain over the HTML alternative', async () => {
    const { m } = await receive(
      rawMail({
        contentType: 'multipart/alternative; boundary="alt"',
        body: `--alt
Content-Type: text/plain; charset=utf-8

Plain version
--alt
Content-Type: text/html; charset=utf-8

<p>HTML version</p>
--alt--`,
      }),
    );
    expect(m.text).toBe('Plain version');
  });

  it('turns HTML-only mail into text with no markup or script left', async () => {
    const { m } = await receive(
      rawMail({
        contentType: 'text/html; charset=utf-8',
        body: '<html><head><style>p{color:red}</style><script>alert("x")</script></head><body><p>Hi, <b>where</b> is my <a href="https://shop.example/o/1">order</a>?</p><img src="cid:logo" onerror="alert(1)"></body></html>',
      }),
    );
    expect(m.text).toBe('Hi, where is my order [https://shop.example/o/1]?');
    expect(m.text).not.toMatch(/<|alert|color:red/);
  });

  it('strips quoted history and the signature from text and keeps the full original in fullText', async () => {
    const body = `Yes, please refund it.

Thanks,
Alice
--
Alice Customer
+1 555 0100

On Mon, 23 Nov 2026 at 10:00, Shop Support <support@shop.example> wrote:
> Would you like a refund or a replacement?
> 
> Shop Support`;
    const { m } = await receive(rawMail({ body }));
    expect(m.text).toBe('Yes, please refund it.\n\nThanks,\nAlice');
    expect(m.fullText).toBe(body.trim());
  });

  it('strips an Outlook-style quote block and a Chinese quote header', async () => {
    const outlook = await receive(
      rawMail({
        body: `Can I change the address?

________________________________
From: Shop Support <support@shop.example>
Sent: Monday, November 23, 2026 10:00
To: Alice
Subject: Your order`,
      }),
    );
    expect(outlook.m.text).toBe('Can I change the address?');
    const zh = await receive(
      rawMail({
        body: `好的，谢谢

在 2026年11月23日 10:00，Shop Support <support@shop.example> 写道：
> 您的订单已发货`,
      }),
    );
    expect(zh.m.text).toBe('好的，谢谢');
  });
});

describe('auto-generated mail is flagged, never a normal message', () => {
  const cases: [string, Parameters<typeof rawMail>[0]][] = [
    [
      'Auto-Submitted out-of-office',
      { subject: 'Out of Office: Question', headers: { 'Auto-Submitted': 'auto-replied' }, body: 'I am away until Monday.' },
    ],
    ['Precedence: bulk', { headers: { Precedence: 'bulk' } }],
    ['Precedence: list', { headers: { Precedence: 'list' } }],
    ['X-Autoreply', { headers: { 'X-Autoreply': 'yes' } }],
    ['mailing list', { headers: { 'List-Id': '<news.shop.example>' } }],
    [
      'mailer-daemon bounce',
      { from: 'Mail Delivery System <MAILER-DAEMON@mx.example.com>', subject: 'Undelivered Mail Returned to Sender' },
    ],
    ['null Return-Path', { headers: { 'Return-Path': '<>' } }],
    ['auto-reply subject without headers', { subject: 'Automatic reply: Your order' }],
    [
      'multipart/report DSN',
      {
        from: 'postmaster@mx.example.com',
        contentType: 'multipart/report; report-type=delivery-status; boundary="r"',
        body: '--r\nContent-Type: text/plain\n\nDelivery failed.\n--r\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--r--',
      },
    ],
  ];
  for (const [name, mail] of cases) {
    it(name, async () => {
      const { m } = await receive(rawMail(mail));
      expect(m.autoGenerated).toBe(true);
      expect(typeof m.raw?.autoGenerated).toBe('string');
    });
  }

  it('Auto-Submitted: no is a person writing', async () => {
    const { m } = await receive(rawMail({ headers: { 'Auto-Submitted': 'no' } }));
    expect(m.autoGenerated).toBeUndefined();
  });
});

describe('awkward messages get a clear outcome and nothing is lost', () => {
  it('malformed MIME (multipart without a boundary) keeps the raw body and says so', async () => {
    const { m } = await receive(
      rawMail({ contentType: 'multipart/mixed', body: '--zz\nContent-Type: text/plain\n\nMy parcel is damaged\n--zz--' }),
    );
    expect(m.text).toContain("This email's structure could not be read");
    expect(m.text).toContain('My parcel is damaged');
    expect(m.raw?.problems).toEqual([expect.stringContaining('no readable text part')]);
  });

  it('a truncated multipart (no closing boundary, cut base64) still yields its text and attachment', async () => {
    const { m } = await receive(
      rawMail({
        contentType: 'multipart/mixed; boundary="b1"',
        body: '--b1\nContent-Type: text/plain\n\nInvoice attached\n--b1\nContent-Type: application/pdf; name="invoice.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLj',
      }),
    );
    expect(m.text).toBe('Invoice attached');
    expect(m.attachments).toEqual([expect.objectContaining({ name: 'invoice.pdf', mime: 'application/pdf' })]);
  });

  it('a message with no text part, only an image, gets a placeholder naming the attachment', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const { m } = await receive(
      rawMail({
        contentType: 'image/png; name="photo.png"',
        headers: { 'Content-Transfer-Encoding': 'base64', 'Content-Disposition': 'attachment; filename="photo.png"' },
        body: png.toString('base64'),
      }),
    );
    expect(m.text).toBe(`[Email without text; attachments: photo.png (image/png, ${png.length} B)]`);
    expect(m.attachments).toEqual([{ name: 'photo.png', mime: 'image/png', size: png.length, open: expect.any(Function) }]);
    expect(m.raw?.problems).toEqual(['the email has no text']);
  });

  it('an empty message without Message-ID is still stored, under a stable synthetic id', async () => {
    const raw = rawMail({ messageId: null, body: '' });
    const { m } = await receive(raw);
    expect(m.text).toBe('[Empty email]');
    expect(m.externalMessageId).toMatch(/^<no-message-id\.[0-9a-f]{32}@switchboard\.invalid>$/);
  });

  it('mail without a From address is stored but marked as not to be answered', async () => {
    const raw = rawMail({ messageId: '<nofrom@example.com>', body: 'Who am I?' }).replace(/^From: .*\r\n/m, '');
    const { m } = await receive(raw);
    expect(m).toMatchObject({ text: 'Who am I?', autoGenerated: true, raw: { autoGenerated: 'no sender address' } });
  });

  it('a message with 150 attachments lists the first 100 and counts the rest', async () => {
    const parts = Array.from(
      { length: 150 },
      (_, i) => `--m\nContent-Type: text/csv; name="f${i}.csv"\nContent-Disposition: attachment; filename="f${i}.csv"\n\n${i}\n`,
    ).join('');
    const { m } = await receive(
      rawMail({ contentType: 'multipart/mixed; boundary="m"', body: `--m\nContent-Type: text/plain\n\nMany files\n${parts}--m--` }),
    );
    expect(m.text).toBe('Many files');
    expect(m.attachments).toHaveLength(100);
    expect(m.attachments[0]).toMatchObject({ name: 'f0.csv', mime: 'text/csv' });
    expect(m.raw?.problems).toEqual(['50 more attachments not listed']);
  });

  it('a 20 MB attachment is recorded with its size and the text still arrives', async () => {
    const attachment = Buffer.alloc(20 * 1024 * 1024, 7);
    const base64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
    const { m } = await receive(
      rawMail({
        contentType: 'multipart/mixed; boundary="big"',
        body: `--big\nContent-Type: text/plain; charset=utf-8\n\nPhotos of the damage attached.\n--big\nContent-Type: application/zip; name="photos.zip"\nContent-Disposition: attachment; filename="photos.zip"\nContent-Transfer-Encoding: base64\n\n${base64}\n--big--`,
      }),
    );
    expect(m.text).toBe('Photos of the damage attached.');
    expect(m.attachments).toEqual([{ name: 'photos.zip', mime: 'application/zip', size: attachment.length, open: expect.any(Function) }]);
    // Streamed from its IMAP part, decoded: exactly the 20 MB that were attached.
    let bytes = 0;
    for await (const chunk of await m.attachments[0]!.open!(AbortSignal.timeout(20_000))) bytes += chunk.byteLength;
    expect(bytes).toBe(attachment.length);
  });
});

describe('size cap', () => {
  it('a message over maxMessageBytes is not downloaded whole: headers, text part and attachment list only', async () => {
    const capDovecotBox = await dovecot.createMailbox();
    const capped = new RecordingDeliver();
    const config = emailConfig(dovecot, { host: '127.0.0.1', port: 9 }, { maxMessageBytes: 64 * 1024 });
    const small = createEmailAdapter(
      { ...config, imap: { ...config.imap, mailbox: capDovecotBox } },
      { clock: systemClock, log: silentLogger, state: new MemoryState() },
    );
    await small.start(capped.deliver);
    try {
      const attachment = Buffer.alloc(300 * 1024, 1);
      await dovecot.append(
        rawMail({
          messageId: '<big-1@example.com>',
          subject: 'Damaged',
          contentType: 'multipart/mixed; boundary="big"',
          body: `--big\nContent-Type: text/plain; charset=utf-8\n\nSee the photo, Grüße\n--big\nContent-Type: image/jpeg; name="photo.jpg"\nContent-Disposition: attachment; filename="photo.jpg"\nContent-Transfer-Encoding: base64\n\n${attachment.toString('base64').replace(/.{76}/g, '$&\r\n')}\n--big--`,
        }),
        { mailbox: capDovecotBox },
      );
      const [m] = await eventually(() => capped.stored.length === 1 && capped.stored, 10_000, 'capped delivery');
      expect(m).toMatchObject({ externalMessageId: '<big-1@example.com>', subject: 'Damaged', text: 'See the photo, Grüße' });
      expect(m!.attachments).toHaveLength(1);
      expect(m!.attachments[0]).toMatchObject({ name: 'photo.jpg', mime: 'image/jpeg' });
      // BODYSTRUCTURE counts the encoded lines, so the decoded size is an estimate within a few bytes per line.
      expect(Math.abs(m!.attachments[0]!.size - attachment.length)).toBeLessThan(attachment.length * 0.03);
      expect(m!.raw?.problems).toEqual([expect.stringContaining('over the 64 KB limit')]);
    } finally {
      await small.stop();
    }
  });
});
