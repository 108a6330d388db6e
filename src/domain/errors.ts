/** Typed errors; each maps to one HTTP status in one place (src/kit/http-errors.ts). */

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('validation_error', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid credentials') {
    super('unauthorized', message);
  }
}

/** A failed send. `retryable` failures go back to the outbox with backoff; permanent ones are shown to agents. */
export class ChannelError extends AppError {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(message: string, opts: { retryable: boolean; retryAfterMs?: number; code?: string; cause?: unknown }) {
    super(opts.code ?? (opts.retryable ? 'channel_retryable' : 'channel_permanent'), message);
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    if (opts.cause !== undefined) this.cause = opts.cause;
  }
}

/** A request body or field larger than allowed. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

/** A part that is not running (yet); the client may retry. */
export class UnavailableError extends AppError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** Too many requests for one key (an IP, a session, a token); the client may retry after `retryAfterMs`. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('rate_limited', message);
  }
}
