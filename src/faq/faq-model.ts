/**
 * What one training of the engine produces: the TF-IDF weights, the classifier over entries
 * and each entry's examples for nearest-example similarity. The index trains one on the whole
 * knowledge base, and calibration trains more with some example questions left out. Everything
 * is kept in typed arrays, so a model trained in a worker thread is handed over without a copy.
 */
import type { FaqCandidate } from './matcher.js';
import { SoftmaxClassifier, type DenseSoftmaxState, type TrainOptions } from './softmax-classifier.js';
import { DEFAULT_CANDIDATES, SparseSoftmax, type CandidateOptions, type SparseSoftmaxState } from './sparse-softmax.js';
import { TermVectorizer, type TermDoc, type Vocabulary } from './term-vectors.js';
import type { KindWeights, SparseVector } from './vectorizer.js';

/** One training document: an example question (weight 1) or an answer sentence or tag line of entry `y`. */
export interface Doc {
  t: TermDoc;
  y: number;
  weight: number;
}

export interface ModelOptions {
  /** Below this cosine similarity to the entry's closest example, confidence is scaled down. */
  fullSimilarity: number;
  candidates: number;
  /** How much a question's similarity to an answer sentence counts against its similarity to an example question. */
  answerSimilarity: number;
  kinds: KindWeights;
  train: TrainOptions;
  /**
   * Up to this many entries the classifier has a weight for every (feature, entry) and a softmax
   * over all entries; above, sparse weights and a softmax over each question's candidates.
   */
  denseUpTo: number;
  sparse: CandidateOptions;
}

export const DEFAULT_DENSE_UP_TO = 256;
export { DEFAULT_CANDIDATES };

/** A trained model as plain data (typed arrays), to move it between threads. */
export interface ModelState {
  weight: Float64Array;
  /** Documents ordered by entry: entry c's are classDocStart[c]…classDocStart[c + 1]. */
  classDocStart: Int32Array;
  /** Document d's vector: docIdx/docVal[docStart[d]…docStart[d + 1]). */
  docStart: Int32Array;
  docIdx: Int32Array;
  docVal: Float32Array;
  docWeight: Float32Array;
  classifier: DenseSoftmaxState | SparseSoftmaxState;
}

export class FaqModel {
  private readonly vectorizer: TermVectorizer;
  private readonly dense?: SoftmaxClassifier;
  private readonly sparse?: SparseSoftmax;
  private readonly s: ModelState;
  // Scratch, reused by every question.
  private readonly scratch: Float64Array;
  private readonly p: Float64Array;
  private readonly cands: Int32Array;
  private readonly top: Int32Array;
  private readonly topP: Float64Array;

  /**
   * `capacity`: room for this many features in the documents' arrays, more than these documents
   * need, so that extend can write the served model's documents into them.
   */
  static train(ids: readonly string[], docs: readonly Doc[], vocab: Vocabulary, opts: ModelOptions, capacity = 0): FaqModel {
    const { vectorizer, examples, docs: csr } = vectors(ids.length, docs, vocab, opts, capacity);
    const k = ids.length;
    const classifier =
      k <= opts.denseUpTo
        ? SoftmaxClassifier.train(k, vectorizer.size, examples, opts.train).state
        : SparseSoftmax.train(k, vectorizer.size, examples, opts.train, opts.sparse, Math.max(0, capacity - csr.docIdx.length)).state;
    return new FaqModel(ids, { weight: vectorizer.weight, ...csr, classifier }, opts);
  }

  /**
   * A sparse classifier's training continued on `docs` (a superset of its own): how the index
   * reuses the model calibration trained without a few left-out questions, instead of training
   * anew. Takes that model from `from` and lets go of it before training: its weights are
   * carried over and its documents' arrays reused for these documents, so two models are never
   * held at once.
   */
  static extend(
    ids: readonly string[],
    from: { fold?: FaqModel },
    docs: readonly Doc[],
    vocab: Vocabulary,
    opts: ModelOptions,
    epochs: number,
  ): FaqModel {
    const { vectorizer, examples, docs: csr, previous } = FaqModel.takeOver(ids, from, docs, vocab, opts);
    const classifier = SparseSoftmax.extend(previous, examples, opts.train, epochs).state;
    return new FaqModel(ids, { weight: vectorizer.weight, ...csr, classifier }, opts);
  }

  /** The documents' vectors written into `from`'s arrays, and its classifier; `from` is emptied. */
  private static takeOver(ids: readonly string[], from: { fold?: FaqModel }, docs: readonly Doc[], vocab: Vocabulary, opts: ModelOptions) {
    const fold = from.fold!;
    from.fold = undefined;
    return { ...vectors(ids.length, docs, vocab, opts, 0, fold.s), previous: { classifier: fold.sparse } };
  }

  /** The sparse classifier, for extend (undefined for a dense one). */
  get sparseClassifier(): SparseSoftmax | undefined {
    return this.sparse;
  }

  constructor(
    private readonly ids: readonly string[],
    state: ModelState,
    private readonly opts: ModelOptions,
  ) {
    this.s = state;
    this.vectorizer = new TermVectorizer(state.weight);
    if (state.classifier.kind === 'dense') this.dense = new SoftmaxClassifier(state.classifier);
    else this.sparse = new SparseSoftmax(state.classifier);
    this.scratch = new Float64Array(this.vectorizer.size);
    this.p = new Float64Array(this.dense ? ids.length : opts.sparse.candidates + 1);
    this.cands = new Int32Array(opts.sparse.candidates + 1);
    this.top = new Int32Array(opts.candidates);
    this.topP = new Float64Array(opts.candidates);
  }

