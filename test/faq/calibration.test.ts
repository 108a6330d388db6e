/**
 * Thresholds calibrated when the index is built, from the knowledge base itself: the same
 * logic for a tiny knowledge base and a larger one, each held to the same error rates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../bench/datasets.js';
import { DEFAULT_CALIBRATION } from '../../src/faq/calibrate.js';
import type { FaqEntry } from '../../src/faq/entry.js';
import { FaqIndex } from '../../src/faq/faq-index.js';

const en = (id: string, questions: string[], answer: string): FaqEntry => ({ id, locale: 'en', questions, answer, tags: [] });

const tiny = [
  en(
    'returns',
    ['How do I return an item?', 'Can I send my order back?'],
    'You can return unused items within 30 days of delivery for a full refund.',
  ),
  en('shipping', ['How long does shipping take?', 'When will my package arrive?'], 'Standard delivery takes 3 to 5 business days.'),
  en(
    'payment',
    ['Which payment methods do you accept?', 'Can I pay by credit card?'],
    'We accept Visa, Mastercard, PayPal and bank transfer.',
  ),
];

const unrelated = [
  'Who painted the Mona Lisa?',
  'what is the capital of france',
  'how tall is mount everest',
  'tell me a joke',
  'what is the weather tomorrow',
  'can I bring my dog to the cinema',
];

describe('calibration on a tiny knowledge base (3 entries × 2 questions)', () => {
  const faq = new FaqIndex(tiny);

  it('answers paraphrases, including one phrased like the answer', () => {
    const asked = {
      'how can I return my item': 'returns',
      'I want to send this order back': 'returns',
      'how long does delivery take': 'shipping',
      'when does my package arrive': 'shipping',
      'do you accept paypal': 'payment',
      'can I pay with a credit card': 'payment',
      'what payment methods can I use': 'payment',
    };
    for (const [q, id] of Object.entries(asked)) expect(faq.match(q), q).toMatchObject({ answered: true, entryId: id });
  });

  it('refuses unrelated text without offering choices', () => {
    for (const q of unrelated) expect(faq.match(q), q).toMatchObject({ answered: false, entryId: null, suggestions: [] });
  });

  it('reports its operating point, and FAQ_MIN_CONFIDENCE overrides the calibrated threshold', () => {
    const [point] = faq.operatingPoints;
    expect(point).toMatchObject({ locale: 'en', background: expect.any(Number) });
    expect(point!.answerAt).toBeGreaterThan(0);
    expect(point!.answerAt).toBeLessThan(1);
    expect(point!.suggestAt).toBeLessThanOrEqual(point!.answerAt);
    expect(faq.threshold('en')).toBe(point!.answerAt);
    const strict = new FaqIndex(tiny, new Map(), { minConfidence: 0.99 });
    expect(strict.threshold('en')).toBe(0.99);
    expect(strict.match('do you accept paypal').answered).toBe(false);
  });
});

describe('calibration on a larger knowledge base (CLINC150, 20 entries × 20 train questions)', () => {
  it('is held to the same error rates on questions it never saw (CLINC150 val + oos_val)', () => {
    const data = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
    const intents = new Set([...new Set(data.train!.map(([, i]) => i))].sort().slice(0, 20));
    const byIntent = new Map<string, string[]>();
    for (const [text, intent] of data.train!) if (intents.has(intent)) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
    const faq = new FaqIndex([...byIntent].map(([id, qs]) => en(id.replace(/_/g, '-'), qs.slice(0, 20), '')));
    let n = 0,
      right = 0,
      wrong = 0;
    for (const [text, intent] of data.val!) {
      if (!intents.has(intent)) continue;
      n++;
      const r = faq.match(text);
      if (r.answered && r.entryId === intent.replace(/_/g, '-')) right++;
      else if (r.answered) wrong++;
    }
    const oosAnswered = data.oos_val!.filter(([text]) => faq.match(text).answered).length / data.oos_val!.length;
    // Measured 76.8 % right, 3.0 % wrong, 3.0 % of out-of-scope answered.
    expect(right / n).toBeGreaterThanOrEqual(0.7);
    expect(wrong / n).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxWrong + 0.01);
    expect(oosAnswered).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxOosAnswered + 0.03);
    // And the tiny knowledge base meets the same background limit by the same rule.
    for (const p of [...faq.operatingPoints, ...new FaqIndex(tiny).operatingPoints]) {
      expect(p.oosAnswered).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxOosAnswered);
      expect(p.wrong).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxWrong);
    }
  });
});
