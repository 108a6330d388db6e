/** Small real files for attachment tests, with the helpers to compare what came out with what went in. */
import { createHash, randomBytes } from 'node:crypto';
import type { ByteStream, OutboundAttachment } from '../../src/domain/channel.js';

/** A 1×1 PNG followed by random bytes (so two samples never hash alike); image viewers ignore the trailer. */
export function samplePng(extra = 2048): Buffer {
  const pixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  return Buffer.concat([pixel, randomBytes(extra)]);
}

/** A minimal one-page PDF with random bytes in a comment. */
export function samplePdf(extra = 4096): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%'),
    randomBytes(extra),
    Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  ]);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readAll(stream: ByteStream): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A stored file as the pipeline hands it to `send`; `opened` counts the streams read. */
export function outboundFile(name: string, mime: string, content: Buffer): OutboundAttachment & { opened: number } {
  const file = {
    id: `att-${name}`,
    name,
    mime,
    size: content.length,
    opened: 0,
    async open(): Promise<ByteStream> {
      file.opened++;
      // Several chunks, as a file store streams them.
      return (async function* () {
        for (let i = 0; i < content.length; i += 1000) yield content.subarray(i, i + 1000);
      })();
    },
  };
  return file;
}

/** Claims a size it does not have: a file too large to send, without making one. */
export function hugeFile(name: string, mime: string, size: number): OutboundAttachment & { opened: number } {
  const file = outboundFile(name, mime, Buffer.from('x'));
  file.size = size;
  return file;
}
