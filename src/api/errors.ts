import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { classifyError, errorBody } from '../kit/http-errors.js';
import type { Logger } from '../log.js';

/** Hono's error hook over the shared mapping (src/kit/http-errors.ts), plus Hono's own HTTPException. */
export function errorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    const { status, code, message, headers } =
      err instanceof HTTPException ? { status: err.status, code: 'http_error', message: err.message, headers: {} } : classifyError(err);
    if (status >= 500) log.error('request failed', { method: c.req.method, path: c.req.path, err });
    return c.json(errorBody(code, message), status as ContentfulStatusCode, headers);
  };
}
