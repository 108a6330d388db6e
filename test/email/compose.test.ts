import { describe, expect, it } from 'vitest';
import { composeReply, replySubject } from '../../adapters/email/compose.js';
import type { OutboundMessage } from '../../src/domain/channel.js';

const base: OutboundMessage = {
  outboxId: 'ob-1',
  conversationId: 'c-1',
  channel: 'email',
  threadKey: '<root@example.com>',
  to: { channelUserId: 'alice@example.com', email: 'alice@example.com' },
  text: 'Hello',
  author: 'agent',
};

describe('replySubject', () => {
  it.each([
    ['Refund', 'Re: Refund'],
    ['Re: Refund', 'Re: Refund'],
    ['AW: Rückgabe', 'AW: Rückgabe'],
    ['回复：退货', '回复：退货'],
    ['  Where   is it ', 'Re: Where is it'],
    ['', 'Re: your message'],
    [undefined, 'Re: your message'],
  ])('%j → %j', (input, expected) => expect(replySubject(input)).toBe(expected));
});

describe('composeReply', () => {
  it('threads under the answered message with References oldest first', () => {
    const mail = composeReply(
      { ...base, replyTo: { externalMessageId: '<c2@example.com>', references: ['<root@example.com>', '<ours@shop.example>'] } },
      'Support <help@Shop.Example>',
    );
    expect(mail).toMatchObject({
      messageId: '<ob-1@shop.example>',
      inReplyTo: '<c2@example.com>',
      references: ['<root@example.com>', '<ours@shop.example>', '<c2@example.com>'],
    });
  });

  it('keeps References bounded on a very long thread: the root plus the latest ids', () => {
    const refs = Array.from({ length: 40 }, (_, i) => `<m${i}@example.com>`);
    const mail = composeReply({ ...base, replyTo: { externalMessageId: '<last@example.com>', references: refs } }, 'help@shop.example');
    expect(mail.references).toHaveLength(20);
    expect(mail.references![0]).toBe('<m0@example.com>');
    expect(mail.references!.at(-1)).toBe('<last@example.com>');
  });
});

describe('choices by email', () => {
  it("lists offered choices by number, with a hint in the customer's language", () => {
    const choices = [
      { id: 'faq:a', label: 'Does my gift card expire?' },
      { id: 'person', label: 'Talk to a person' },
    ];
    expect(composeReply({ ...base, text: 'Please pick one:', choices }, 'help@shop.example').text).toBe(
      'Please pick one:\n\n1. Does my gift card expire?\n2. Talk to a person\n\nReply with the number of your choice.',
    );
    const zh = composeReply({ ...base, text: '请选择：', choices: [{ id: 'person', label: '转人工客服' }] }, 'help@shop.example').text;
    expect(zh).toBe('请选择：\n\n1. 转人工客服\n\n请直接回复对应的数字。');
    expect(composeReply(base, 'help@shop.example').text).toBe('Hello');
  });
});
