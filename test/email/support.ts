/** Shared pieces for the email tests: a state store, a recording `deliver` that dedupes like the pipeline, and raw-mail builders. */
import type { DeliverResult, InboundMessage } from '../../src/domain/channel.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { EmailConfig } from '../../adapters/email/config.js';
import type { DovecotServer } from '../fakes/dovecot.js';
import type { SmtpReceiver } from '../fakes/smtp-receiver.js';

export function memoryState(): ChannelStateStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: async (k) => data.get(k), set: async (k, v) => void data.set(k, v) };
}

/** Stores each message once per Message-ID, like the pipeline's unique (channel, externalMessageId). */
export function recordingDeliver() {
  const stored: InboundMessage[] = [];
  let calls = 0;
  let failNext = 0;
  let gate: Promise<void> | undefined;
  const deliver = async (m: InboundMessage): Promise<DeliverResult> => {
    calls++;
    if (gate) await gate;
    if (failNext > 0) {
      failNext--;
      throw new Error('store unavailable');
    }
    const i = stored.findIndex((s) => s.externalMessageId === m.externalMessageId);
    if (i >= 0) return { messageId: `m${i}`, conversationId: `c${i}`, duplicate: true };
    stored.push(m);
    return { messageId: `m${stored.length - 1}`, conversationId: `c${stored.length - 1}`, duplicate: false };
  };
  return {
    deliver,
    stored,
    calls: () => calls,
    failNext: (n: number) => void (failNext = n),
    /** Holds every delivery until the returned function is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

export function emailConfig(dovecot: DovecotServer, smtp: SmtpReceiver | { host: string; port: number }, overrides: Partial<EmailConfig> = {}): EmailConfig {
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

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
