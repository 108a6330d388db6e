import { GrammyError, HttpError } from 'grammy';
import { ChannelError } from '../../src/domain/errors.js';

/**
 * Maps a failed Bot API call to the outbox's vocabulary: rate limits, server errors and
 * network failures are worth retrying; everything else Telegram refused (bot blocked, chat
 * not found, bad request) will be refused again, so it is permanent and shown to agents.
 */
export function toChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof GrammyError) {
    const what = `Telegram ${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 429) {
      const seconds = err.parameters.retry_after;
      return new ChannelError(what, {
        retryable: true,
        retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
        code: 'telegram_rate_limited',
        cause: err,
      });
    }
    if (err.error_code >= 500) return new ChannelError(what, { retryable: true, code: 'telegram_unavailable', cause: err });
    const code = err.error_code === 403 ? 'telegram_forbidden' : 'telegram_rejected';
    return new ChannelError(what, { retryable: false, code, cause: err });
  }
  if (err instanceof HttpError) {
    return new ChannelError(`Telegram unreachable: ${err.message}`, { retryable: true, code: 'telegram_unreachable', cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelError(`Telegram send failed: ${message}`, { retryable: true, code: 'telegram_unknown', cause: err });
}
