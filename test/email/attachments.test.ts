/**
 * Files in mail both ways: real MIME through a real Dovecot, each part opened by its IMAP part
 * number (imapflow's download, decoded and streamed), and replies with files through a real SMTP
 * server, read back as MIME parts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../adapters/email/index.js';
import type { ChannelAdapter, InboundMessage, OutboundMessage } from '../../src/domain/channel.js';
import { systemClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log.js';
import { startDovecot, type DovecotServer } from '../fakes/dovecot.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { eventually } from '../support/eventually.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { hugeFile, outboundFile, readAll, samplePdf, samplePng, sha256 } from '../support/sample-files.js';
import { sendError } from '../support/send-error.js';
import { emailConfig } from './support.js';

let dovecot: DovecotServer;
let smtp: SmtpReceiver;
let adapter: ChannelAdapter;
let box: string;
const rec = new RecordingDeliver();
const MB = 1024 * 1024;

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startSmtpReceiver();
  box = await dovecot.createMailbox();
  const config = emailConfig(dovecot, smtp, { maxAttachmentBytes: 1 * MB });
  adapter = createEmailAdapter(
    { ...config, imap: { ...config.imap, mailbox: box } },
    { clock: systemClock, log: silentLogger, state: new MemoryState() },
  );
  await adapter.start(rec.deliver);
});
afterAll(async () => {
  await adapter?.stop();
  await dovecot?.stop();
  await smtp?.stop();
});

async function receive(raw: string): Promise<InboundMessage> {
  const uid = await dovecot.append(raw, { mailbox: box });
  return eventually(() => rec.stored.find((s) => s.raw?.uid === uid), 20_000, `delivery of UID ${uid}`);
}

const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');
const signal = () => AbortSignal.timeout(10_000);
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function head(subject: string, contentType: string): string {
  return crlf(`From: Alice Customer <alice@example.com>
To: support@shop.example
Subject: ${subject}
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <${Math.random().toString(36).slice(2)}@example.com>
MIME-Version: 1.0
Content-Type: ${contentType}

`);
}

describe('files in customer mail', () => {
  it('a cid: image, an inline image without a reference, a PDF and a forwarded mail each open to their exact bytes', async () => {
    const logo = samplePng(5000);
    const photo = samplePng(9000);
    const pdf = samplePdf(40_000);
    const forwarded = crlf('From: shop@vendor.example\nTo: alice@example.com\nSubject: Your order\n\nOrder 1234 confirmed.\n');
    const m = await receive(
      head('Damaged parcel', 'multipart/mixed; boundary="mix"') +
        crlf(`--mix
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>The parcel was crushed:</p><img src="cid:logo@alice">
--rel
Content-Type: image/png
Content-ID: <logo@alice>
Content-Transfer-Encoding: base64

${b64(logo)}
--rel--
--mix
Content-Type: image/png; name="side.png"
Content-Disposition: inline; filename="side.png"
Content-Transfer-Encoding: base64

${b64(photo)}
--mix
Content-Type: application/pdf; name="receipt.pdf"
Content-Disposition: attachment; filename="receipt.pdf"
Content-Transfer-Encoding: base64

${b64(pdf)}
--mix
Content-Type: message/rfc822
Content-Disposition: attachment

${forwarded}
--mix--
`),
    );
    expect(m.text).toMatch(/The parcel was crushed/);
    const byName = Object.fromEntries(m.attachments.map((a) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(['forwarded-message.eml', 'receipt.pdf', 'side.png', 'unnamed']);
    expect(byName['unnamed']).toMatchObject({ mime: 'image/png', inline: true });
    expect(byName['side.png']).toMatchObject({ mime: 'image/png', inline: true });
    expect(byName['receipt.pdf']).toMatchObject({ mime: 'application/pdf', size: pdf.length });
    expect(byName['receipt.pdf']!.inline).toBeUndefined();
    expect(byName['forwarded-message.eml']).toMatchObject({ mime: 'message/rfc822' });
    expect(sha256(await readAll(await byName['unnamed']!.open!(signal())))).toBe(sha256(logo));
    expect(sha256(await readAll(await byName['side.png']!.open!(signal())))).toBe(sha256(photo));
    expect(sha256(await readAll(await byName['receipt.pdf']!.open!(signal())))).toBe(sha256(pdf));
    expect((await readAll(await byName['forwarded-message.eml']!.open!(signal()))).toString()).toContain('Order 1234 confirmed.');
  });

  it('a mail that is only an attachment is still a message, and its file opens', async () => {
    const pdf = samplePdf(2000);
    const m = await receive(
      head('', 'application/pdf; name="scan.pdf"').replace(
        'Content-Type: application/pdf; name="scan.pdf"',
        'Content-Type: application/pdf; name="scan.pdf"\r\nContent-Disposition: attachment; filename="scan.pdf"\r\nContent-Transfer-Encoding: base64',
      ) +
        b64(pdf) +
        '\r\n',
    );
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ name: 'scan.pdf', mime: 'application/pdf' });
    expect(sha256(await readAll(await m.attachments[0]!.open!(signal())))).toBe(sha256(pdf));
  });

  it('EMAIL_MAX_ATTACHMENT_MB: a larger part is listed without open', async () => {
    const big = Buffer.alloc(1 * MB + 10, 5);
    const m = await receive(
      head('big one', 'multipart/mixed; boundary="b"') +
        crlf(`--b
Content-Type: text/plain

see attached
--b
Content-Type: application/zip; name="big.zip"
Content-Disposition: attachment; filename="big.zip"
Content-Transfer-Encoding: base64

${b64(big)}
--b--
`),
    );
    expect(m.attachments[0]).toMatchObject({ name: 'big.zip', size: big.length });
    expect(m.attachments[0]!.open).toBeUndefined();
  });
});

function reply(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    outboxId: `0193a1b2-c3d4-7e5f-8a6b-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    conversationId: 'conv-1',
    channel: 'email',
    threadKey: '<root@example.com>',
    to: { channelUserId: 'alice@example.com', email: 'alice@example.com' },
    text: 'Your label and invoice are attached.',
    author: 'agent',
    ...over,
  };
}

describe('files in replies', () => {
  it('sends each file as a MIME part with its name, type and exact bytes', async () => {
    const png = samplePng(20_000);
    const pdf = samplePdf(30_000);
    const before = smtp.messages.length;
    await adapter.send(
      reply({ attachments: [outboundFile('label.png', 'image/png', png), outboundFile('invoice.pdf', 'application/pdf', pdf)] }),
    );
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const files = mail!.parsed.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)]);
    expect(files).toEqual([
      ['label.png', 'image/png', sha256(png)],
      ['invoice.pdf', 'application/pdf', sha256(pdf)],
    ]);
    expect(mail!.parsed.text?.trim()).toBe('Your label and invoice are attached.');
  });

  it('refuses a file over the configured maximum before anything is sent', async () => {
    expect(adapter.attachmentLimits).toEqual({ maxBytes: 1 * MB, maxCount: 20 });
    const before = smtp.messages.length;
    const big = hugeFile('video.mp4', 'video/mp4', 1 * MB + 1);
    const err = await sendError(adapter.send(reply({ attachments: [big] })));
    expect(err).toMatchObject({ code: 'email_attachment_too_large', retryable: false });
    expect(err.message).toMatch(/video\.mp4 is 1\.0 MB; email replies take files up to 1 MB \(EMAIL_MAX_ATTACHMENT_MB\)/);
    expect(big.opened).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });
});
