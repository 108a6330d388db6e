import { createHash } from 'node:crypto';
import {
  ButtonStyle,
  ComponentType,
  Routes,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIMessage,
  type REST,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { AttachmentLimits, Choice, OutboundAttachment, OutboundMessage } from '../../src/domain/channel.js';
import { MB } from '../../src/kit/byte-stream.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { toChannelError } from './send-error.js';
import { splitText } from '../../src/kit/split-text.js';
import { sendInParts } from '../../src/kit/send-in-parts.js';

/** Discord rejects message content longer than this many characters (UTF-16 code units). */
export const DISCORD_TEXT_LIMIT = 2000;

const SNOWFLAKE = /^\d{1,20}$/;

/** A server without boosts takes 10 MB a file; Discord takes 10 files a message. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * MB;
export const MAX_FILES_PER_MESSAGE = 10;

export function discordLimits(maxUploadBytes: number | undefined): AttachmentLimits {
  return { maxBytes: maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, maxCount: MAX_FILES_PER_MESSAGE };
}

/** Refuses what Discord would refuse (40005 "Request entity too large"), before anything of the reply is sent. */
function checkAttachments(files: OutboundAttachment[], limits: AttachmentLimits): void {
  if (files.length > limits.maxCount)
    throw new ChannelError(`Discord takes at most ${limits.maxCount} files a message; this reply has ${files.length}`, {
      retryable: false,
      code: 'discord_too_many_files',
    });
  const big = files.find((f) => f.size > limits.maxBytes);
  if (big)
    throw new ChannelError(
      `${big.name} is ${(big.size / MB).toFixed(1)} MB; Discord takes files up to ${Math.round(limits.maxBytes / MB)} MB here (DISCORD_MAX_UPLOAD_MB)`,
      { retryable: false, code: 'discord_file_too_large' },
    );
}

/**
 * The files as discord.js uploads them (multipart `files[n]` next to `payload_json`). discord.js
 * takes each file's bytes whole, so they are read here, one send at a time, bounded by the upload limit.
 */
async function rawFiles(files: OutboundAttachment[], maxBytes: number) {
  const out = [];
  for (const f of files) {
    const chunks: Uint8Array[] = [];
    let seen = 0;
    for await (const chunk of await f.open()) {
      seen += chunk.byteLength;
      if (seen > maxBytes)
        throw new ChannelError(`${f.name} is larger than it was said to be, over the upload limit`, {
          retryable: false,
          code: 'discord_file_too_large',
        });
      chunks.push(chunk);
    }
    out.push({ name: f.name, contentType: f.mime, data: Buffer.concat(chunks) });
  }
  return out;
}

/**
 * Sends one outbox message as one or more Discord messages and returns the first one's id. Each
 * part carries a nonce Discord enforces, so a part resent within Discord's nonce window (a few
 * minutes) is not posted twice.
 */
export function createReplySender(deps: { rest: REST; state: ChannelStateStore; limits: AttachmentLimits }) {
  const { rest, state, limits } = deps;
  return async (m: OutboundMessage): Promise<{ externalId: string }> => {
    const files = m.attachments ?? [];
    checkAttachments(files, limits);
    const chunks = splitText(m.text, DISCORD_TEXT_LIMIT);
    if (chunks.length === 0 && files.length === 0)
      throw new ChannelError('reply is empty', { retryable: false, code: 'discord_empty_reply' });
    // A reply that is only files is one message without content.
    if (chunks.length === 0) chunks.push('');
    if (!SNOWFLAKE.test(m.threadKey))
      throw new ChannelError(`not a Discord channel id: ${m.threadKey}`, { retryable: false, code: 'discord_bad_channel' });
    const target = m.replyTo && SNOWFLAKE.test(m.replyTo.externalMessageId) ? m.replyTo.externalMessageId : undefined;
    const externalId = await sendInParts(chunks, `discord:send-progress:${m.outboxId}`, state, async (text, i) => {
      const body: RESTPostAPIChannelMessageJSONBody = {
        content: text,
        // Reply text may quote what a customer wrote; it must never ping @everyone, a role or
        // another user. Only the customer being answered is notified, through the reply.
        allowed_mentions: { parse: [], replied_user: true },
        nonce: nonceFor(m.outboxId, i),
        enforce_nonce: true,
        ...(i === 0 && target ? { message_reference: { message_id: target, fail_if_not_exists: false } } : {}),
        // The choices hang under the last part, where the customer reads on.
        ...(i === chunks.length - 1 && m.choices?.length ? { components: buttonRows(m.choices) } : {}),
      };
      // The files go with the last part, under the text they belong to.
      const upload = i === chunks.length - 1 && files.length ? { files: await rawFiles(files, limits.maxBytes) } : {};
      const sent = (await rest.post(Routes.channelMessages(m.threadKey), { body, ...upload }).catch((err: unknown) => {
        throw toChannelError(err);
      })) as APIMessage;
      return sent.id;
    });
    return { externalId };
  };
}

/** Discord nonces are at most 25 characters; the outbox id and part number fix one per part. */
function nonceFor(outboxId: string, part: number): string {
  return createHash('sha256').update(`${outboxId}:${part}`).digest('base64url').slice(0, 25);
}

/** Discord allows 5 buttons a row and 80 characters a label. */
function buttonRows(choices: Choice[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < choices.length; i += 5) {
    const components = choices.slice(i, i + 5).map((c): APIButtonComponent => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: c.label.length > 80 ? c.label.slice(0, 79) + '…' : c.label,
      custom_id: c.id,
    }));
    rows.push({ type: ComponentType.ActionRow, components });
  }
  return rows;
}
