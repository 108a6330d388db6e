import type { CallbackQuery, Message, MessageEntity, Update, UserFromGetMe } from 'grammy/types';
import type { Attachment, InboundMessage } from '../../src/domain/channel.js';
import { checkText, cleanDisplayName } from '../../src/kit/clean-text.js';
import type { FileOpener } from './files.js';

/** The update kinds the adapter asks Telegram for; everything else is never fetched. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** `chatId:messageId` — Telegram message ids are only unique within a chat. */
export function externalMessageId(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** The chat an update belongs to; updates of one chat are handled in order. */
export function updateChatKey(update: Update): string {
  const message = update.message ?? update.edited_message ?? update.callback_query?.message;
  return message ? String(message.chat.id) : `update:${update.update_id}`;
}

/**
 * A tap on one of the bot's inline-keyboard choices: a message whose text is the button's label
 * and whose `choiceId` is its callback_data. The callback query id is the external id, so a
 * re-delivered tap is stored once.
 */
export function normalizeCallbackQuery(q: CallbackQuery): InboundMessage | null {
  const chat = q.message?.chat;
  if (!chat || q.data === undefined || q.from.is_bot) return null;
  const button =
    q.message && 'reply_markup' in q.message
      ? q.message.reply_markup?.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === q.data)
      : undefined;
  const from = q.from;
  const label = checkText(button?.text ?? q.data);
  if (!label.ok) return null;
  return {
    channel: 'telegram',
    externalMessageId: `callback:${q.id}`,
    threadKey: String(chat.id),
    sender: senderOf(from),
    text: label.text,
    attachments: [],
    receivedAt: new Date(),
    choiceId: q.data,
    ...(q.message ? { replyToExternalIds: [externalMessageId(chat.id, q.message.message_id)] } : {}),
    raw: { callbackQueryId: q.id },
  };
}

/**
 * Turns an update into the normalized message, or null when it is not for the pipeline:
 * other update kinds, service messages (members joining, pins), messages from bots, and
 * group messages that do not address the bot.
 *
 * An edited message becomes a new message (`chatId:messageId:edited:<edit_date>`) that
 * replies to the original, so agents see what changed and the bot can answer the corrected
 * question; the original stays as it was.
 */
export function normalizeUpdate(update: Update, me: UserFromGetMe, openFile?: FileOpener): InboundMessage | null {
  if (update.callback_query) return normalizeCallbackQuery(update.callback_query);
  const edited = update.edited_message !== undefined;
  const message = update.message ?? update.edited_message;
  if (!message || message.from?.is_bot) return null;

  const isGroup = message.chat.type === 'group' || message.chat.type === 'supergroup';
  if (isGroup && !addressesBot(message, me)) return null;

  // Text refused by the one cleaning every channel shares (empty, invisible only, not valid Unicode)
  // is dropped; with attachments the message still counts, without it is not for the pipeline.
  const checked = checkText(readText(message, me));
  const text = checked.ok ? checked.text : '';
  const attachments = readAttachments(message, openFile);
  if (text === '' && attachments.length === 0) return null;

  const chatId = message.chat.id;
  const from = message.from;
  const replyTo: string[] = [];
  if (message.reply_to_message) replyTo.push(externalMessageId(chatId, message.reply_to_message.message_id));
  if (edited) replyTo.unshift(externalMessageId(chatId, message.message_id));

  return {
    channel: 'telegram',
    externalMessageId: edited
      ? `${externalMessageId(chatId, message.message_id)}:edited:${message.edit_date ?? update.update_id}`
      : externalMessageId(chatId, message.message_id),
    threadKey: String(chatId),
    sender: from ? senderOf(from) : { channelUserId: String(chatId), displayName: cleanDisplayName(message.chat.title) ?? String(chatId) },
    text,
    attachments,
    receivedAt: new Date(((edited ? message.edit_date : undefined) ?? message.date) * 1000),
    ...(replyTo.length ? { replyToExternalIds: replyTo } : {}),
    raw: { updateId: update.update_id, chatType: message.chat.type, ...(edited ? { edited: true } : {}) },
  };
}

function senderOf(from: NonNullable<Message['from']>): InboundMessage['sender'] {
  const displayName = cleanDisplayName([from.first_name, from.last_name].filter(Boolean).join(' '));
  return {
    channelUserId: String(from.id),
    ...(displayName ? { displayName } : {}),
    ...(from.username ? { username: from.username } : {}),
    ...(from.language_code ? { locale: from.language_code } : {}),
  };
}

