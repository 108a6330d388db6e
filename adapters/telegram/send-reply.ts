import { GrammyError, type Api } from 'grammy';
import type { OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { LatestMessages } from './latest-messages.js';
import { externalMessageId } from './normalize.js';
import { markdownToTelegramHtml } from './render-html.js';
import { toChannelError } from './send-error.js';
import { splitText } from '../../src/kit/split-text.js';
import { sendInParts } from '../../src/kit/send-in-parts.js';

/** Telegram rejects texts longer than this many UTF-16 code units ("message is too long"). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Sends one outbox message as one or more Telegram messages and returns the first one's id. */
export function createReplySender(deps: { api: Api; state: ChannelStateStore; latest: LatestMessages }) {
  const { api, state, latest } = deps;
  return async (m: OutboundMessage): Promise<{ externalId: string }> => {
    const chunks = splitText(m.text, TELEGRAM_TEXT_LIMIT);
    if (chunks.length === 0) throw new ChannelError('reply is empty', { retryable: false, code: 'telegram_empty_reply' });
    const chatId = /^-?\d+$/.test(m.threadKey) ? Number(m.threadKey) : m.threadKey;
    const target = replyTarget(m);
    const quote =
      target !== undefined && latest.shouldQuote(m.threadKey, target)
        ? { reply_parameters: { message_id: target, allow_sending_without_reply: true } }
        : {};
    const externalId = await sendInParts(chunks, `telegram:send-progress:${m.outboxId}`, state, async (text, i) => {
      // The choices hang under the last part, where the customer reads on.
      const keyboard =
        i === chunks.length - 1 && m.choices?.length
          ? { reply_markup: { inline_keyboard: m.choices.map((c) => [{ text: c.label, callback_data: c.id }]) } }
          : {};
      const options = { ...(i === 0 ? quote : {}), ...keyboard };
      const sent = await api
        .sendMessage(chatId, markdownToTelegramHtml(text), { parse_mode: 'HTML', ...options })
        .catch((err: unknown) => {
          // Should Telegram still refuse the markup, the words matter more than the bold.
          if (err instanceof GrammyError && /can't parse entities/i.test(err.description)) return api.sendMessage(chatId, text, options);
          throw err;
        })
        .catch((err: unknown) => {
          throw toChannelError(err);
        });
      latest.note(m.threadKey, sent.message_id);
      return externalMessageId(chatId, sent.message_id);
    });
    return { externalId };
  };
}

/** The customer's message to quote, when it is in the same chat (`chatId:messageId[:edited:…]`). */
function replyTarget(m: OutboundMessage): number | undefined {
  const [chat, messageId] = m.replyTo?.externalMessageId.split(':') ?? [];
  return chat === m.threadKey && messageId && /^\d+$/.test(messageId) ? Number(messageId) : undefined;
}
