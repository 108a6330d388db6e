import { describe, expect, it } from 'vitest';
import { stripReply } from '../../adapters/email/strip-reply.js';

describe('stripReply', () => {
  it('keeps inline answers between quoted lines and drops the quotes', () => {
    expect(stripReply('> Which size?\nM please\n> Which colour?\nBlue')).toBe('M please\nBlue');
  });

  it('cuts a Gmail quote header that wrapped onto two lines', () => {
    expect(stripReply('Thanks!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Shop Support <\nsupport@shop.example> wrote:\n> old')).toBe('Thanks!');
  });

  it('cuts German, French and Traditional Chinese quote headers', () => {
    expect(stripReply('Danke\n\nAm 23.11.2026 um 10:00 schrieb Shop Support <support@shop.example>:\n> alt')).toBe('Danke');
    expect(stripReply('Merci\n\nLe lun. 23 nov. 2026 à 10:00, Shop Support <support@shop.example> a écrit :\n> ancien')).toBe('Merci');
    expect(stripReply('謝謝\n\n在 2026年11月23日 上午10:00，Shop Support 寫道：\n> 舊')).toBe('謝謝');
  });

  it('drops the signature after "-- " and a mobile footer', () => {
    expect(stripReply('Where is my order?\n\n-- \nAlice\nACME Ltd')).toBe('Where is my order?');
    expect(stripReply('Where is my order?\n\nSent from my iPhone')).toBe('Where is my order?');
    expect(stripReply('我的订单到哪了？\n\n发自我的iPhone')).toBe('我的订单到哪了？');
  });

  it('does not mistake ordinary sentences for quote headers', () => {
    const text = 'On Monday I ordered shoes.\nFrom: my account page I cannot see them.\nThe courier wrote: "delivered".';
    expect(stripReply(text)).toBe(text);
  });

  it('keeps the whole text when nothing but quote is left', () => {
    expect(stripReply('> only a quote\n> nothing else')).toBe('> only a quote\n> nothing else');
  });
});
