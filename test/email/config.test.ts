import { describe, expect, it } from 'vitest';
import { emailConfigFromEnv } from '../../adapters/email/config.js';
import { buildChannelAdapters } from '../../src/channels.js';
import { systemClock } from '../../src/domain/clock.js';
import { ValidationError } from '../../src/domain/errors.js';
import { silentLogger } from '../../src/log.js';
import { StreamLimits } from '../../src/kit/sse.js';
import { MemoryState } from '../support/memory-state.js';

const base = {
  IMAP_HOST: 'imap.shop.example',
  IMAP_USER: 'support@shop.example',
  IMAP_PASSWORD: 'imap-secret',
  SMTP_HOST: 'smtp.shop.example',
  EMAIL_FROM: 'Shop Support <support@shop.example>',
};

describe('emailConfigFromEnv', () => {
  it('applies defaults: IMAPS on 993, submission on 587 with STARTTLS, INBOX', () => {
    expect(emailConfigFromEnv(base)).toMatchObject({
      imap: { host: 'imap.shop.example', port: 993, secure: true, user: 'support@shop.example', password: 'imap-secret', mailbox: 'INBOX' },
      smtp: { host: 'smtp.shop.example', port: 587, secure: false },
      from: 'Shop Support <support@shop.example>',
    });
  });

  it('reads EMAIL_MAX_ATTACHMENT_MB (default 25)', () => {
    expect(emailConfigFromEnv(base).maxAttachmentBytes).toBe(25 * 1024 * 1024);
    expect(emailConfigFromEnv({ ...base, EMAIL_MAX_ATTACHMENT_MB: '10' }).maxAttachmentBytes).toBe(10 * 1024 * 1024);
    expect(() => emailConfigFromEnv({ ...base, EMAIL_MAX_ATTACHMENT_MB: '0' })).toThrow(/EMAIL_MAX_ATTACHMENT_MB/);
  });

  it('reads ports, TLS flags, SMTP credentials and the mailbox', () => {
    const c = emailConfigFromEnv({
      ...base,
      IMAP_PORT: '143',
      IMAP_TLS: 'false',
      IMAP_MAILBOX: 'Support',
      SMTP_PORT: '465',
      SMTP_USER: 'relay',
      SMTP_PASSWORD: 'pw',
      SMTP_TLS: '',
    });
    expect(c.imap).toMatchObject({ port: 143, secure: false, mailbox: 'Support' });
    expect(c.smtp).toEqual({ host: 'smtp.shop.example', port: 465, secure: true, user: 'relay', password: 'pw' });
  });

  it.each([
    [{ IMAP_PASSWORD: undefined }, 'IMAP_PASSWORD is required'],
    [{ SMTP_HOST: '' }, 'SMTP_HOST is required'],
    [{ IMAP_PORT: 'abc' }, 'IMAP_PORT'],
    [{ IMAP_TLS: 'maybe' }, 'IMAP_TLS'],
    [{ EMAIL_FROM: 'support' }, 'EMAIL_FROM must be an email address'],
    [{ SMTP_USER: 'relay' }, 'set both SMTP_USER and SMTP_PASSWORD'],
  ])('rejects %o with a clear message', (patch, message) => {
    let error: unknown;
    try {
      emailConfigFromEnv({ ...base, ...patch });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('imap-secret');
  });
});

describe('buildChannelAdapters and the email channel', () => {
  const unused = () => {
    throw new Error('the web chat store is not used here');
  };
  const webchat = { insertSession: unused, session: unused, touchSession: unused, itemsAfter: unused, watch: unused, position: unused };
  const streams = { heartbeatMs: 15_000, idleMs: 900_000, perSession: 5, perClient: 100, limits: new StreamLimits() };
  const limiter = { take: unused, close: unused };
  const minute = { max: 1, windowMs: 60_000 };
  const webchatPolicy = { sessionIdleMs: 1, sessionCreate: minute, sessionMessages: minute };
  const deps = { clock: systemClock, log: silentLogger, state: new MemoryState(), webchat, streams, limiter, webchatPolicy };

  it('builds the email adapter only when IMAP_HOST is set', async () => {
    expect((await buildChannelAdapters({}, deps)).map((a) => a.channel)).not.toContain('email');
    const email = (await buildChannelAdapters(base, deps)).find((a) => a.channel === 'email');
    expect(email?.singleConsumer).toBe(true);
  });

  it('stops start-up with the missing variable named when IMAP_HOST is set alone', async () => {
    await expect(buildChannelAdapters({ IMAP_HOST: 'imap.shop.example' }, deps)).rejects.toThrow(/email channel: IMAP_USER is required/);
  });
});
