import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FileStore, FileTooLargeError, fileKey } from '../../src/attachments/file-store.js';
import { DiskBackend } from '../../src/attachments/disk-backend.js';
import { S3Backend } from '../../src/attachments/s3-backend.js';
import { startS3Fake, type S3Fake } from '../fakes/s3-api.js';
import { tempDir } from '../support/app.js';
import { generated, pdfBytes, pngBytes, streamOf } from './fixtures.js';

const MB = 1024 * 1024;

async function readAll(s: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((d) => d.isFile()).map((d) => d.name);
}

describe.each(['disk', 's3'] as const)('file store on %s', (kind) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let s3: S3Fake | undefined;
  let files: FileStore;
  const tmp = () => join(dir.path, 'tmp');
  const stored = async () => (kind === 'disk' ? filesUnder(join(dir.path, 'blobs')) : [...s3!.objects.keys()]);

  beforeAll(async () => {
    dir = await tempDir();
    if (kind === 's3') {
      s3 = await startS3Fake();
      const backend = new S3Backend({
        bucket: s3.bucket,
        endpoint: s3.url,
        region: 'us-east-1',
        accessKeyId: 'test',
        secretAccessKey: 'test',
        prefix: 'sb/',
      });
      files = new FileStore(backend, tmp());
    } else files = new FileStore(new DiskBackend(join(dir.path, 'blobs')), tmp());
  });
  afterAll(async () => {
    await s3?.stop();
    await dir.rm();
  });

  it('stores a file once under its SHA-256, whatever its name, with the type sniffed from the bytes', async () => {
    const png = await pngBytes();
    const sha = createHash('sha256').update(png).digest('hex');
    const first = await files.save(streamOf(png), { maxBytes: 10 * MB, name: 'holiday.pdf' });
    expect(first).toEqual({ sha256: sha, size: png.byteLength, mime: 'image/png' });
    const before = await stored();
    const again = await files.save(streamOf(png, 1000), { maxBytes: 10 * MB });
    expect(again).toEqual(first);
    expect(await stored()).toEqual(before);
    expect(await readAll((await files.open(sha))!)).toEqual(png);
    expect(await filesUnder(tmp())).toEqual([]);
  });

  it('tells a PDF, text and bytes of no known kind apart', async () => {
    expect((await files.save(streamOf(pdfBytes()), { maxBytes: MB })).mime).toBe('application/pdf');
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    expect((await files.save(streamOf(html), { maxBytes: MB, name: 'cat.png' })).mime).toBe('text/plain');
    expect((await files.save(streamOf(Buffer.from([0, 1, 2, 3, 0, 9])), { maxBytes: MB })).mime).toBe('application/octet-stream');
  });

  it('cuts a stream past the limit mid-way and leaves nothing behind', async () => {
    const before = await stored();
    const source = generated(50 * MB);
    await expect(files.save(source, { maxBytes: 2 * MB, name: 'big.bin' })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(source.read).toBeLessThan(3 * MB);
    expect(await stored()).toEqual(before);
    expect(await filesUnder(tmp())).toEqual([]);
  });

  it('makes a WebP thumbnail once and keeps it; none for a PDF', async () => {
    const png = await pngBytes(1200, 800);
    const { sha256 } = await files.save(streamOf(png), { maxBytes: 10 * MB });
    const thumb = await readAll((await files.thumbnail(sha256, 'image/png'))!);
    expect(thumb.subarray(8, 12).toString('latin1')).toBe('WEBP');
    const count = (await stored()).length;
    expect(await readAll((await files.thumbnail(sha256, 'image/png'))!)).toEqual(thumb);
    expect((await stored()).length).toBe(count);
    const pdf = await files.save(streamOf(pdfBytes()), { maxBytes: MB });
    expect(await files.thumbnail(pdf.sha256, pdf.mime)).toBeUndefined();
  });

  it('deletes the bytes and the thumbnail', async () => {
    const png = await pngBytes(300, 300);
    const { sha256 } = await files.save(streamOf(png), { maxBytes: 10 * MB });
    await files.thumbnail(sha256, 'image/png');
    await files.delete(sha256);
    expect(await files.open(sha256)).toBeUndefined();
    expect((await stored()).some((k) => k.includes(sha256))).toBe(false);
  });

  if (kind === 's3')
    it('sends a large file as a multipart upload and completes it', async () => {
      const source = generated(12 * MB, pdfBytes(1024));
      const out = await files.save(source, { maxBytes: 20 * MB });
      expect(out.size).toBe(12 * MB);
      expect(s3!.requests.filter((r) => r.method === 'PUT' && r.query.includes('partNumber')).length).toBeGreaterThanOrEqual(3);
      expect(s3!.openUploads()).toBe(0);
      expect(s3!.objects.get('sb/' + fileKey(out.sha256))?.body.byteLength).toBe(12 * MB);
    });
});
