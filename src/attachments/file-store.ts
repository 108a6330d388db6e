import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import type { ByteStream } from '../domain/channel.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import type { BlobBackend } from './backend.js';
import { SAFE_IMAGES, SNIFF_BYTES, sniffMime } from './sniff.js';

/** What storing a file found: its name in the store and what it really is. */
export interface StoredBytes {
  sha256: string;
  size: number;
  mime: string;
}

/** A file larger than allowed: the stream was cut there and nothing was kept. */
export class FileTooLargeError extends PayloadTooLargeError {
  constructor(
    readonly maxBytes: number,
    name?: string,
  ) {
    super(`${name ? `${name}: ` : ''}larger than ${formatBytes(maxBytes)}`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Longest side of a thumbnail, in pixels. */
const THUMB_PX = 320;

/**
 * Content-addressed file bytes. A file is streamed to a temp file while it is hashed, counted and
 * its first bytes sniffed; past `maxBytes` the stream is abandoned and the temp file removed.
 * Finished, it is stored under its SHA-256 unless those bytes are already there, so a re-delivered
 * message or the same picture sent twice is stored once. Rows (src/store/attachments-repo.ts) name
 * the bytes; the bytes are deleted when no row names them any more.
 */
export class FileStore {
  constructor(
    readonly backend: BlobBackend,
    /** A local directory for temp files (on the disk backend's file system, so a rename moves them in). */
    private readonly tempDir: string,
  ) {}

  async save(source: ByteStream, opts: { maxBytes: number; name?: string; signal?: AbortSignal }): Promise<StoredBytes> {
    await mkdir(this.tempDir, { recursive: true });
    const temp = join(this.tempDir, `${randomBytes(12).toString('hex')}.part`);
    const out = createWriteStream(temp, { flags: 'wx' });
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    try {
      for await (const chunk of source) {
        opts.signal?.throwIfAborted();
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw new FileTooLargeError(opts.maxBytes, opts.name);
        hash.update(chunk);
        if (headBytes < SNIFF_BYTES) {
          const part = Buffer.from(chunk.subarray(0, SNIFF_BYTES - headBytes));
          head.push(part);
          headBytes += part.byteLength;
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');
      const stored: StoredBytes = { sha256: hash.digest('hex'), size, mime: await sniffMime(Buffer.concat(head)) };
      const key = fileKey(stored.sha256);
      if (!(await this.backend.has(key))) await this.backend.putFile(key, temp, stored.mime);
      return stored;
    } finally {
      out.destroy();
      // Renamed away when stored on disk; otherwise (a refusal, an error, S3, bytes already there) removed.
      await rm(temp, { force: true });
      // A source that was cut short is closed, so its connection or file is let go.
      await closeSource(source);
    }
  }

  open(sha256: string): Promise<Readable | undefined> {
    return this.backend.open(fileKey(sha256));
  }

  /** A WebP thumbnail of a raster image, made on first use and kept; undefined for anything else. */
  async thumbnail(sha256: string, mime: string): Promise<Readable | undefined> {
    if (!SAFE_IMAGES.has(mime)) return undefined;
    const key = thumbKey(sha256);
    const kept = await this.backend.open(key);
    if (kept) return kept;
    const original = await this.open(sha256);
    if (!original) return undefined;
    // Imported on the first thumbnail: libvips is about 25 MB of RSS a process that never makes one need not carry.
    const { default: sharp } = await import('sharp');
    const resize = sharp({ failOn: 'error', animated: false })
      .rotate()
      .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 });
    original.pipe(resize);
    const bytes = await resize.toBuffer();
    await this.backend.putBuffer(key, bytes, 'image/webp');
    return this.backend.open(key);
  }

  /** Removes the bytes (and thumbnail) of a file no row refers to any more. */
  async delete(sha256: string): Promise<void> {
    await this.backend.delete(fileKey(sha256));
    await this.backend.delete(thumbKey(sha256));
  }
}

/** Two levels of directories, so no one directory holds every file. */
export function fileKey(sha256: string): string {
  return `files/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function thumbKey(sha256: string): string {
  return `thumbs/${sha256.slice(0, 2)}/${sha256}.webp`;
}

async function closeSource(source: ByteStream): Promise<void> {
  const s = source as { destroy?: () => void };
  if (typeof s.destroy === 'function') s.destroy();
}
