/**
 * Sends composed replies over SMTP with nodemailer and says whether a failure is worth retrying:
 * 4xx replies and network trouble are temporary, 5xx replies are final (address rejected, policy).
 */
import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { ChannelError } from '../../src/domain/errors.js';
import type { EmailConfig } from './config.js';
import type { ComposedEmail } from './compose.js';
import { replyHtml, replyText } from './reply-body.js';

/** Failures that say nothing about the message itself: wait a little and try again. */
const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
/** Wrong credentials will not fix themselves quickly, but an operator can fix them without losing the reply. */
const AUTH_RETRY_MS = 5 * 60_000;

export class SmtpSender {
  private readonly transport: Transporter;

  constructor(smtp: EmailConfig['smtp']) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user && smtp.password ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }

  async send(mail: ComposedEmail): Promise<void> {
    try {
      // Opened for this attempt: a retried send reads each file anew; nodemailer streams them into the MIME parts.
      const attachments = await Promise.all(
        mail.attachments.map(async (f) => ({
          filename: f.name,
          contentType: f.mime,
          content: Readable.from(await f.open(), { objectMode: false }),
        })),
      );
      await this.transport.sendMail({
        messageId: mail.messageId,
        from: mail.from,
        to: { name: mail.to.name ?? '', address: mail.to.address },
        subject: mail.subject,
        text: replyText(mail.text),
        html: replyHtml(mail.text),
        textEncoding: 'quoted-printable',
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: mail.references } : {}),
        ...(mail.autoSubmitted ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
        ...(attachments.length ? { attachments } : {}),
      });
    } catch (err) {
      throw toChannelError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}

export function toChannelError(err: unknown): ChannelError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const detail = e.response ?? e.message ?? String(err);
  if (typeof e.responseCode === 'number') {
    if (e.code === 'EAUTH')
      return new ChannelError(`SMTP login failed: ${detail}`, {
        retryable: true,
        retryAfterMs: AUTH_RETRY_MS,
        code: 'smtp_auth',
        cause: err,
      });
    if (e.responseCode >= 400 && e.responseCode < 500)
      return new ChannelError(`SMTP server deferred the email: ${detail}`, { retryable: true, code: 'smtp_temporary', cause: err });
    if (e.responseCode >= 500)
      return new ChannelError(`SMTP server rejected the email: ${detail}`, { retryable: false, code: 'smtp_rejected', cause: err });
  }
  if (e.code && TEMPORARY_CODES.has(e.code))
    return new ChannelError(`SMTP server unreachable: ${detail}`, { retryable: true, code: 'smtp_unreachable', cause: err });
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH')
    return new ChannelError(`SMTP login failed: ${detail}`, {
      retryable: true,
      retryAfterMs: AUTH_RETRY_MS,
      code: 'smtp_auth',
      cause: err,
    });
  return new ChannelError(`email could not be sent: ${detail}`, { retryable: false, code: 'smtp_failed', cause: err });
}
