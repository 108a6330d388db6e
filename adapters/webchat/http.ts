import type { AdapterRoute } from '../../src/domain/channel.js';
import { AppError, PayloadTooLargeError, ValidationError } from '../../src/domain/errors.js';
import { errorResponse } from '../../src/kit/http-errors.js';

/** Small fetch-style helpers so the web chat needs no web framework. */

/**
 * A route whose handler may throw the domain's errors; they become the shared JSON error shape.
 * Anything else goes on to the app's error hook, which logs it and answers 500.
 */
export function route(method: AdapterRoute['method'], path: string, handle: AdapterRoute['handle']): AdapterRoute {
  return {
    method,
    path,
    async handle(req, params, client) {
      try {
        return await handle(req, params, client);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return errorResponse(err);
      }
    },
  };
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.get('authorization');
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m?.[1]?.trim();
}

/** Reads a JSON object body, refusing anything larger than `maxBytes` before parsing it. */
export async function readJsonObject(req: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const raw = await req.arrayBuffer();
  if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(`body exceeds ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new ValidationError('body is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('body must be a JSON object');
  return value as Record<string, unknown>;
}
