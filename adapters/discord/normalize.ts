import {
  ComponentType,
  InteractionType,
  MessageReferenceType,
  MessageType,
  type APIMessage,
  type APIMessageComponentInteraction,
} from 'discord.js';
import type { Attachment, InboundMessage } from '../../src/domain/channel.js';
import { checkText, cleanDisplayName } from '../../src/kit/clean-text.js';
import type { FileOpener } from './files.js';

/** A MESSAGE_CREATE dispatch: the message plus the guild fields only the gateway adds. */
export type GatewayMessage = APIMessage & { guild_id?: string; member?: { nick?: string | null } };

/** Customer-written kinds; joins, pins, boosts, slash-command traces and the like are not. */
const CUSTOMER_MESSAGE_TYPES = new Set<number>([MessageType.Default, MessageType.Reply]);

/**
 * Turns a Discord message into the normalized message, or null when it is not for the
 * pipeline: messages by bots (our own replies included) and webhooks, system messages, and
 * guild messages that do not address the bot (an @mention or a reply to one of its messages).
 * `guildId` comes from the dispatch, or from what is known about the channel for messages
 * fetched over REST, which carry no guild id.
 */
export function normalizeMessage(
  m: GatewayMessage,
  ctx: { botId: string; guildId?: string; openFile?: FileOpener },
): InboundMessage | null {
  if (m.author.bot || m.author.system || m.webhook_id) return null;
  if (!CUSTOMER_MESSAGE_TYPES.has(m.type)) return null;
  const guildId = m.guild_id ?? ctx.guildId;
  if (guildId && !addressesBot(m, ctx.botId)) return null;

  // Text refused by the shared cleaning (empty, invisible only, not valid Unicode) is dropped.
  const checked = checkText(readText(m, ctx.botId));
  const text = checked.ok ? checked.text : '';
  const attachments = readAttachments(m, ctx.openFile);
  if (text === '' && attachments.length === 0) return null;

  const ref = m.message_reference;
  const isReply = ref?.message_id !== undefined && (ref.type ?? MessageReferenceType.Default) === MessageReferenceType.Default;
  const displayName = cleanDisplayName(m.member?.nick ?? m.author.global_name ?? m.author.username) ?? m.author.username;
  return {
    channel: 'discord',
    externalMessageId: m.id,
    threadKey: m.channel_id,
    sender: { channelUserId: m.author.id, displayName, username: m.author.username },
    text,
    attachments,
    receivedAt: new Date(m.timestamp),
    ...(isReply ? { replyToExternalIds: [ref.message_id!] } : {}),
    raw: { channelId: m.channel_id, ...(guildId ? { guildId } : {}), type: m.type },
  };
}

function addressesBot(m: GatewayMessage, botId: string): boolean {
  return m.mentions.some((u) => u.id === botId) || m.referenced_message?.author.id === botId;
}

/**
 * The bot's own mention is removed (`@Support where is my order?` reads as the question);
 * other user mentions read as `@name` instead of `<@id>`.
 */
function readText(m: GatewayMessage, botId: string): string {
  const names = new Map(m.mentions.map((u) => [u.id, u.global_name ?? u.username]));
  let text = m.content.replace(/<@!?(\d+)>/g, (whole, id: string) => (id === botId ? '' : names.has(id) ? `@${names.get(id)}` : whole));
  if (text.trim() === '' && m.sticker_items?.length) text = m.sticker_items.map((s) => `Sticker: ${s.name}`).join('\n');
  return text
    .normalize('NFC')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/**
 * Files stay on Discord's CDN; `url` is the attachment URL as Discord gave it (signed, it expires
 * after a while), and `open` downloads it. Images are shown in the message, as Discord does.
 */
function readAttachments(m: GatewayMessage, openFile: FileOpener | undefined): Attachment[] {
  return m.attachments.map((a) => {
    const mime = a.content_type?.split(';')[0]?.trim() || 'application/octet-stream';
    const open = openFile?.(a.url, a.size);
    return {
      name: a.filename,
      mime,
      size: a.size,
      url: a.url,
      ...(open ? { open } : {}),
      ...(mime.startsWith('image/') ? { inline: true } : {}),
    };
  });
}

/**
 * A click on one of the bot's choice buttons (INTERACTION_CREATE, message component): a message
 * whose text is the button's label and whose `choiceId` is its custom_id. The interaction id is
 * the external id, so a click delivered twice is stored once.
 */
export function normalizeInteraction(i: APIMessageComponentInteraction): InboundMessage | null {
  if (i.type !== InteractionType.MessageComponent || i.data.component_type !== ComponentType.Button) return null;
  const user = i.user ?? i.member?.user;
  const channelId = i.channel?.id ?? i.channel_id;
  if (!user || !channelId || user.bot) return null;
  const customId = i.data.custom_id;
  const label = checkText(buttonLabel(i.message.components, customId) ?? customId);
  if (!label.ok) return null;
  const displayName = cleanDisplayName(i.member?.nick ?? user.global_name ?? user.username) ?? user.username;
  return {
    channel: 'discord',
    externalMessageId: `interaction:${i.id}`,
    threadKey: channelId,
    sender: { channelUserId: user.id, displayName, username: user.username },
    text: label.text,
    attachments: [],
    receivedAt: new Date(),
    choiceId: customId,
    replyToExternalIds: [i.message.id],
    raw: { channelId, interactionId: i.id, ...(i.guild_id ? { guildId: i.guild_id } : {}) },
  };
}

/** The label of the button with this custom_id among the message's action rows. */
function buttonLabel(rows: unknown[] | undefined, customId: string): string | undefined {
  for (const row of rows ?? []) {
    const components = (row as { components?: { custom_id?: string; label?: string }[] }).components ?? [];
    const button = components.find((b) => b.custom_id === customId);
    if (button?.label) return button.label;
  }
  return undefined;
}
