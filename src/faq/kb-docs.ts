/**
 * The knowledge base's documents (example questions, answer sentences, tag lines) as a few
 * arrays, with no object per document: at 100,000 documents the objects, and an array or view
 * per document, cost more than the features themselves. Document d's features are
 * ids/tf[start[d]…start[d + 1]) (ids ascending). Every model keeps its documents' vectors in this
 * same layout, so `ids` is also their feature index (faq-model.ts) and is never copied.
 */
import type { TermDoc, Vocabulary } from './term-vectors.js';
import type { Features } from './tokenize.js';
import type { FeatureIds } from './vectorizer.js';

export interface KbDocs {
  count: number;
  start: Int32Array;
  ids: FeatureIds;
  /**
   * The counts above 1, as positions in `ids` (ascending) and counts: nearly every count is 1
   * (96 % of the features of 100,000 questions), and a count per feature took a fifth of the
   * build's arrays.
   */
  repeatAt: Int32Array;
  repeatCount: Uint16Array;
  /** The entry of each document. */
  y: Int32Array;
  /** Training weight: 1 for an example question, the answer weight for evidence. */
  weight: Float64Array;
  /** Index into `locales` (in the order they first appear). */
  locale: Uint16Array;
  locales: string[];
  /** 1 for example questions (only those are left out by calibration). */
  question: Uint8Array;
}

/** One document to add: its features are computed on demand (twice, see collectDocs). */
export interface DocSource {
  features: () => Features;
  y: number;
  weight: number;
  locale: string;
  question: boolean;
}

/**
 * Two passes over the documents: the first interns the features and counts them, the second
 * computes them again and writes them into arrays of their final size. Growing the arrays as
 * they filled, or copying chunks into one, held up to twice the features at once; computing them
 * again costs a few per cent of the build. Evidence with no known feature is no document.
 */
export function collectDocs(each: (visit: (doc: DocSource) => void) => void, vocab: Vocabulary): KbDocs {
  const lengths: number[] = [];
  const y: number[] = [];
  const weight: number[] = [];
  const locale: number[] = [];
  const question: number[] = [];
  const locales: string[] = [];
  // At most: counts of features of an ignored kind are counted too.
  let repeats = 0;
  each((doc) => {
    const f = doc.features();
    const n = vocab.add(f);
    if (n === 0 && !doc.question) return;
    for (const c of f.values()) if (c > 1) repeats++;
    let l = locales.indexOf(doc.locale);
    if (l < 0) l = locales.push(doc.locale) - 1;
    lengths.push(n);
    y.push(doc.y);
    weight.push(doc.weight);
    locale.push(l);
    question.push(doc.question ? 1 : 0);
  });
  const count = lengths.length;
  const start = new Int32Array(count + 1);
  for (let d = 0; d < count; d++) start[d + 1] = start[d]! + lengths[d]!;
  // The first pass interned every feature, so the vocabulary's size is final here.
  const ids: FeatureIds = vocab.size <= 65536 ? new Uint16Array(start[count]!) : new Int32Array(start[count]!);
  const repeatAt = new Int32Array(repeats);
  const repeatCount = new Uint16Array(repeats);
  let tf = new Uint16Array(256);
  let d = 0;
  let r = 0;
  each((doc) => {
    const f = doc.features();
    if (tf.length < f.size) tf = new Uint16Array(f.size * 2);
    // Evidence without features writes nothing and is skipped, as in the first pass.
    const n = d < count ? vocab.write(f, ids, start[d]!, tf) : 0;
    if (n === 0 && !doc.question) return;
    if (d >= count || n !== lengths[d]) throw new Error('FAQ documents changed between the two passes');
    for (let k = 0; k < n; k++) {
      if (tf[k] === 1) continue;
      repeatAt[r] = start[d]! + k;
      repeatCount[r++] = tf[k]!;
    }
    d++;
  });
  return {
    count,
    start,
    ids,
    repeatAt: repeatAt.subarray(0, r),
    repeatCount: repeatCount.subarray(0, r),
    y: Int32Array.from(y),
    weight: Float64Array.from(weight),
    locale: Uint16Array.from(locale),
    locales,
    question: Uint8Array.from(question),
  };
}

/** Document d's features (to ask a model a left-out question). */
export function docFeatures(docs: KbDocs, d: number): TermDoc {
  const [from, to] = [docs.start[d]!, docs.start[d + 1]!];
  const tf = new Uint16Array(to - from).fill(1);
  for (let r = firstRepeat(docs, from); r < docs.repeatAt.length && docs.repeatAt[r]! < to; r++)
    tf[docs.repeatAt[r]! - from] = docs.repeatCount[r]!;
  return { ids: docs.ids.subarray(from, to), tf };
}

/** The first repeated count at or after position `at` of `ids` (a binary search). */
export function firstRepeat(docs: KbDocs, at: number): number {
  const a = docs.repeatAt;
  let [lo, hi] = [0, a.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
