/**
 * The large-knowledge-base path (sparse weights, a candidate pre-filter, calibration reused for
 * the served model), forced on a knowledge base small enough for a unit test, and the index
 * handed over as data the way a worker thread hands it back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../bench/datasets.js';
import { DEFAULT_CALIBRATION } from '../../src/faq/calibrate.js';
import type { FaqEntry } from '../../src/faq/entry.js';
import { FaqIndex } from '../../src/faq/faq-index.js';
import { seededRandom } from '../../src/faq/seeded-random.js';

const data = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
const intents = new Set([...new Set(data.train!.map(([, i]) => i))].sort().slice(0, 20));
const byIntent = new Map<string, string[]>();
for (const [text, intent] of data.train!) if (intents.has(intent)) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
const entries: FaqEntry[] = [...byIntent].map(([id, qs]) => ({
  id: id.replace(/_/g, '-'),
  locale: 'en',
  questions: qs.slice(0, 20),
  answer: '',
  tags: [],
}));

function judge(faq: FaqIndex) {
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
  return { right: right / n, wrong: wrong / n, oosAnswered };
}

describe('the sparse classifier of a large knowledge base', () => {
  // 20 entries × 20 questions with the large-base settings: sparse weights over 8 candidates per
  // question, one calibration fold whose model is trained on to become the served one.
  const sparse = new FaqIndex(entries, new Map(), {
    denseUpTo: 0,
    sparse: { candidates: 8, postingShare: 0.05, minPosting: 4, skipBelow: 0.03 },
    calibration: { ...DEFAULT_CALIBRATION, smallDocs: 100, maxHeldOut: 20 },
  });

  it('is held to the same error rates as the dense one on questions it never saw (CLINC150 val + oos_val)', () => {
    const s = judge(sparse);
    const d = judge(new FaqIndex(entries));
    expect(s.wrong).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxWrong + 0.01);
    expect(s.oosAnswered).toBeLessThanOrEqual(DEFAULT_CALIBRATION.maxOosAnswered + 0.03);
    // Candidates and sparse weights may rank a little differently; the share answered right stays close.
    expect(s.right).toBeGreaterThanOrEqual(d.right - 0.08);
  });

  it('answers the same after being handed over as data and typed arrays', () => {
    const questions = data.val!.slice(0, 200).map(([text]) => text);
    const before = questions.map((q) => sparse.match(q));
    const { state, transfer } = new FaqIndex(entries, new Map(), { denseUpTo: 0, calibrate: false }).state();
    const built = FaqIndex.fromState(structuredClone(state, { transfer }));
    const again = FaqIndex.fromState(structuredClone(sparse.state().state));
    expect(again.threshold('en')).toBe(sparse.threshold('en'));
    questions.forEach((q, i) => expect(again.match(q), q).toEqual(before[i]));
    // Transferred, the arrays now belong to the copy, which still answers.
    expect(built.match(questions[0]!).candidates.length).toBeGreaterThan(0);
  });
});

describe('feature ids', () => {
  // Made-up words: every one brings its own character n-grams, so a few hundred entries pass
  // the 65,536 features that 16-bit ids can name.
  const rnd = seededRandom(7);
  const word = () => Array.from({ length: 9 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)]).join('');
  const made = (n: number): FaqEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `e${i}`,
      locale: 'en',
      questions: [0, 1].map(() => Array.from({ length: 5 }, word).join(' ')),
      answer: `answer ${i}`,
      tags: [],
    }));

  it('are 16-bit for a vocabulary of up to 65,536 features and 32-bit past it, answering the same way', () => {
    for (const [n, wide] of [
      [40, false],
      [500, true],
    ] as const) {
      const kb = made(n);
      const index = new FaqIndex(kb, new Map(), { calibrate: false });
      const { state } = index.state();
      expect(state.vocabulary.length > 65_536, `${n} entries`).toBe(wide);
      expect(state.model.docIdx).toBeInstanceOf(wide ? Int32Array : Uint16Array);
      for (const e of kb.slice(0, 40)) expect(index.match(e.questions[1]!).candidates[0]?.entryId).toBe(e.id);
    }
  });
});
