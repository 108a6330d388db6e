/** RFC 5322 message ids and the threading we derive from them. Ids are kept in their `<local@domain>` form everywhere. */

import { createHash } from 'node:crypto';

/** Every `<...>` id in a header value, in order; a bare id without brackets gets them added. */
export function parseIdList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const bracketed = text.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return text
    .split(/[\s,]+/)
    .filter((t) => t.includes('@'))
    .map((t) => `<${t}>`);
}

export function normalizeId(value: string | undefined): string | undefined {
  return parseIdList(value)[0];
}

export interface Threading {
  threadKey: string;
  replyToExternalIds: string[];
}

/**
 * The thread root is the first id in References, else In-Reply-To, else the message itself.
 * replyToExternalIds is oldest first (References order, then In-Reply-To), so it doubles as the
 * References chain of our answer.
 */
export function threading(messageId: string, inReplyTo: string | undefined, references: string[]): Threading {
  const replyToExternalIds = [...new Set([...references, ...(inReplyTo ? [inReplyTo] : [])])];
  return { threadKey: references[0] ?? inReplyTo ?? messageId, replyToExternalIds };
}

/** A stable id for mail that arrived without a Message-ID, so a re-fetch dedupes against the first copy. */
export function syntheticMessageId(source: Buffer | string): string {
  return `<no-message-id.${createHash('sha256').update(source).digest('hex').slice(0, 32)}@switchboard.invalid>`;
}

/** Our outbound Message-ID: derived from the outbox row, so a resend after a crash carries the same id. */
export function outboundMessageId(outboxId: string, fromAddress: string): string {
  return `<${outboxId}@${domainOf(fromAddress)}>`;
}

/** `Support <support@shop.example>` → `support@shop.example`. */
export function bareAddress(address: string): string {
  return (address.match(/<([^<>]+)>\s*$/)?.[1] ?? address).trim().toLowerCase();
}

export function domainOf(address: string): string {
  const bare = bareAddress(address);
  const domain = bare
    .slice(bare.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  if (!domain || !bare.includes('@')) throw new Error(`not an email address: ${address}`);
  return domain;
}
