import { GrammyError, type Api } from 'grammy';
import type { OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { LatestMessages } from './latest-messages.js';
import { externalMessageId } from './normalize.js';
import { markdownToTelegramHtml } from './render-html.js';
import { toChannelError } from './send-error.js';
import { splitText } from '../../src/domain/split-text.js';

/** Telegram rejects texts longer than this many UTF-16 code units ("message is too long"). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Sends one outbox message as one or more Telegram messages and returns the first one's id.
 * Parts already delivered are remembered under the outbox id, so a retry after a failure
 * in the middle continues where it stopped instead of repeating them.
 */
export function createReplySender(deps: { api: Api; state: ChannelStateStore; latest: LatestMessages }) {
  const { api, state, latest } = deps;
  return async (m: OutboundMessage): Promise<{ externalId: string }> => {
    const chunks = splitText(m.text, TELEGRAM_TEXT_LIMIT);
    if (chunks.length === 0) throw new ChannelError('reply is empty', { retryable: false, code: 'telegram_empty_reply' });
    const chatId = /^-?\d+$/.test(m.threadKey) ? Number(m.threadKey) : m.threadKey;
    const target = replyTarget(m);
    const quote = target !== undefined && latest.shouldQuote(m.threadKey, target) ? { reply_parameters: { message_id: target, allow_sending_without_reply: true } } : {};
    const progressKey = `telegram:send-progress:${m.outboxId}`;
    const progress = chunks.length > 1 ? parseProgress(await state.get(progressKey)) : { sent: 0 };
    let first = progress.first;
    for (let i = progress.sent; i < chunks.length; i++) {
      const options = i === 0 ? quote : {};
      const sent = await api
        .sendMessage(chatId, markdownToTelegramHtml(chunks[i]!), { parse_mode: 'HTML', ...options })
        .catch((err: unknown) => {
          // Should Telegram still refuse the markup, the words matter more than the bold.
          if (err instanceof GrammyError && /can't parse entities/i.test(err.description)) return api.sendMessage(chatId, chunks[i]!, options);
          throw err;
        })
        .catch((err: unknown) => {
          throw toChannelError(err);
        });
      latest.note(m.threadKey, sent.message_id);
      first ??= externalMessageId(chatId, sent.message_id);
      if (chunks.length > 1) await state.set(progressKey, JSON.stringify({ sent: i + 1, first }));
    }
    return { externalId: first! };
  };
}

/** The customer's message to quote, when it is in the same chat (`chatId:messageId[:edited:…]`). */
function replyTarget(m: OutboundMessage): number | undefined {
  const [chat, messageId] = m.replyTo?.externalMessageId.split(':') ?? [];
  return chat === m.threadKey && messageId && /^\d+$/.test(messageId) ? Number(messageId) : undefined;
}

function parseProgress(saved: string | undefined): { sent: number; first?: string } {
  return saved ? (JSON.parse(saved) as { sent: number; first?: string }) : { sent: 0 };
}
