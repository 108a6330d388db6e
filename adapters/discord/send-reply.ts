import { createHash } from 'node:crypto';
import { Routes, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { toChannelError } from './send-error.js';
import { splitText } from '../../src/domain/split-text.js';

/** Discord rejects message content longer than this many characters (UTF-16 code units). */
export const DISCORD_TEXT_LIMIT = 2000;

const SNOWFLAKE = /^\d{1,20}$/;

/**
 * Sends one outbox message as one or more Discord messages and returns the first one's id.
 * Parts already delivered are remembered under the outbox id, so a retry after a failure in
 * the middle continues where it stopped; each part also carries a nonce Discord enforces, so a
 * part resent within Discord's nonce window (a few minutes) is not posted twice.
 */
export function createReplySender(deps: { rest: REST; state: ChannelStateStore }) {
  const { rest, state } = deps;
  return async (m: OutboundMessage): Promise<{ externalId: string }> => {
    const chunks = splitText(m.text, DISCORD_TEXT_LIMIT);
    if (chunks.length === 0) throw new ChannelError('reply is empty', { retryable: false, code: 'discord_empty_reply' });
    if (!SNOWFLAKE.test(m.threadKey)) throw new ChannelError(`not a Discord channel id: ${m.threadKey}`, { retryable: false, code: 'discord_bad_channel' });
    const target = m.replyTo && SNOWFLAKE.test(m.replyTo.externalMessageId) ? m.replyTo.externalMessageId : undefined;
    const progressKey = `discord:send-progress:${m.outboxId}`;
    const progress = chunks.length > 1 ? parseProgress(await state.get(progressKey)) : { sent: 0 };
    let first = progress.first;
    for (let i = progress.sent; i < chunks.length; i++) {
      const body: RESTPostAPIChannelMessageJSONBody = {
        content: chunks[i]!,
        // Reply text may quote what a customer wrote; it must never ping @everyone, a role or
        // another user. Only the customer being answered is notified, through the reply.
        allowed_mentions: { parse: [], replied_user: true },
        nonce: nonceFor(m.outboxId, i),
        enforce_nonce: true,
        ...(i === 0 && target ? { message_reference: { message_id: target, fail_if_not_exists: false } } : {}),
      };
      const sent = (await rest.post(Routes.channelMessages(m.threadKey), { body }).catch((err: unknown) => {
        throw toChannelError(err);
      })) as APIMessage;
      first ??= sent.id;
      if (chunks.length > 1) await state.set(progressKey, JSON.stringify({ sent: i + 1, first }));
    }
    return { externalId: first! };
  };
}

/** Discord nonces are at most 25 characters; the outbox id and part number fix one per part. */
function nonceFor(outboxId: string, part: number): string {
  return createHash('sha256').update(`${outboxId}:${part}`).digest('base64url').slice(0, 25);
}

function parseProgress(saved: string | undefined): { sent: number; first?: string } {
  return saved ? (JSON.parse(saved) as { sent: number; first?: string }) : { sent: 0 };
}
