import { describe, expect, it } from 'vitest';
import { asksForHuman, csatScore, detectLocale, isStartCommand } from '../../src/pipeline/intent.js';

describe('explicit requests', () => {
  it('recognises a request for a person in English and Chinese, with punctuation and width variants', () => {
    for (const t of [
      '/human',
      '/human@shop_bot',
      'human',
      'Human!',
      ' AGENT ',
      'talk to a human',
      '人工',
      '转人工',
      '转人工！',
      '人工客服',
      'ｈｕｍａｎ',
    ]) {
      expect(asksForHuman(t), t).toBe(true);
    }
  });

  it('does not hand off sentences that merely mention the words', () => {
    for (const t of ['Is the agent discount still on?', 'human hair wig in stock?', '人工智能产品有哪些', 'how do I return an item']) {
      expect(asksForHuman(t), t).toBe(false);
    }
  });

  it('recognises /start', () => {
    expect(isStartCommand('/start')).toBe(true);
    expect(isStartCommand('/start promo42')).toBe(true);
    expect(isStartCommand('start the refund')).toBe(false);
  });

  it('detects Chinese from the text, otherwise uses the hint', () => {
    expect(detectLocale('我的 iPhone 订单在哪里')).toBe('zh');
    expect(detectLocale('where is my order', 'zh-CN')).toBe('en');
    expect(detectLocale('？', 'zh-TW')).toBe('zh');
    expect(detectLocale('ok')).toBe('en');
  });
});

describe('satisfaction replies', () => {
  it('reads a bare 1–5, full-width digits and stars as a score, and nothing else', () => {
    expect(csatScore('5')).toBe(5);
    expect(csatScore(' ４ ')).toBe(4);
    expect(csatScore('⭐⭐⭐')).toBe(3);
    expect(csatScore('⭐️⭐️')).toBe(2);
    for (const t of ['0', '6', '10', '5 stars but the parcel is late', 'five', '']) expect(csatScore(t), t).toBeUndefined();
  });
});
