/**
 * Helpers for the file streams channel adapters hand to and take from the pipeline
 * (`ByteStream`): counted as they flow, never buffered whole.
 */
import type { ByteStream } from '../domain/channel.js';

/** Yields `source` unchanged and throws `tooLarge()` as soon as more than `maxBytes` went through. */
export async function* limitBytes(source: ByteStream, maxBytes: number, tooLarge: () => Error): ByteStream {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw tooLarge();
    yield chunk;
  }
}

/** A fetch response body as a ByteStream; a response without a body is an empty file. */
export async function* responseBytes(res: Response): ByteStream {
  if (!res.body) return;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (a limit, an abort) must not leave the connection half read.
    await reader.cancel().catch(() => undefined);
  }
}

/** Megabytes from a setting, as bytes. */
export const MB = 1024 * 1024;
