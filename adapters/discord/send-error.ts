import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { ChannelError } from '../../src/domain/errors.js';

/**
 * Maps a failed REST call to the outbox's vocabulary: rate limits, server errors and network
 * failures are worth retrying; everything else Discord refused (50007 the user does not accept
 * messages from the bot, 10003 unknown channel, 50013 missing permissions) will be refused
 * again, so it is permanent and shown to agents.
 */
export function toChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof RateLimitError) {
    return new ChannelError(`Discord rate limit on ${err.method.toUpperCase()} ${err.route}: retry after ${err.retryAfter} ms`, {
      retryable: true,
      retryAfterMs: err.retryAfter,
      code: 'discord_rate_limited',
      cause: err,
    });
  }
  if (err instanceof DiscordAPIError) {
    const what = `Discord ${err.method.toUpperCase()} ${new URL(err.url).pathname}: ${err.status} ${err.code} ${err.message}`;
    if (err.status === 429 || err.status >= 500)
      return new ChannelError(what, { retryable: true, code: 'discord_unavailable', cause: err });
    const code = err.status === 403 ? 'discord_forbidden' : 'discord_rejected';
    return new ChannelError(what, { retryable: false, code, cause: err });
  }
  if (err instanceof HTTPError) {
    const what = `Discord ${err.method.toUpperCase()} ${new URL(err.url).pathname}: ${err.status} ${err.message}`;
    return new ChannelError(what, { retryable: err.status >= 500 || err.status === 429, code: 'discord_unavailable', cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelError(`Discord unreachable: ${message}`, { retryable: true, code: 'discord_unreachable', cause: err });
}
