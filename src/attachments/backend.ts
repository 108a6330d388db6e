import type { Readable } from 'node:stream';

/** Where stored files' bytes live: a directory on disk or an S3-compatible bucket. Keys are the file store's. */
export interface BlobBackend {
  readonly kind: 'disk' | 's3';
  has(key: string): Promise<boolean>;
  /** Stores a finished file from a local path (disk: renamed into place; S3: streamed up in parts). */
  putFile(key: string, path: string, mime: string): Promise<void>;
  putBuffer(key: string, bytes: Buffer, mime: string): Promise<void>;
  /** The bytes as a stream; undefined when nothing is stored under the key. */
  open(key: string): Promise<Readable | undefined>;
  /** Nothing stored under the key is not an error. */
  delete(key: string): Promise<void>;
}
