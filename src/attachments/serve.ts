import { Readable } from 'node:stream';
import { NotFoundError } from '../domain/errors.js';
import type { AttachmentRow } from '../store/ports.js';
import type { FileStore } from './file-store.js';
import { SAFE_IMAGES } from './sniff.js';

/**
 * A stored file as an HTTP answer, streamed from the store. Only raster images are shown inline;
 * everything else downloads. The type is the sniffed one, the browser is told not to guess
 * another (nosniff), and a sandbox CSP keeps even a mis-sniffed page from running anything.
 */
export async function fileResponse(files: FileStore, row: AttachmentRow, opts: { thumbnail?: boolean } = {}): Promise<Response> {
  const thumb = opts.thumbnail;
  const stream = thumb ? await files.thumbnail(row.sha256, row.mime) : await files.open(row.sha256);
  if (!stream) throw new NotFoundError(thumb ? `attachment ${row.id} has no thumbnail` : `attachment ${row.id}'s bytes are gone`);
  const inline = thumb || SAFE_IMAGES.has(row.mime);
  const headers: Record<string, string> = {
    'content-type': thumb ? 'image/webp' : row.mime,
    'content-disposition': disposition(inline ? 'inline' : 'attachment', thumb ? `${row.name}.webp` : row.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    // The bytes under an id never change; private, since they are one customer's.
    'cache-control': 'private, max-age=86400',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (!thumb) headers['content-length'] = String(row.size);
  return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
}

/** `attachment; filename="plain"; filename*=UTF-8''encoded`: the ASCII form for old clients, the exact name for the rest. */
export function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
