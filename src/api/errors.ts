import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../domain/errors.js';
import type { Logger } from '../log.js';

/** The one place errors become HTTP: `{ error: { code, message } }` with the matching status. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    const [status, code, message] = classify(err);
    if (status >= 500) log.error('request failed', { method: c.req.method, path: c.req.path, err });
    return c.json({ error: { code, message } }, status);
  };
}

function classify(err: Error): [ContentfulStatusCode, string, string] {
  if (err instanceof ValidationError) return [400, err.code, err.message];
  if (err instanceof UnauthorizedError) return [401, err.code, err.message];
  if (err instanceof ForbiddenError) return [403, err.code, err.message];
  if (err instanceof NotFoundError) return [404, err.code, err.message];
  if (err instanceof ConflictError) return [409, err.code, err.message];
  if (err instanceof HTTPException) return [err.status as ContentfulStatusCode, 'http_error', err.message];
  if (err instanceof AppError) return [500, err.code, err.message];
  return [500, 'internal_error', 'internal error'];
}
