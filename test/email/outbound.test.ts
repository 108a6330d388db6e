/** The email adapter's send side against a real SMTP server (smtp-server) on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter, type EmailConfig } from '../../adapters/email/index.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import { systemClock } from '../../src/domain/clock.js';
import { ChannelError } from '../../src/domain/errors.js';
import { silentLogger } from '../../src/log.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { MemoryState } from '../support/memory-state.js';

let smtp: SmtpReceiver;
let adapter: ChannelAdapter;

function config(over: Partial<EmailConfig['smtp']> = {}): EmailConfig {
  return {
    imap: { host: '127.0.0.1', port: 9, secure: false, user: 'u', password: 'p', mailbox: 'INBOX' },
    smtp: { host: smtp.host, port: smtp.port, secure: false, user: smtp.user, password: smtp.password, ...over },
    from: 'Shop Support <support@shop.example>',
    maxMessageBytes: 1024 * 1024,
    pollIntervalMs: 60_000,
    idleDelayMs: 200,
  };
}
const deps = () => ({ clock: systemClock, log: silentLogger, state: new MemoryState() });

function reply(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    outboxId: '0193a1b2-c3d4-7e5f-8a6b-1234567890ab',
    conversationId: 'conv-1',
    channel: 'email',
    threadKey: '<root@example.com>',
    to: { channelUserId: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice Customer' },
    text: '您好！Your refund is on its way. — Grüße',
    author: 'agent',
    replyTo: { externalMessageId: '<q2@example.com>', subject: 'Refund', references: ['<root@example.com>', '<ours-1@shop.example>'] },
    ...over,
  };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver({ requireAuth: true });
  adapter = createEmailAdapter(config(), deps());
});
afterAll(async () => {
  await adapter?.stop();
  await smtp?.stop();
});

describe('email outbound (SMTP)', () => {
  it('sends a threaded UTF-8 reply with a Message-ID derived from the outbox id', async () => {
    const before = smtp.messages.length;
    const { externalId } = await adapter.send(reply());
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const p = mail!.parsed;
    expect(externalId).toBe('<0193a1b2-c3d4-7e5f-8a6b-1234567890ab@shop.example>');
    expect(p.messageId).toBe(externalId);
    expect(p.inReplyTo).toBe('<q2@example.com>');
    expect(p.references).toEqual(['<root@example.com>', '<ours-1@shop.example>', '<q2@example.com>']);
    expect(p.subject).toBe('Re: Refund');
    expect(p.text?.trim()).toBe('您好！Your refund is on its way. — Grüße');
    expect(p.from?.value[0]).toEqual({ address: 'support@shop.example', name: 'Shop Support' });
    expect(p.to && !Array.isArray(p.to) ? p.to.value[0] : undefined).toEqual({ address: 'alice@example.com', name: 'Alice Customer' });
    expect(mail!.envelope).toEqual({ from: 'support@shop.example', to: ['alice@example.com'] });
    expect(mail!.user).toBe(smtp.user);
    expect(mail!.raw.toString()).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
  });

  it('marks the bot’s replies Auto-Submitted: auto-replied (RFC 3834) and an agent’s not', async () => {
    const before = smtp.messages.length;
    await adapter.send(reply({ outboxId: '0193a1b2-c3d4-7e5f-8a6b-0000000000b0', author: 'bot' }));
    await adapter.send(reply({ outboxId: '0193a1b2-c3d4-7e5f-8a6b-0000000000a0', author: 'agent' }));
    const [bot, agent] = (await smtp.waitFor(before + 2)).slice(before);
    expect(bot!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(agent!.parsed.headers.get('auto-submitted')).toBeUndefined();
  });

  it('renders **bold** as bold in the HTML part and plain in the text part, escaping everything else', async () => {
    const before = smtp.messages.length;
    await adapter.send(reply({ outboxId: 'o-html', text: 'Go to **My account → Orders**.\n<script>alert(1)</script> & "quotes"' }));
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.parsed.text?.trim()).toBe('Go to My account → Orders.\n<script>alert(1)</script> & "quotes"');
    const html = String(mail!.parsed.html);
    expect(html).toContain('<strong>My account → Orders</strong>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;');
  });

  it('a resend of the same outbox row carries the same Message-ID, so the customer can tell it is one email', async () => {
    const before = smtp.messages.length;
    const a = await adapter.send(reply({ outboxId: 'resend-1' }));
    const b = await adapter.send(reply({ outboxId: 'resend-1' }));
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(a.externalId).toBe(b.externalId);
    expect(mails.map((m) => m.parsed.messageId)).toEqual([a.externalId, a.externalId]);
  });

  it('does not stack "Re:" and threads on the thread root when no message is being answered', async () => {
    const before = smtp.messages.length;
    await adapter.send(reply({ outboxId: 'o-re', replyTo: { externalMessageId: '<q3@example.com>', subject: 'RE: Refund' } }));
    await adapter.send(reply({ outboxId: 'o-root', replyTo: undefined }));
    const [first, second] = (await smtp.waitFor(before + 2)).slice(before);
    expect(first!.parsed.subject).toBe('RE: Refund');
    expect(second!.parsed.inReplyTo).toBe('<root@example.com>');
    expect(second!.parsed.subject).toBe('Re: your message');
  });

  it('maps a 4xx reply to a retryable ChannelError', async () => {
    smtp.failNext(451, 'Try again later');
    const err = await adapter.send(reply({ outboxId: 'o-451' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ retryable: true, code: 'smtp_temporary' });
  });

  it('maps a 5xx reply to a permanent ChannelError', async () => {
    smtp.failNext(550, 'Mailbox unavailable');
    const err = await adapter.send(reply({ outboxId: 'o-550' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ retryable: false, code: 'smtp_rejected' });
    expect((err as Error).message).toContain('Mailbox unavailable');
  });

  it('maps an unreachable server to a retryable ChannelError', async () => {
    const down = createEmailAdapter({ ...config(), smtp: { host: '127.0.0.1', port: 9, secure: false } }, deps());
    const err = await down.send(reply({ outboxId: 'o-down' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ retryable: true, code: 'smtp_unreachable' });
  });

  it('reports wrong SMTP credentials as retryable after a long pause, so replies wait for the fix instead of failing', async () => {
    const wrong = createEmailAdapter(config({ password: 'wrong' }), deps());
    const err = await wrong.send(reply({ outboxId: 'o-auth' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, code: 'smtp_auth', retryAfterMs: 300_000 });
    expect((err as Error).message).not.toContain('wrong');
  });

  it('refuses a recipient without an email address as a permanent failure', async () => {
    const err = await adapter.send(reply({ to: { channelUserId: 'tg:123' } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, code: 'no_recipient' });
  });
});
