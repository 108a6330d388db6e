import { describe, expect, it } from 'vitest';
import { MessageReferenceType, MessageType } from 'discord.js';
import { normalizeMessage, type GatewayMessage } from '../../adapters/discord/normalize.js';

const botId = '1100000000000000001';
const author = { id: '210000000000000001', username: 'ann_k', global_name: 'Ann K', discriminator: '0', avatar: null };

function message(extra: Partial<GatewayMessage> = {}): GatewayMessage {
  return {
    id: '1300000000000000001',
    channel_id: '1200000000000000001',
    author,
    content: 'hello',
    timestamp: '2026-11-23T10:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    ...extra,
  };
}

describe('normalizeMessage', () => {
  it('uses the guild nickname, then the global name, then the username as display name', () => {
    const guild = {
      guild_id: '1',
      mentions: [{ id: botId, username: 'bot', discriminator: '0', global_name: null, avatar: null }],
      content: `<@${botId}> hi`,
    };
    expect(normalizeMessage(message({ ...guild, member: { nick: 'Annie' } }), { botId })?.sender.displayName).toBe('Annie');
    expect(normalizeMessage(message(), { botId })?.sender.displayName).toBe('Ann K');
    expect(normalizeMessage(message({ author: { ...author, global_name: null } }), { botId })?.sender.displayName).toBe('ann_k');
  });

  it('applies the mention rule to messages fetched over REST through the known guild id', () => {
    expect(normalizeMessage(message(), { botId, guildId: '42' })).toBeNull();
    expect(
      normalizeMessage(message({ content: `<@!${botId}> where is my parcel?`, mentions: [{ ...author, id: botId }] }), {
        botId,
        guildId: '42',
      })?.text,
    ).toBe('where is my parcel?');
  });

  it('ignores webhooks, system messages and joins; keeps replies, not forwards, as replyToExternalIds', () => {
    expect(normalizeMessage(message({ webhook_id: '5' }), { botId })).toBeNull();
    expect(normalizeMessage(message({ type: MessageType.UserJoin }), { botId })).toBeNull();
    expect(normalizeMessage(message({ author: { ...author, system: true } }), { botId })).toBeNull();
    const reply = normalizeMessage(
      message({ type: MessageType.Reply, message_reference: { message_id: '1300000000000000000', channel_id: '1200000000000000001' } }),
      { botId },
    );
    expect(reply?.replyToExternalIds).toEqual(['1300000000000000000']);
    const forward = normalizeMessage(
      message({ message_reference: { type: MessageReferenceType.Forward, message_id: '7', channel_id: '8' } }),
      { botId },
    );
    expect(forward?.replyToExternalIds).toBeUndefined();
  });

  it('turns a sticker-only message into readable text and skips messages with nothing in them', () => {
    const sticker = message({ content: '', sticker_items: [{ id: '9', name: 'Wave', format_type: 1 }] });
    expect(normalizeMessage(sticker, { botId })?.text).toBe('Sticker: Wave');
    expect(normalizeMessage(message({ content: '  ' }), { botId })).toBeNull();
  });

  it('normalizes text to NFC and collapses runs of spaces, keeping line breaks', () => {
    expect(normalizeMessage(message({ content: 'Cafe\u0301   order\n   second line ' }), { botId })?.text).toBe('Café order\nsecond line');
  });
});
