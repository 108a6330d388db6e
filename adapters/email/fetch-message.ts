/**
 * Reads one message by UID from the selected mailbox and normalizes it. A message over the size
 * limit is not downloaded whole: its headers, text part and attachment list are enough for a reply.
 */
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import type { Attachment, ByteStream, InboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import { limitBytes, MB } from '../../src/kit/byte-stream.js';
import { formatBytes } from './body-text.js';
import { parseEmail, type MailAttachment } from './parse.js';
import { toInbound, type MailboxPosition } from './to-inbound.js';

const MAX_TEXT_PART_BYTES = 1024 * 1024;

export async function fetchMessage(
  client: ImapFlow,
  uid: number,
  position: Omit<MailboxPosition, 'uid' | 'internalDate'>,
  opts: { maxMessageBytes: number; maxAttachmentBytes: number; ownAddress: string },
): Promise<InboundMessage | undefined> {
  const { maxMessageBytes, ownAddress } = opts;
  const withOpen = partOpener(client, uid, opts.maxAttachmentBytes);
  const meta = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
  if (!meta) return undefined;
  const where = { ...position, uid, internalDate: meta.internalDate ? new Date(meta.internalDate) : undefined };

  if ((meta.size ?? 0) <= maxMessageBytes) {
    const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!full || !full.source) return undefined;
    const raw = full.source;
    const parsed = await parseEmail(raw);
    return toInbound(
      { ...parsed, attachments: parsed.attachments.map(withOpen) },
      where,
      { raw, rawBody: () => rawBodyOf(raw) },
      ownAddress,
    );
  }

  const head = await client.fetchOne(String(uid), { uid: true, headers: true, bodyStructure: true }, { uid: true });
  if (!head || !head.headers) return undefined;
  const parsed = await parseEmail(Buffer.concat([head.headers, Buffer.from('\r\n')]));
  const parts = head.bodyStructure ? flatten(head.bodyStructure) : [];
  const textPart =
    parts.find((p) => p.type === 'text/plain' && p.disposition !== 'attachment') ??
    parts.find((p) => p.type === 'text/html' && p.disposition !== 'attachment');
  if (textPart) {
    const body = await downloadText(client, uid, textPart.part ?? '1');
    if (textPart.type === 'text/html') parsed.html = body;
    else parsed.text = body;
  }
  parsed.attachments = parts
    .filter((p) => p !== textPart && !p.type.startsWith('multipart/'))
    .map(toAttachment)
    .map(withOpen);
  parsed.problems.push(
    `the email is ${formatBytes(meta.size ?? 0)}, over the ${formatBytes(maxMessageBytes)} limit: attachments were listed, not downloaded`,
  );
  return toInbound(parsed, where, { raw: head.headers }, ownAddress);
}

function flatten(node: MessageStructureObject): MessageStructureObject[] {
  return node.childNodes?.length ? node.childNodes.flatMap(flatten) : [node];
}

function toAttachment(p: MessageStructureObject): MailAttachment {
  const name =
    p.dispositionParameters?.filename ?? p.parameters?.name ?? (p.type === 'message/rfc822' ? 'forwarded-message.eml' : 'unnamed');
  // BODYSTRUCTURE gives the encoded size; base64 carries 3 bytes in every 4.
  const size = p.encoding?.toLowerCase() === 'base64' ? Math.floor(((p.size ?? 0) * 3) / 4) : (p.size ?? 0);
  const inline = p.type.startsWith('image/') && (p.disposition === 'inline' || p.id !== undefined);
  return { name, mime: p.type, size, partId: p.part ?? '1', ...(inline ? { inline: true } : {}) };
}

/**
 * Gives each file an `open` that downloads just its MIME part over IMAP (decoded, streamed), so
 * the pipeline never holds a whole mail to store one attachment. A part over the limit gets none.
 */
function partOpener(client: ImapFlow, uid: number, maxBytes: number) {
  const tooLarge = () =>
    new ChannelError(`email attachment is over the ${Math.round(maxBytes / MB)} MB limit (EMAIL_MAX_ATTACHMENT_MB)`, {
      retryable: false,
      code: 'email_attachment_too_large',
    });
  return ({ partId, ...a }: MailAttachment): Attachment => {
    if (!partId || a.size > maxBytes) return a;
    const open = async (signal: AbortSignal): Promise<ByteStream> => {
      signal.throwIfAborted();
      const dl = await client.download(String(uid), partId, { uid: true }).catch((err: unknown) => {
        throw new ChannelError(`IMAP download of part ${partId} failed: ${(err as Error).message}`, {
          retryable: true,
          code: 'email_download',
          cause: err,
        });
      });
      if (!('content' in dl) || !dl.content)
        throw new ChannelError(`IMAP has no part ${partId} in UID ${uid}`, { retryable: false, code: 'email_part_missing' });
      const content = dl.content;
      signal.addEventListener('abort', () => content.destroy(signal.reason as Error), { once: true });
      return limitBytes(content as AsyncIterable<Uint8Array>, maxBytes, tooLarge);
    };
    return { ...a, open };
  };
}

async function downloadText(client: ImapFlow, uid: number, part: string): Promise<string> {
  const dl = await client.download(String(uid), part, { uid: true, maxBytes: MAX_TEXT_PART_BYTES });
  if (!('content' in dl) || !dl.content) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of dl.content) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function rawBodyOf(raw: Buffer): string {
  const text = raw.toString('utf8');
  const split = text.search(/\r?\n\r?\n/);
  return split === -1 ? text : text.slice(split).trim();
}
