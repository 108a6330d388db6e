import { describe, expect, it } from 'vitest';
import { dominantScript, normalize } from '../../src/faq/normalize.js';
import { questionLocale } from '../../src/faq/locale.js';
import { features, segment } from '../../src/faq/tokenize.js';
import { stem } from '../../src/faq/stem.js';
import { applySynonyms, parseSynonyms } from '../../src/faq/synonyms.js';

describe('normalize', () => {
  it('folds full-width letters, digits and punctuation to plain lower case', () => {
    expect(normalize('ＷＨＥＲＥ　ｉｓ　ｍｙ　Ｏｒｄｅｒ　＃１２３？')).toBe('where is my order 123');
  });

  it('turns Chinese punctuation, in simplified and traditional forms, into spaces', () => {
    expect(normalize('「退貨」怎麼辦？我的訂單、發票！')).toBe('退貨 怎麼辦 我的訂單 發票');
    expect(normalize('退货，怎么办。【急】')).toBe('退货 怎么办 急');
  });

  it('keeps contractions as one word and drops symbols', () => {
    expect(normalize("Where’s my order?? It's late :-(")).toBe('wheres my order its late');
  });
});

describe('segmentation', () => {
  it('splits mixed Chinese and English into words', () => {
    const words = segment(normalize('我的 iPhone 订单')).map((t) => t.text);
    expect(words).toEqual(['我的', 'iphone', '订单']);
  });

  it('segments Chinese without spaces and adds character n-grams', () => {
    const f = features(normalize('我想退货'));
    expect([...f.keys()].filter((k) => k.startsWith('w:'))).toContain('w:我想');
    expect(f.has('h:退货')).toBe(true);
    expect(f.has('u:退')).toBe(true);
  });

  it('stems English words and keeps character n-grams for typos', () => {
    expect(['shipped', 'shipping', 'ships'].map(stem)).toEqual(['ship', 'ship', 'ship']);
    expect(stem('refunds')).toBe(stem('refund'));
    const f = features(normalize('refnd status'));
    expect(f.has('c:<ref')).toBe(true);
    expect(f.has('b:refnd status')).toBe(true);
  });
});

describe('locale of a question', () => {
  it('follows the script of the text, not the hint', () => {
    expect(questionLocale('我的 iPhone 订单', 'en')).toBe('zh');
    expect(questionLocale('where is my order', 'zh-CN')).toBe('en');
    expect(questionLocale('how do I say 你好')).toBe('en');
  });

  it('uses the hint for Latin text in another Latin-script language and for text without letters', () => {
    expect(questionLocale('où est ma commande', 'fr-FR')).toBe('fr');
    expect(questionLocale('???', 'zh')).toBe('zh');
    expect(dominantScript('12345')).toBe('none');
  });
});

describe('synonyms', () => {
  it('rewrites whole Latin words and Chinese substrings to the first term of a group', () => {
    const { rules, problems } = parseSynonyms('# comment\npackage, parcel, box\n包裹, 快递\nrefund, money back\n');
    expect(problems).toEqual([]);
    expect(applySynonyms('where is my parcel', rules)).toBe('where is my package');
    expect(applySynonyms('i want my money back', rules)).toBe('i want my refund');
    expect(applySynonyms('boxing day', rules)).toBe('boxing day');
    expect(applySynonyms('我的快递到哪了', rules)).toBe('我的包裹到哪了');
  });

  it('reports a group with a single term and a term in two groups', () => {
    const { problems } = parseSynonyms('package\nparcel, box\ncarton, box\n');
    expect(problems).toEqual([
      { line: 1, message: 'a synonym group needs at least two comma-separated terms' },
      { line: 3, message: '"box" is already a synonym on line 2' },
    ]);
  });
});
