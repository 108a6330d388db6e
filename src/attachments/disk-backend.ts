import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobBackend } from './backend.js';

/** Files under DATA_DIR/attachments; a finished temp file in the same directory tree is renamed into place, so a reader never sees half a file. */
export class DiskBackend implements BlobBackend {
  readonly kind = 'disk' as const;

  constructor(readonly root: string) {}

  private path(key: string): string {
    return join(this.root, key);
  }

  async has(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  async putFile(key: string, path: string): Promise<void> {
    await mkdir(dirname(this.path(key)), { recursive: true });
    await rename(path, this.path(key));
  }

  async putBuffer(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, target);
  }

  async open(key: string): Promise<Readable | undefined> {
    if (!(await this.has(key))) return undefined;
    return createReadStream(this.path(key), { highWaterMark: 64 * 1024 });
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
