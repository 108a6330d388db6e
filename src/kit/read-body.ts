import { PayloadTooLargeError, ValidationError } from '../domain/errors.js';

/** Deeper JSON than this is refused before parsing: no body we accept nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads a request body of at most `maxBytes`: refused by its Content-Length before reading,
 * and while streaming as soon as it grows past the cap, so an oversized body is never held.
 * What is left unread is discarded by the HTTP server (@hono/node-server drains it briefly after
 * the response, then closes the connection).
 */
export async function readBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Not cancelled: cancelling destroys the socket before the 413 could be sent.
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as UTF-8 text; invalid UTF-8 is a 400, never replaced. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ValidationError('body is not valid UTF-8');
  }
}

/** Parses JSON text nested at most `maxDepth` deep (checked before parsing). */
export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text) > maxDepth) throw new ValidationError(`body is nested deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('body is not valid JSON');
  }
}

/** Reads, decodes and parses a JSON body under the size and depth caps; an empty body is `empty`. */
export async function readJson(req: Request, maxBytes: number, empty?: unknown): Promise<unknown> {
  const text = decodeUtf8(await readBody(req, maxBytes));
  if (text.trim() === '' && empty !== undefined) return empty;
  return parseJson(text);
}

/** The deepest nesting of arrays and objects, skipping string contents; one pass, no allocation. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) max = Math.max(max, ++depth);
    else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`body exceeds ${maxBytes} bytes`);
}
