/**
 * Reads one message by UID from the selected mailbox and normalizes it. A message over the size
 * limit is not downloaded whole: its headers, text part and attachment list are enough for a reply.
 */
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import type { Attachment, InboundMessage } from '../../src/domain/channel.js';
import { formatBytes } from './body-text.js';
import { parseEmail } from './parse.js';
import { toInbound, type MailboxPosition } from './to-inbound.js';

const MAX_TEXT_PART_BYTES = 1024 * 1024;

export async function fetchMessage(
  client: ImapFlow,
  uid: number,
  position: Omit<MailboxPosition, 'uid' | 'internalDate'>,
  opts: { maxMessageBytes: number; ownAddress: string },
): Promise<InboundMessage | undefined> {
  const { maxMessageBytes, ownAddress } = opts;
  const meta = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
  if (!meta) return undefined;
  const where = { ...position, uid, internalDate: meta.internalDate ? new Date(meta.internalDate) : undefined };

  if ((meta.size ?? 0) <= maxMessageBytes) {
    const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!full || !full.source) return undefined;
    const raw = full.source;
    return toInbound(await parseEmail(raw), where, { raw, rawBody: () => rawBodyOf(raw) }, ownAddress);
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
  parsed.attachments = parts.filter((p) => p !== textPart && !p.type.startsWith('multipart/')).map(toAttachment);
  parsed.problems.push(
    `the email is ${formatBytes(meta.size ?? 0)}, over the ${formatBytes(maxMessageBytes)} limit: attachments were listed, not downloaded`,
  );
  return toInbound(parsed, where, { raw: head.headers }, ownAddress);
}

function flatten(node: MessageStructureObject): MessageStructureObject[] {
  return node.childNodes?.length ? node.childNodes.flatMap(flatten) : [node];
}

function toAttachment(p: MessageStructureObject): Attachment {
  const name = p.dispositionParameters?.filename ?? p.parameters?.name ?? 'unnamed';
  // BODYSTRUCTURE gives the encoded size; base64 carries 3 bytes in every 4.
  const size = p.encoding?.toLowerCase() === 'base64' ? Math.floor(((p.size ?? 0) * 3) / 4) : (p.size ?? 0);
  return { name, mime: p.type, size };
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
