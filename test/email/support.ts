/** Shared pieces for the email tests: the adapter's configuration against the fakes, and raw-mail builders. */
import type { EmailConfig } from '../../adapters/email/config.js';
import type { DovecotServer } from '../fakes/dovecot.js';
import type { SmtpReceiver } from '../fakes/smtp-receiver.js';

export function emailConfig(
  dovecot: DovecotServer,
  smtp: SmtpReceiver | { host: string; port: number },
  overrides: Partial<EmailConfig> = {},
): EmailConfig {
  return {
    imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX' },
    smtp: { host: smtp.host, port: smtp.port, secure: false },
    from: 'Shop Support <support@shop.example>',
    maxMessageBytes: 40 * 1024 * 1024,
    pollIntervalMs: 60_000,
    idleDelayMs: 200,
    ...overrides,
  };
}

/** The app's environment for email against the fakes, reading `mailbox`. */
export function emailEnv(dovecot: DovecotServer, smtp: SmtpReceiver, mailbox: string): Record<string, string> {
  return {
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_TLS: 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_MAILBOX: mailbox,
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    SMTP_TLS: 'false',
    EMAIL_FROM: 'Shop Support <support@shop.example>',
  };
}

export function rawMail(opts: {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
}): string {
  const lines = [
    `From: ${opts.from ?? 'Alice Customer <alice@example.com>'}`,
    `To: ${opts.to ?? 'support@shop.example'}`,
    `Subject: ${opts.subject ?? 'Question'}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    ...(opts.messageId === null ? [] : [`Message-ID: ${opts.messageId ?? `<${Math.random().toString(36).slice(2)}@example.com>`}`]),
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`] : []),
    ...(opts.references ? [`References: ${opts.references}`] : []),
    'MIME-Version: 1.0',
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    `Content-Type: ${opts.contentType ?? 'text/plain; charset=utf-8'}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${(opts.body ?? 'Hello').replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** A raw mail whose body is given as bytes in a legacy charset. */
export function rawMailBytes(headers: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(headers.replace(/\r?\n/g, '\r\n') + '\r\n\r\n', 'latin1'), body, Buffer.from('\r\n')]);
}
