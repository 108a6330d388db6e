import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { AttachmentLimits, OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { LatestMessages } from './latest-messages.js';
import { externalMessageId } from './normalize.js';
import { markdownToTelegramHtml } from './render-html.js';
import { albumItems, checkAttachments, fileGroups, inputFile, TELEGRAM_CAPTION_LIMIT, type FileKind } from './send-files.js';
import { toChannelError } from './send-error.js';
import { splitText } from '../../src/kit/split-text.js';
import { sendInParts } from '../../src/kit/send-in-parts.js';
import type { OutboundAttachment } from '../../src/domain/channel.js';

/** Telegram rejects texts longer than this many UTF-16 code units ("message is too long"). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** One Telegram message (or album) of a reply. */
type Step = { text: string } | { kind: FileKind; files: OutboundAttachment[]; caption?: string };

/**
 * Sends one outbox message as one or more Telegram messages and returns the first one's id. Files
 * carry the text as their caption when it fits (1024 characters); a longer text goes first, then
 * the files. The choices' keyboard hangs under the last text, or under the captioned file.
 */
export function createReplySender(deps: { api: Api; state: ChannelStateStore; latest: LatestMessages; limits: AttachmentLimits }) {
  const { api, state, latest, limits } = deps;
  return async (m: OutboundMessage): Promise<{ externalId: string }> => {
    const files = m.attachments ?? [];
    checkAttachments(files, limits);
    const chunks = splitText(m.text, TELEGRAM_TEXT_LIMIT);
    if (chunks.length === 0 && files.length === 0)
      throw new ChannelError('reply is empty', { retryable: false, code: 'telegram_empty_reply' });
    const chatId = /^-?\d+$/.test(m.threadKey) ? Number(m.threadKey) : m.threadKey;
    const target = replyTarget(m);
    const quote =
      target !== undefined && latest.shouldQuote(m.threadKey, target)
        ? { reply_parameters: { message_id: target, allow_sending_without_reply: true } }
        : {};
    const keyboard: { reply_markup?: InlineKeyboardMarkup } = m.choices?.length
      ? { reply_markup: { inline_keyboard: m.choices.map((c) => [{ text: c.label, callback_data: c.id }]) } }
      : {};

    const groups = fileGroups(files);
    // An album cannot carry a keyboard, so with choices the caption is used only on a single file.
    const captioned =
      chunks.length === 1 && chunks[0]!.length <= TELEGRAM_CAPTION_LIMIT && groups.length > 0 && (!m.choices?.length || files.length === 1);
    const steps: Step[] = captioned
      ? groups.map((g, i) => ({ ...g, ...(i === 0 ? { caption: chunks[0]! } : {}) }))
      : [...chunks.map((text) => ({ text })), ...groups];
    const keyboardAt = captioned ? 0 : chunks.length - 1;

    const withMarkupFallback = async <T>(text: string, send: (formatted: { text: string; parse_mode?: 'HTML' }) => Promise<T>) =>
      send({ text: markdownToTelegramHtml(text), parse_mode: 'HTML' })
        .catch((err: unknown) => {
          // Should Telegram still refuse the markup, the words matter more than the bold.
          if (err instanceof GrammyError && /can't parse entities/i.test(err.description)) return send({ text });
          throw err;
        })
        .catch((err: unknown) => {
          throw toChannelError(err);
        });

    const sendStep = async (step: Step, i: number): Promise<Message> => {
      const options = { ...(i === 0 ? quote : {}), ...(i === keyboardAt ? keyboard : {}) };
      if ('text' in step) return withMarkupFallback(step.text, (f) => api.sendMessage(chatId, f.text, { ...options, ...mode(f) }));
      const { kind, files: of, caption } = step;
      if (of.length === 1) {
        const send = (f?: { text: string; parse_mode?: 'HTML' }): Promise<Message> => {
          const other = { ...options, ...(f ? { caption: f.text, ...mode(f) } : {}) };
          return kind === 'photo' ? api.sendPhoto(chatId, inputFile(of[0]!), other) : api.sendDocument(chatId, inputFile(of[0]!), other);
        };
        if (caption !== undefined) return withMarkupFallback(caption, send);
        return send().catch((err: unknown) => {
          throw toChannelError(err);
        });
      }
      const album = (f?: { text: string; parse_mode?: 'HTML' }) =>
        api
          .sendMediaGroup(
            chatId,
            albumItems(kind, of, f ? { caption: f.text, ...mode(f) } : undefined) as Parameters<Api['sendMediaGroup']>[1],
            {
              ...(i === 0 ? quote : {}),
            },
          )
          .then((sent) => sent[0]!);
      if (caption !== undefined) return withMarkupFallback(caption, album);
      return album().catch((err: unknown) => {
        throw toChannelError(err);
      });
    };

    const externalId = await sendInParts(
      steps.map((_, i) => String(i)),
      `telegram:send-progress:${m.outboxId}`,
      state,
      async (_, i) => {
        const sent = await sendStep(steps[i]!, i);
        latest.note(m.threadKey, sent.message_id);
        return externalMessageId(chatId, sent.message_id);
      },
    );
    return { externalId };
  };
}

function mode(f: { parse_mode?: 'HTML' }): { parse_mode?: 'HTML' } {
  return f.parse_mode ? { parse_mode: f.parse_mode } : {};
}

/** The customer's message to quote, when it is in the same chat (`chatId:messageId[:edited:…]`). */
function replyTarget(m: OutboundMessage): number | undefined {
  const [chat, messageId] = m.replyTo?.externalMessageId.split(':') ?? [];
  return chat === m.threadKey && messageId && /^\d+$/.test(messageId) ? Number(messageId) : undefined;
}
