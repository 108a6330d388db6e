import type { ByteStream } from '../domain/channel.js';
import { newId } from '../domain/ids.js';
import { PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { AttachmentRow } from '../store/ports.js';
import { FileTooLargeError, formatBytes, type FileStore } from './file-store.js';
import { cleanName } from './inbound.js';
import { DAY_MS, type AttachmentPolicy } from './policy.js';

/** An upload that is not linked to a message yet, as its uploader sees it. */
export interface UploadView {
  id: string;
  name: string;
  mime: string;
  size: number;
}

/**
 * Stores a request body as an unlinked upload of `owner` (`agent:<id>`, `webchat:<session>`).
 * The body is the file's bytes (its name in `?name=`), streamed into the store: refused by its
 * Content-Length before reading, and cut as soon as it grows past the limit (the single-file
 * limit, or what is left of the daily allowance when one applies).
 */
export async function storeUpload(
  deps: { store: Store; files: FileStore; policy: AttachmentPolicy; now: () => number },
  req: Request,
  who: { owner: string; customerId?: string | null; daily: boolean },
): Promise<UploadView> {
  const name = new URL(req.url).searchParams.get('name');
  if (!name?.trim()) throw new ValidationError('name: give the file name as ?name=', 'name');
  const { policy } = deps;
  const now = deps.now();
  let max = policy.maxBytes;
  let daily = false;
  if (who.daily) {
    const used = await deps.store.read(async (r) => {
      const own = await r.attachments.bytesSince({ owner: who.owner }, now - DAY_MS);
      return who.customerId ? Math.max(own, await r.attachments.bytesSince({ customerId: who.customerId }, now - DAY_MS)) : own;
    });
    if (policy.dailyBytes - used < max) {
      max = Math.max(0, policy.dailyBytes - used);
      daily = true;
    }
  }
  const clean = cleanName(name);
  const tooLarge = () =>
    daily
      ? new PayloadTooLargeError(
          `${clean}: larger than what is left of today's allowance (${formatBytes(max)} of ${formatBytes(policy.dailyBytes)})`,
        )
      : new FileTooLargeError(max, clean);
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (declared > max || max === 0) throw tooLarge();
  if (!req.body) throw new ValidationError('body: send the file as the request body', 'body');
  let bytes;
  try {
    bytes = await deps.files.save(webStream(req.body), { maxBytes: max, name: clean, signal: req.signal });
  } catch (err) {
    if (err instanceof FileTooLargeError) throw tooLarge();
    throw err;
  }
  if (bytes.size === 0) throw new ValidationError('body: the file is empty', 'body');
  const row: AttachmentRow = {
    id: newId(now),
    messageId: null,
    customerId: who.customerId ?? null,
    owner: who.owner,
    sha256: bytes.sha256,
    size: bytes.size,
    mime: bytes.mime,
    name: clean,
    inline: 0,
    createdAt: now,
  };
  await deps.store.tx((r) => r.attachments.insert(row));
  return { id: row.id, name: row.name, mime: row.mime, size: row.size };
}

/** A web ReadableStream read chunk by chunk; left unread past a refusal (the HTTP server drains and closes it). */
function webStream(body: ReadableStream<Uint8Array>): ByteStream {
  return {
    async *[Symbol.asyncIterator]() {
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}