  get state(): ModelState {
    return { ...this.s, classifier: this.dense?.state ?? this.sparse!.state };
  }

  /** Arrays to transfer (not copy) to another thread. */
  get buffers(): ArrayBuffer[] {
    const s = this.s;
    const own = [s.weight, s.classDocStart, s.docStart, s.docIdx, s.docVal, s.docWeight].map((a) => a.buffer as ArrayBuffer);
    return [...own, ...(this.dense?.buffers ?? this.sparse!.buffers)];
  }

  /**
   * Best entries first. Score: the classifier's probability rescaled so that "no idea" (the
   * same probability for every entry) is 0 whatever the number of entries, damped when the
   * question shares little with any example of the entry (without that, a knowledge base of
   * two entries would be at least 50 % sure of anything).
   */
  rank(t: TermDoc): FaqCandidate[] {
    const x = this.vectorizer.vector(t);
    if (x.index.length === 0 || this.ids.length === 0) return [];
    const k = this.ids.length;
    const p = this.p;
    let n: number;
    let classOf: (j: number) => number;
    if (this.dense) {
      this.dense.probabilities(x, p);
      n = k;
      classOf = (j) => j;
    } else {
      n = this.sparse!.scores(x, this.cands, p);
      const cands = this.cands;
      classOf = (j) => cands[j]!;
    }
    // The best few without sorting every entry: a small buffer kept in order (ties: first seen first).
    const limit = this.opts.candidates;
    const top = this.top;
    const topP = this.topP;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const v = p[j]!;
      if (m === limit && v <= topP[m - 1]!) continue;
      let i = m < limit ? m++ : m - 1;
      while (i > 0 && topP[i - 1]! < v) {
        top[i] = top[i - 1]!;
        topP[i] = topP[i - 1]!;
        i--;
      }
      top[i] = classOf(j);
      topP[i] = v;
    }
    const out: FaqCandidate[] = [];
    for (let i = 0; i < m; i++) {
      const c = top[i]!;
      const chance = k > 1 ? (topP[i]! - 1 / k) / (1 - 1 / k) : 1;
      const nearest = this.nearestExample(x, c);
      out.push({ entryId: this.ids[c]!, score: clamp01(chance * Math.min(1, nearest / this.opts.fullSimilarity)) });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** Highest weighted cosine similarity between x and a document of class c. */
  private nearestExample(x: SparseVector, c: number): number {
    const { classDocStart, docStart, docIdx, docVal, docWeight } = this.s;
    const scratch = this.scratch;
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = x.value[k]!;
    let best = 0;
    for (let d = classDocStart[c]!; d < classDocStart[c + 1]!; d++) {
      let sum = 0;
      for (let t = docStart[d]!; t < docStart[d + 1]!; t++) sum += scratch[docIdx[t]!]! * docVal[t]!;
      if (sum * docWeight[d]! > best) best = sum * docWeight[d]!;
    }
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = 0;
    return best;
  }
}

/**
 * The documents' vectors, written straight into the arrays the model keeps (ordered by entry,
 * for nearest-example similarity); the training examples, in the documents' order, are views
 * into them.
 */
function vectors(
  classes: number,
  docs: readonly Doc[],
  vocab: Vocabulary,
  opts: ModelOptions,
  capacity: number,
  reuse?: { docIdx: Int32Array; docVal: Float32Array },
) {
  const vectorizer = TermVectorizer.fit(
    vocab,
    docs.map((d) => d.t),
  );
  const order = docs.map((_, i) => i).sort((a, b) => docs[a]!.y - docs[b]!.y || a - b);
  const classDocStart = new Int32Array(classes + 1);
  for (const d of docs) classDocStart[d.y + 1]!++;
  for (let c = 0; c < classes; c++) classDocStart[c + 1]! += classDocStart[c]!;
  // Room for every feature of each document; those the vectorizer drops leave zeros, which add nothing.
  const docStart = new Int32Array(docs.length + 1);
  order.forEach((i, d) => (docStart[d + 1] = docStart[d]! + docs[i]!.t.ids.length));
  const length = docStart[docs.length]!;
  let docIdx: Int32Array;
  let docVal: Float32Array;
  if (reuse && reuse.docIdx.buffer.byteLength >= length * 4 && reuse.docVal.buffer.byteLength >= length * 4) {
    docIdx = new Int32Array(reuse.docIdx.buffer, 0, length).fill(0);
    docVal = new Float32Array(reuse.docVal.buffer, 0, length).fill(0);
  } else {
    docIdx = new Int32Array(Math.max(length, capacity)).subarray(0, length);
    docVal = new Float32Array(docIdx.buffer.byteLength / 4).subarray(0, length);
  }
  const docWeight = new Float32Array(docs.length);
  const examples = new Array<{ x: SparseVector; y: number; weight: number }>(docs.length);
  order.forEach((i, d) => {
    const doc = docs[i]!;
    const at = docStart[d]!;
    const n = vectorizer.vectorInto(doc.t, docIdx, docVal, at);
    docWeight[d] = doc.weight === 1 ? 1 : opts.answerSimilarity;
    examples[i] = { x: { index: docIdx.subarray(at, at + n), value: docVal.subarray(at, at + n) }, y: doc.y, weight: doc.weight };
  });
  return { vectorizer, examples, docs: { classDocStart, docStart, docIdx, docVal, docWeight } };
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
