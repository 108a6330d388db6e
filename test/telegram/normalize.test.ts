import type { Message, Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { normalizeUpdate } from '../../adapters/telegram/normalize.js';

const me: UserFromGetMe = {
  id: 999,
  is_bot: true,
  first_name: 'Shop',
  username: 'shop_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

const alice = { id: 7, is_bot: false, first_name: 'Alice', language_code: 'de' };
const privateChat = { id: 7, type: 'private' as const, first_name: 'Alice' };
const group = { id: -100123, type: 'supergroup' as const, title: 'Shop customers' };

function update(message: Partial<Message>, kind: 'message' | 'edited_message' = 'message'): Update {
  return { update_id: 1, [kind]: { message_id: 50, date: 1_700_000_000, chat: privateChat, from: alice, ...message } };
}

describe('Telegram normalization', () => {
  it('takes the caption as text and the largest photo as the attachment', () => {
    const m = normalizeUpdate(
      update({
        caption: 'Broken on arrival',
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 90, file_size: 1000 },
          { file_id: 'large', file_unique_id: 'l', width: 1280, height: 1280, file_size: 90_000 },
        ],
      }),
      me,
    );
    expect(m?.text).toBe('Broken on arrival');
    expect(m?.attachments).toEqual([{ name: 'photo_l.jpg', mime: 'image/jpeg', size: 90_000, url: 'large', inline: true }]);
  });

  it('keeps documents and voice notes as attachments with file id, mime, size and name', () => {
    const doc = normalizeUpdate(
      update({
        document: { file_id: 'doc1', file_unique_id: 'd', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 2048 },
      }),
      me,
    );
    expect(doc?.text).toBe('');
    expect(doc?.attachments).toEqual([{ name: 'invoice.pdf', mime: 'application/pdf', size: 2048, url: 'doc1' }]);

    const voice = normalizeUpdate(
      update({ voice: { file_id: 'v1', file_unique_id: 'v', duration: 3, mime_type: 'audio/ogg', file_size: 5000 } }),
      me,
    );
    expect(voice?.attachments).toEqual([{ name: 'voice_v.ogg', mime: 'audio/ogg', size: 5000, url: 'v1' }]);
  });

  it('turns a shared location into text agents can read', () => {
    const m = normalizeUpdate(update({ location: { latitude: 52.52, longitude: 13.405 } }), me);
    expect(m?.text).toBe('Location: 52.52, 13.405');
  });

  it('ignores service messages and messages from other bots', () => {
    expect(normalizeUpdate(update({ new_chat_members: [alice] }), me)).toBeNull();
    expect(normalizeUpdate(update({ text: 'hi', from: { id: 5, is_bot: true, first_name: 'Other' } }), me)).toBeNull();
  });

  it('makes an edit a new message that points back at the original', () => {
    const m = normalizeUpdate(update({ text: 'Where is order 124?', edit_date: 1_700_000_060 }, 'edited_message'), me);
    expect(m?.externalMessageId).toBe('7:50:edited:1700000060');
    expect(m?.replyToExternalIds).toEqual(['7:50']);
    expect(m?.receivedAt.toISOString()).toBe(new Date(1_700_000_060_000).toISOString());
    expect(m?.raw).toMatchObject({ edited: true });
  });

  it('links a reply to the message it quotes', () => {
    const m = normalizeUpdate(
      update({ text: 'yes', reply_to_message: { message_id: 44, date: 1, chat: privateChat } as Message['reply_to_message'] }),
      me,
    );
    expect(m?.replyToExternalIds).toEqual(['7:44']);
  });

  describe('in groups', () => {
    const inGroup = (message: Partial<Message>) => update({ chat: group, ...message });

    it('ignores talk that does not address the bot', () => {
      expect(normalizeUpdate(inGroup({ text: 'anyone here?' }), me)).toBeNull();
      expect(normalizeUpdate(inGroup({ text: 'ask @other_bot', entities: [{ type: 'mention', offset: 4, length: 10 }] }), me)).toBeNull();
      expect(
        normalizeUpdate(inGroup({ text: '/help@other_bot', entities: [{ type: 'bot_command', offset: 0, length: 15 }] }), me),
      ).toBeNull();
    });

    it('takes a message that mentions the bot, without the mention', () => {
      const m = normalizeUpdate(
        inGroup({ text: '@Shop_Bot where is my parcel?', entities: [{ type: 'mention', offset: 0, length: 9 }] }),
        me,
      );
      expect(m?.text).toBe('where is my parcel?');
      expect(m?.threadKey).toBe('-100123');
      expect(m?.externalMessageId).toBe('-100123:50');
    });

    it('reads a command addressed to the bot as the bare command', () => {
      const m = normalizeUpdate(inGroup({ text: '/start@shop_bot', entities: [{ type: 'bot_command', offset: 0, length: 15 }] }), me);
      expect(m?.text).toBe('/start');
    });

    it('takes a reply to one of the bot’s messages', () => {
      const botMessage = { message_id: 40, date: 1, chat: group, from: me } as Message;
      const m = normalizeUpdate(inGroup({ text: 'still broken', reply_to_message: botMessage } as Partial<Message>), me);
      expect(m?.text).toBe('still broken');
      expect(m?.replyToExternalIds).toEqual(['-100123:40']);
    });
  });
});
