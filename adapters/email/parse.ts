/**
 * Parses a raw RFC 822 message with mailparser. Attachments are streamed and only counted, so a
 * 20 MB attachment costs no more memory than its encoded source; charsets (GBK, Big5, ISO-2022-JP, …)
 * and encoded-word headers are decoded by mailparser.
 */
import { MailParser, type AddressObject, type HeaderLines } from 'mailparser';
import type { Attachment } from '../../src/domain/channel.js';
import type { HeaderReader } from './auto-generated.js';

/** Beyond this many attachments only the count is kept; a name longer than this is shortened. */
const MAX_ATTACHMENTS = 100;
const MAX_NAME_CHARS = 255;

export interface ParsedEmail {
  headers: HeaderReader;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject?: string;
  from?: { address: string; name?: string };
  replyTo?: string;
  date?: Date;
  text?: string;
  html?: string;
  attachments: MailAttachment[];
  /** What went wrong while reading the message, for agents; the message is still delivered. */
  problems: string[];
}

/** A file in a mail, with the IMAP part number its bytes are downloaded by. */
export interface MailAttachment extends Attachment {
  /** IMAP style (`2`, `1.2`); `1` for a message that is a single non-text part. */
  partId?: string;
}

export async function parseEmail(source: Buffer | string): Promise<ParsedEmail> {
  const parser = new MailParser({ skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, checksumAlgo: false });
  let headerLines: HeaderLines = [];
  let text: string | undefined;
  let html: string | undefined;
  const attachments: MailAttachment[] = [];
  const problems: string[] = [];
  let unlisted = 0;

  parser.on('headerLines', (lines: HeaderLines) => (headerLines = lines));
  parser.on('data', (data) => {
    if (data.type === 'text') {
      text = data.text || undefined;
      html = data.html || undefined;
      return;
    }
    let size = 0;
    data.content.on('data', (chunk: Buffer) => (size += chunk.length));
    data.content.on('end', () => {
      if (attachments.length < MAX_ATTACHMENTS) {
        // A forwarded mail (message/rfc822) is kept as a file mail clients open: a .eml.
        const name = data.filename ?? (data.contentType === 'message/rfc822' ? 'forwarded-message.eml' : 'unnamed');
        // Pictures in the body: referenced by cid: from the HTML, or simply marked inline.
        const inline = data.contentType.startsWith('image/') && (data.related === true || data.contentDisposition === 'inline');
        attachments.push({
          name: name.slice(0, MAX_NAME_CHARS),
          mime: data.contentType,
          size,
          partId: data.partId ?? '1',
          ...(inline ? { inline: true } : {}),
        });
      } else unlisted++;
      data.release?.();
    });
  });

  await new Promise<void>((resolve) => {
    parser.once('end', () => resolve());
    parser.once('error', (err: Error) => {
      problems.push(`the MIME structure could not be fully read: ${err.message}`);
      resolve();
    });
    parser.end(source);
  });

  if (unlisted) problems.push(`${unlisted} more attachments not listed`);
  const from = firstAddress(parser.from);
  return {
    headers: headerReader(headerLines),
    messageId: parser.messageId,
    inReplyTo: parser.inReplyTo,
    references: typeof parser.references === 'string' ? [parser.references] : (parser.references ?? []),
    subject: parser.subject,
    from,
    replyTo: firstAddress(parser.replyTo)?.address,
    date: parser.date,
    text,
    html,
    attachments,
    problems,
  };
}

function firstAddress(obj: AddressObject | undefined): { address: string; name?: string } | undefined {
  const flat = (obj?.value ?? []).flatMap((a) => (a.group ? a.group : [a]));
  const first = flat.find((a) => a.address);
  if (!first?.address) return undefined;
  return { address: first.address.toLowerCase(), name: first.name || undefined };
}

/** Raw header values (unfolded), as sent: the checks on them want exactly what the sender wrote. */
function headerReader(lines: HeaderLines): HeaderReader {
  return {
    get(name) {
      const found = lines.find((l) => l.key === name.toLowerCase());
      if (!found) return undefined;
      return found.line
        .slice(found.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
    },
  };
}
