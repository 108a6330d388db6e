import type { AdapterRoute } from '../../src/domain/channel.js';
import { AppError, ValidationError } from '../../src/domain/errors.js';
import { errorResponse } from '../../src/kit/http-errors.js';
import { readJson } from '../../src/kit/read-body.js';

/** Small fetch-style helpers so the web chat needs no web framework. */

/**
 * A route whose handler may throw the domain's errors; they become the shared JSON error shape.
 * Anything else goes on to the app's error hook, which logs it and answers 500.
 */
export function route(method: AdapterRoute['method'], path: string, handle: AdapterRoute['handle']): AdapterRoute {
  return {
    method,
    path,
    async handle(req, params, info) {
      try {
        return await handle(req, params, info);
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

/** Reads a JSON object body of at most `maxBytes` (refused while streaming, never held whole). */
export async function readJsonObject(req: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const value = await readJson(req, maxBytes);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('body must be a JSON object');
  return value as Record<string, unknown>;
}
