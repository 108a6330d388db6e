import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../domain/errors.js';

/**
 * The one JSON error shape of the whole HTTP surface (agent API, web chat, webhooks):
 * `{ "error": { "code", "message" } }`, with the status that belongs to the error's class.
 */
export interface HttpError {
  status: number;
  code: string;
  message: string;
  /** Response headers that belong to the error (`Retry-After` on a 429). */
  headers?: Record<string, string>;
}

/** Status, code and message for any thrown value; unknown errors become a 500 that reveals nothing. */
export function classifyError(err: unknown): HttpError {
  const known = (status: number, e: AppError): HttpError => ({ status, code: e.code, message: e.message });
  if (err instanceof ValidationError) return known(400, err);
  if (err instanceof UnauthorizedError) return known(401, err);
  if (err instanceof ForbiddenError) return known(403, err);
  if (err instanceof NotFoundError) return known(404, err);
  if (err instanceof ConflictError) return known(409, err);
  if (err instanceof PayloadTooLargeError) return known(413, err);
  if (err instanceof RateLimitedError) {
    return { ...known(429, err), headers: { 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) } };
  }
  if (err instanceof UnavailableError) return known(503, err);
  if (err instanceof AppError) return known(500, err);
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** The JSON response for a thrown value, for fetch-style handlers that have no framework error hook. */
export function errorResponse(err: unknown): Response {
  const { status, code, message, headers } = classifyError(err);
  return jsonResponse(status, errorBody(code, message), headers);
}
