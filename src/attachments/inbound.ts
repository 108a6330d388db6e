import type { Attachment, InboundMessage } from '../domain/channel.js';
import { newId } from '../domain/ids.js';
import type { Repos } from '../store/ports.js';
import type { FileStore, StoredBytes } from './file-store.js';
import { FileTooLargeError } from './file-store.js';
import { DAY_MS, type AttachmentPolicy } from './policy.js';
import type { Refusal } from './refusal.js';

/** The file store and its limits, as the pipeline uses them. */
export interface InboundFiles {
  store: FileStore;
  policy: AttachmentPolicy;
}

/** One attachment of an inbound message after its download: stored, already uploaded, only named, or refused. */
export type Fetched =
  | { kind: 'stored'; a: Attachment; bytes: StoredBytes }
  | { kind: 'upload'; a: Attachment; attachmentId: string }
  | { kind: 'named'; a: Attachment }
  | { kind: 'refused'; a: Attachment; why: Refusal };

/** What a message's meta says of one of its files (the row id when kept, the reason when not). */
export interface AttachmentMeta {
  id?: string;
  name: string;
  mime: string;
  size: number;
  inline?: boolean;
  refused?: Refusal['code'];
}

const MAX_NAME = 200;

/** What the sender may still upload today (their first message: the whole allowance). */
export async function dailyBytesLeft(
  policy: InboundFiles['policy'],
  r: Pick<Repos, 'attachments' | 'customers'>,
  m: InboundMessage,
  now: number,
): Promise<number> {
  const identity = await r.customers.findIdentity(m.channel, m.sender.channelUserId);
  return identity
    ? policy.dailyBytes - (await r.attachments.bytesSince({ customerId: identity.customerId }, now - DAY_MS))
    : policy.dailyBytes;
}

/**
 * Downloads the files of a message into the store, before its transaction and outside any read
 * (dailyBytesLeft is read first): a slow CDN never holds a database lock, nor a read connection
 * that the API and event streams wait for. Past the per-message count, the size limit or the
 * customer's daily allowance `left` a file is not kept (the download is cut there) and the
 * refusal is returned, so the customer can be told which file and why.
 */
export async function fetchInbound(files: InboundFiles, left: number, m: InboundMessage) {
  const { policy } = files;
  const out: Fetched[] = [];
  let counted = 0;
  for (const raw of m.attachments) {
    const a = { ...raw, name: cleanName(raw.name) };
    if (!a.open && !a.attachmentId) {
      out.push({ kind: 'named', a });
      continue;
    }
    if (++counted > policy.perMessage) {
      out.push({ kind: 'refused', a, why: { code: 'too_many', limit: policy.perMessage } });
      continue;
    }
    if (a.attachmentId) {
      out.push({ kind: 'upload', a, attachmentId: a.attachmentId });
      continue;
    }
    if (a.size > policy.maxBytes) {
      out.push({ kind: 'refused', a, why: { code: 'too_large', limit: policy.maxBytes } });
      continue;
    }
    if (left <= 0 || a.size > left) {
      out.push({ kind: 'refused', a, why: { code: 'daily', limit: policy.dailyBytes } });
      continue;
    }
    const max = Math.min(policy.maxBytes, left);
    const signal = AbortSignal.timeout(policy.downloadTimeoutMs);
    try {
      const bytes = await files.store.save(await a.open!(signal), { maxBytes: max, name: a.name, signal });
      left -= bytes.size;
      out.push({ kind: 'stored', a, bytes });
    } catch (err) {
      if (err instanceof FileTooLargeError)
        out.push({
          kind: 'refused',
          a,
          why: max < policy.maxBytes ? { code: 'daily', limit: policy.dailyBytes } : { code: 'too_large', limit: policy.maxBytes },
        });
      else out.push({ kind: 'refused', a, why: { code: 'unreadable' } });
    }
  }
  return out;
}

/**
 * Inside the ingest transaction, once the message is stored: one attachments row per kept file,
 * uploads (web chat) linked when this session made them. Returns the meta to keep on the message
 * and the refusals (an upload that is not this sender's is one).
 */
export async function linkInbound(
  r: Repos,
  fetched: Fetched[],
  at: { messageId: string; customerId: string; owner: string; now: number },
): Promise<{ meta: AttachmentMeta[]; refused: { name: string; why: Refusal }[] }> {
  const meta: AttachmentMeta[] = [];
  const refused: { name: string; why: Refusal }[] = [];
  for (const f of fetched) {
    const base = { name: f.a.name, mime: f.a.mime, size: f.a.size, ...(f.a.inline ? { inline: true } : {}) };
    if (f.kind === 'stored') {
      const id = newId(at.now);
      await r.attachments.insert({
        id,
        messageId: at.messageId,
        customerId: at.customerId,
        owner: null,
        sha256: f.bytes.sha256,
        size: f.bytes.size,
        mime: f.bytes.mime,
        name: f.a.name,
        inline: f.a.inline ? 1 : 0,
        createdAt: at.now,
      });
      meta.push({ ...base, id, mime: f.bytes.mime, size: f.bytes.size });
    } else if (f.kind === 'upload') {
      const row = await r.attachments.get(f.attachmentId);
      if (!row || row.owner !== at.owner || row.messageId !== null) {
        refused.push({ name: f.a.name, why: { code: 'unknown' } });
        meta.push({ ...base, refused: 'unknown' });
        continue;
      }
      await r.attachments.link([row.id], at.messageId, at.customerId);
      meta.push({ id: row.id, name: row.name, mime: row.mime, size: row.size });
    } else if (f.kind === 'refused') {
      refused.push({ name: f.a.name, why: f.why });
      meta.push({ ...base, refused: f.why.code });
    } else meta.push(base);
  }
  return { meta, refused };
}

/** After a transaction that did not keep the message (a duplicate, an error): bytes no row names are removed. */
export async function dropUnreferenced(files: InboundFiles, r: Pick<Repos, 'attachments'>, fetched: Fetched[]): Promise<void> {
  for (const f of fetched)
    if (f.kind === 'stored' && !(await r.attachments.referenced(f.bytes.sha256))) await files.store.delete(f.bytes.sha256);
}

/** A name safe to show and to send back in Content-Disposition: no path, no control characters, not too long. */
export function cleanName(name: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || 'file').slice(0, MAX_NAME);
}

/** True when the message carries bytes to download or an upload to link, so ingest must look at files at all. */
export function hasFiles(m: InboundMessage): boolean {
  return m.attachments.some((a) => a.open || a.attachmentId);
}
