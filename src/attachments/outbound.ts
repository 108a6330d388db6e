import type { AttachmentLimits, ByteStream, OutboundAttachment, OutboundMessage } from '../domain/channel.js';
import { ChannelError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import type { AttachmentRow, Repos } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { formatBytes, type FileStore } from './file-store.js';

/** What a reply's files may be: the deployment's count limit and each channel's own (ChannelAdapter.attachmentLimits). */
export interface OutboundFilePolicy {
  perMessage: number;
  limits: (channel: string) => AttachmentLimits | undefined;
}

/**
 * The agent's uploads to send with a reply, checked before anything is written: each is theirs
 * and not sent yet, and the channel can carry them (count and size), so the agent gets a clear
 * 400/413 naming the file and the limit rather than a failed send later.
 */
export async function uploadsForReply(
  r: Repos,
  ids: string[],
  o: { owner: string; channel: string; policy: OutboundFilePolicy },
): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  if (new Set(ids).size !== ids.length) throw new ValidationError('attachments: the same file is listed twice', 'attachments');
  if (ids.length > o.policy.perMessage)
    throw new ValidationError(`attachments: at most ${o.policy.perMessage} files per message`, 'attachments');
  const limits = o.policy.limits(o.channel);
  if (!limits) throw new ValidationError(`attachments: the ${o.channel} channel cannot send files`, 'attachments');
  if (ids.length > limits.maxCount)
    throw new ValidationError(`attachments: ${o.channel} takes at most ${limits.maxCount} files per message`, 'attachments');
  const rows = new Map((await r.attachments.byIds(ids)).map((a) => [a.id, a]));
  return ids.map((id) => {
    const row = rows.get(id);
    if (!row || row.owner !== o.owner) throw new ValidationError(`attachments: ${id} is not one of your uploads`, 'attachments');
    if (row.messageId) throw new ValidationError(`attachments: "${row.name}" was sent already; upload it again`, 'attachments');
    if (row.size > limits.maxBytes)
      throw new PayloadTooLargeError(
        `attachments: "${row.name}" is ${formatBytes(row.size)}; ${o.channel} takes files up to ${formatBytes(limits.maxBytes)}`,
      );
    return row;
  });
}

/** The outbox payload's files, as stored: no way to open them until the worker gives them one. */
export type PayloadAttachment = Omit<OutboundAttachment, 'open'>;

export function payloadAttachments(rows: AttachmentRow[]): PayloadAttachment[] {
  return rows.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size }));
}

/**
 * Gives an outbox message's files their `open()`, reading the store afresh on each call so a
 * retried send streams them again. A file erased meanwhile fails the send for good.
 */
export async function withOpeners(store: Store, files: FileStore | undefined, m: OutboundMessage): Promise<OutboundMessage> {
  const listed = m.attachments as PayloadAttachment[] | undefined;
  if (!listed?.length) return m;
  if (!files) throw new ChannelError('files cannot be sent: no file store', { retryable: false, code: 'no_file_store' });
  const rows = new Map((await store.read((r) => r.attachments.byIds(listed.map((a) => a.id)))).map((a) => [a.id, a]));
  const attachments = listed.map((a): OutboundAttachment => {
    const row = rows.get(a.id);
    if (!row) throw new ChannelError(`file "${a.name}" is no longer stored`, { retryable: false, code: 'attachment_gone' });
    return {
      ...a,
      async open(): Promise<ByteStream> {
        const s = await files.open(row.sha256);
        if (!s) throw new ChannelError(`file "${a.name}" is no longer stored`, { retryable: false, code: 'attachment_gone' });
        return s;
      },
    };
  });
  return { ...m, attachments };
}
