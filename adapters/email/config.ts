import { z } from 'zod';
import { MB } from '../../src/kit/byte-stream.js';
import { bothOrNeither, envFlag, envPort, parseEnv, type Env } from '../../src/kit/env.js';

export interface EmailConfig {
  imap: { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string };
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string };
  /** The address replies come from, e.g. `Support <support@shop.example>`; its domain names our Message-IDs. */
  from: string;
  /** Larger messages are not downloaded whole: headers, text part and attachment list only. */
  maxMessageBytes: number;
  /** Largest attachment downloaded from a customer's mail, and sent with a reply. */
  maxAttachmentBytes?: number;
  /** Safety-net sync interval on top of IDLE, and the poll interval where IDLE is missing. */
  pollIntervalMs: number;
  /** Idle time after the last command before IDLE starts. */
  idleDelayMs: number;
}

export const EMAIL_DEFAULTS = {
  mailbox: 'INBOX',
  maxMessageBytes: 40 * 1024 * 1024,
  maxAttachmentBytes: 25 * MB,
  pollIntervalMs: 60_000,
  idleDelayMs: 2_000,
} as const;

const addressWithDomain = z
  .string()
  .regex(/@[^\s@<>]+\.[^\s@<>]+>?\s*$/, 'must be an email address such as "Support <support@shop.example>"');

const envSchema = z
  .object({
    IMAP_HOST: z.string().min(1),
    IMAP_PORT: envPort().default(993),
    IMAP_USER: z.string().min(1),
    IMAP_PASSWORD: z.string().min(1),
    IMAP_TLS: envFlag.optional(),
    IMAP_MAILBOX: z.string().min(1).default(EMAIL_DEFAULTS.mailbox),
    SMTP_HOST: z.string().min(1),
    SMTP_PORT: envPort().default(587),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    SMTP_TLS: envFlag.optional(),
    EMAIL_FROM: addressWithDomain,
    EMAIL_MAX_ATTACHMENT_MB: z.coerce.number().int('must be a whole number of megabytes').min(1).max(1000).optional(),
  })
  .superRefine(bothOrNeither('SMTP_USER', 'SMTP_PASSWORD'));

/**
 * Reads the email channel's settings from an env record (never process.env directly).
 * TLS defaults follow the port: implicit TLS on 993 (IMAP) and 465 (SMTP), otherwise STARTTLS when offered.
 */
export function emailConfigFromEnv(env: Env): EmailConfig {
  const e = parseEnv(envSchema, env, { context: 'email channel' });
  return {
    imap: {
      host: e.IMAP_HOST,
      port: e.IMAP_PORT,
      secure: e.IMAP_TLS ?? e.IMAP_PORT === 993,
      user: e.IMAP_USER,
      password: e.IMAP_PASSWORD,
      mailbox: e.IMAP_MAILBOX,
    },
    smtp: { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_TLS ?? e.SMTP_PORT === 465, user: e.SMTP_USER, password: e.SMTP_PASSWORD },
    from: e.EMAIL_FROM,
    maxMessageBytes: EMAIL_DEFAULTS.maxMessageBytes,
    maxAttachmentBytes: e.EMAIL_MAX_ATTACHMENT_MB ? e.EMAIL_MAX_ATTACHMENT_MB * MB : EMAIL_DEFAULTS.maxAttachmentBytes,
    pollIntervalMs: EMAIL_DEFAULTS.pollIntervalMs,
    idleDelayMs: EMAIL_DEFAULTS.idleDelayMs,
  };
}
