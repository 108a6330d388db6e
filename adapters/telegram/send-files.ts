/**
 * Files sent with a reply: one file goes as sendPhoto or sendDocument, several as an album
 * (sendMediaGroup). grammY uploads them as multipart/form-data, reading each file's stream as it
 * writes the request, so a 50 MB file is never held in memory.
 */
import { InputFile } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto } from 'grammy/types';
import type { AttachmentLimits, OutboundAttachment } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import { MB } from '../../src/kit/byte-stream.js';

/** Bot API uploads: 50 MB a file, 10 files an album. */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * MB;
export const MAX_FILES_PER_MESSAGE = 10;
/** Longer captions are refused ("message caption is too long"): the text then goes first, on its own. */
export const TELEGRAM_CAPTION_LIMIT = 1024;
/** sendPhoto takes up to 10 MB of JPEG, PNG or WebP; other images go as documents, uncompressed. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_PHOTO_BYTES = 10 * MB;

export function telegramLimits(maxUploadBytes: number | undefined): AttachmentLimits {
  return { maxBytes: maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, maxCount: MAX_FILES_PER_MESSAGE };
}

/** Refuses what Telegram would refuse, before anything of the reply is sent. */
export function checkAttachments(files: OutboundAttachment[], limits: AttachmentLimits): void {
  if (files.length > limits.maxCount)
    throw new ChannelError(`Telegram takes at most ${limits.maxCount} files a message; this reply has ${files.length}`, {
      retryable: false,
      code: 'telegram_too_many_files',
    });
  const big = files.find((f) => f.size > limits.maxBytes);
  if (big)
    throw new ChannelError(
      `${big.name} is ${(big.size / MB).toFixed(1)} MB; Telegram takes files up to ${Math.round(limits.maxBytes / MB)} MB`,
      { retryable: false, code: 'telegram_file_too_large' },
    );
}

export type FileKind = 'photo' | 'document';

export function kindOf(f: OutboundAttachment): FileKind {
  return PHOTO_TYPES.has(f.mime) && f.size <= MAX_PHOTO_BYTES ? 'photo' : 'document';
}

/**
 * Albums of one kind: Telegram groups photos with photos and documents with documents only.
 * Photos come first, so a picture the reply is about is what the customer sees first.
 */
export function fileGroups(files: OutboundAttachment[]): { kind: FileKind; files: OutboundAttachment[] }[] {
  const groups: { kind: FileKind; files: OutboundAttachment[] }[] = [];
  for (const kind of ['photo', 'document'] as const) {
    const of = files.filter((f) => kindOf(f) === kind);
    if (of.length) groups.push({ kind, files: of });
  }
  return groups;
}

/** Each upload opens the stored file anew, so a retried send reads the bytes again. */
export function inputFile(f: OutboundAttachment): InputFile {
  return new InputFile(() => f.open(), f.name);
}

export function albumItems(
  kind: FileKind,
  files: OutboundAttachment[],
  caption?: { caption: string; parse_mode?: 'HTML' },
): (InputMediaPhoto | InputMediaDocument)[] {
  return files.map((f, i) => ({ type: kind, media: inputFile(f), ...(i === 0 && caption ? caption : {}) }));
}
