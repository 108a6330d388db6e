/**
 * Builds the outgoing email for a reply so mail clients thread it: a stable Message-ID derived from
 * the outbox row, In-Reply-To and References from the message answered, and a "Re:" subject.
 */
import type { AttachmentLimits, OutboundAttachment, OutboundMessage } from '../../src/domain/channel.js';
import { MB } from '../../src/kit/byte-stream.js';
import { ChannelError } from '../../src/domain/errors.js';
import { normalizeId, outboundMessageId, parseIdList } from './message-ids.js';

export interface ComposedEmail {
  messageId: string;
  from: string;
  to: { name?: string; address: string };
  subject: string;
  text: string;
  inReplyTo?: string;
  references?: string[];
  /** RFC 3834: the bot's replies say they are automatic, so other autoresponders do not answer them. */
  autoSubmitted: boolean;
  /** Files sent as MIME parts, each read from the file store as the mail is written. */
  attachments: OutboundAttachment[];
}

/** Mail has no count limit of its own; this keeps one reply a reasonable mail. */
export const MAX_FILES_PER_EMAIL = 20;

export function emailLimits(maxAttachmentBytes: number): AttachmentLimits {
  return { maxBytes: maxAttachmentBytes, maxCount: MAX_FILES_PER_EMAIL };
}

/** Refused before anything is sent, so an agent sees why rather than a bounce later. */
export function checkAttachments(files: OutboundAttachment[], limits: AttachmentLimits): void {
  if (files.length > limits.maxCount)
    throw new ChannelError(`an email reply takes at most ${limits.maxCount} files; this one has ${files.length}`, {
      retryable: false,
      code: 'email_too_many_files',
    });
  const big = files.find((f) => f.size > limits.maxBytes);
  if (big)
    throw new ChannelError(
      `${big.name} is ${(big.size / MB).toFixed(1)} MB; email replies take files up to ${Math.round(limits.maxBytes / MB)} MB (EMAIL_MAX_ATTACHMENT_MB)`,
      { retryable: false, code: 'email_attachment_too_large' },
    );
}

/** Prefixes a reply may already carry: English, German, Nordic, Chinese. */
const REPLY_PREFIX = /^\s*(re|aw|sv|antw|回复|回覆|答复)\s*(\[\d+\])?\s*[:：]/i;
/** Keep References bounded, as mail clients do: the root plus the most recent ids. */
const MAX_REFERENCES = 20;

export function replySubject(subject: string | undefined): string {
  const s = subject?.replace(/\s+/g, ' ').trim();
  if (!s) return 'Re: your message';
  return REPLY_PREFIX.test(s) ? s : `Re: ${s}`;
}

export function composeReply(m: OutboundMessage, from: string): ComposedEmail {
  const to = m.to.email ?? (m.to.channelUserId.includes('@') ? m.to.channelUserId : undefined);
  if (!to) throw new ChannelError(`no email address for recipient ${m.to.channelUserId}`, { retryable: false, code: 'no_recipient' });
  const composed: ComposedEmail = {
    messageId: outboundMessageId(m.outboxId, from),
    from,
    to: m.to.displayName ? { name: m.to.displayName, address: to } : { address: to },
    subject: replySubject(m.replyTo?.subject),
    text: withNumberedChoices(m),
    autoSubmitted: m.author === 'bot',
    attachments: m.attachments ?? [],
  };
  // Without a specific message to answer, the thread root still keeps the reply in the customer's thread.
  const parent = normalizeId(m.replyTo?.externalMessageId) ?? normalizeId(m.threadKey);
  if (parent) {
    const chain = [...new Set([...parseIdList(m.replyTo?.references), parent])];
    composed.inReplyTo = parent;
    composed.references = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  }
  return composed;
}

/**
 * Mail has no buttons: offered choices become a numbered list, and the customer answers with the
 * digit (the pipeline reads a bare digit as a pick from the last list it sent).
 */
export function withNumberedChoices(m: Pick<OutboundMessage, 'text' | 'choices'>): string {
  if (!m.choices?.length) return m.text;
  const list = m.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  // The choices are in the customer's language; so is the hint.
  const hint = /\p{Script=Han}/u.test(m.text + list) ? '请直接回复对应的数字。' : 'Reply with the number of your choice.';
  return `${m.text}\n\n${list}\n\n${hint}`;
}
