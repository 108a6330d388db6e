/**
 * The knowledge base's documents (example questions, answer sentences, tag lines) as a few
 * arrays, with no object per document: at 100,000 documents the objects, and an array or view
 * per document, cost more than the features themselves. Document d's features are
 * ids/tf[start[d]…start[d + 1]) (ids ascending). Every model keeps its documents' vectors in this
 * same layout, so `ids` is also their feature index (faq-model.ts) and is never copied.
 */
import type { TermDoc, Vocabulary } from './term-vectors.js';
import type { Features } from './tokenize.js';

export interface KbDocs {
  count: number;
  start: Int32Array;
  ids: Int32Array;
  tf: Uint16Array;
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
  each((doc) => {
    const n = vocab.add(doc.features());
    if (n === 0 && !doc.question) return;
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
  const ids = new Int32Array(start[count]!);
  const tf = new Uint16Array(start[count]!);
  let d = 0;
  each((doc) => {
    // Evidence without features writes nothing and is skipped, as in the first pass.
    const n = d < count ? vocab.write(doc.features(), ids, tf, start[d]!) : 0;
    if (n === 0 && !doc.question) return;
    if (d >= count || n !== lengths[d]) throw new Error('FAQ documents changed between the two passes');
    d++;
  });
  return {
    count,
    start,
    ids,
    tf,
    y: Int32Array.from(y),
    weight: Float64Array.from(weight),
    locale: Uint16Array.from(locale),
    locales,
    question: Uint8Array.from(question),
  };
}

/** Document d's features, as views (for asking a model a left-out question). */
export function docFeatures(docs: KbDocs, d: number): TermDoc {
  return { ids: docs.ids.subarray(docs.start[d], docs.start[d + 1]), tf: docs.tf.subarray(docs.start[d], docs.start[d + 1]) };
}
