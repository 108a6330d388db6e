import { beforeAll, describe, expect, it } from 'vitest';
import { loadFaq } from '../../src/faq/load-faq.js';
import type { FaqIndex } from '../../src/faq/faq-index.js';
import { SAMPLE_FAQ } from '../support/app.js';

describe('a greeting in front of a question', () => {
  let faq: FaqIndex;
  beforeAll(async () => {
    faq = (await loadFaq(SAMPLE_FAQ)).matcher;
  });

  it('answers the question, not the greeting, in both languages', () => {
    expect(faq.match('你好，请问怎么退货？')).toMatchObject({ answered: true, entryId: 'returns-policy', locale: 'zh' });
    expect(faq.match('Hi, where is my parcel?')).toMatchObject({ answered: true, entryId: 'order-status', locale: 'en' });
  });

  it('still answers a greeting alone as a greeting, and hands off greeting + nonsense', () => {
    expect(faq.match('您好')).toMatchObject({ answered: true, entryId: 'greeting' });
    expect(faq.match('Hello, I have a question')).toMatchObject({ answered: true, entryId: 'greeting' });
    expect(faq.match('hi, what is the meaning of life').answered).toBe(false);
  });
});