/** With privacy mode on, a group bot is addressed by @mention, by a command, or by a reply to one of its messages. */
function addressesBot(message: Message, me: UserFromGetMe): boolean {
  if (message.reply_to_message?.from?.id === me.id) return true;
  const body = message.text ?? message.caption ?? '';
  return entities(message).some((e) => {
    const value = body.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === 'mention') return value === `@${me.username.toLowerCase()}`;
    if (e.type === 'text_mention') return e.user.id === me.id;
    if (e.type === 'bot_command') return e.offset === 0 && (!value.includes('@') || value.endsWith(`@${me.username.toLowerCase()}`));
    return false;
  });
}

/** Text or caption with the bot's own @mention and command suffix removed, so `/start@shop_bot` reads as `/start`. */
function readText(message: Message, me: UserFromGetMe): string {
  let text = message.text ?? message.caption ?? '';
  const handle = `@${me.username}`;
  for (const e of [...entities(message)].sort((a, b) => b.offset - a.offset)) {
    const value = text.slice(e.offset, e.offset + e.length);
    if (e.type === 'mention' && value.toLowerCase() === handle.toLowerCase()) {
      text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
    } else if (e.type === 'bot_command' && value.toLowerCase().endsWith(handle.toLowerCase())) {
      text = text.slice(0, e.offset + e.length - handle.length) + text.slice(e.offset + e.length);
    }
  }
  if (text === '') text = describeNonFile(message);
  return text
    .normalize('NFC')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function entities(message: Message): MessageEntity[] {
  return message.entities ?? message.caption_entities ?? [];
}

/** Shared locations and contacts have no file; their content becomes the text agents read. */
function describeNonFile(message: Message): string {
  if (message.venue)
    return `Venue: ${message.venue.title}, ${message.venue.address} (${message.venue.location.latitude}, ${message.venue.location.longitude})`;
  if (message.location) return `Location: ${message.location.latitude}, ${message.location.longitude}`;
  if (message.contact) {
    const name = [message.contact.first_name, message.contact.last_name].filter(Boolean).join(' ');
    return `Contact: ${name} ${message.contact.phone_number}`;
  }
  if (message.sticker?.emoji) return message.sticker.emoji;
  return '';
}

/**
 * Files stay on Telegram: `url` carries the file_id, which getFile turns into a download when the
 * pipeline opens the file. Photos and still stickers are shown in the message; the rest are files.
 */
function readAttachments(message: Message, openFile: FileOpener | undefined): Attachment[] {
  const out: Attachment[] = [];
  const add = (fileId: string, name: string, mime: string, size: number | undefined, inline = false) => {
    const open = openFile?.(fileId, size ?? 0);
    out.push({ name, mime, size: size ?? 0, url: fileId, ...(open ? { open } : {}), ...(inline ? { inline: true } : {}) });
  };
  // Telegram sends every size it made of a photo, smallest first.
  const largest = message.photo?.at(-1);
  if (largest) add(largest.file_id, `photo_${largest.file_unique_id}.jpg`, 'image/jpeg', largest.file_size, true);
  const doc = message.animation ?? message.document;
  if (doc) add(doc.file_id, doc.file_name ?? `document_${doc.file_unique_id}`, doc.mime_type ?? 'application/octet-stream', doc.file_size);
  if (message.voice)
    add(
      message.voice.file_id,
      `voice_${message.voice.file_unique_id}.ogg`,
      message.voice.mime_type ?? 'audio/ogg',
      message.voice.file_size,
    );
  if (message.audio)
    add(
      message.audio.file_id,
      message.audio.file_name ?? `audio_${message.audio.file_unique_id}.mp3`,
      message.audio.mime_type ?? 'audio/mpeg',
      message.audio.file_size,
    );
  if (message.video)
    add(
      message.video.file_id,
      message.video.file_name ?? `video_${message.video.file_unique_id}.mp4`,
      message.video.mime_type ?? 'video/mp4',
      message.video.file_size,
    );
  if (message.video_note)
    add(message.video_note.file_id, `video_note_${message.video_note.file_unique_id}.mp4`, 'video/mp4', message.video_note.file_size);
  if (message.sticker) {
    // A still sticker is a small WebP image; animated (Lottie .tgs) and video stickers are kept as files.
    const s = message.sticker;
    if (s.is_animated) add(s.file_id, `sticker_${s.file_unique_id}.tgs`, 'application/x-tgsticker', s.file_size);
    else if (s.is_video) add(s.file_id, `sticker_${s.file_unique_id}.webm`, 'video/webm', s.file_size);
    else add(s.file_id, `sticker_${s.file_unique_id}.webp`, 'image/webp', s.file_size, true);
  }
  return out;
}
