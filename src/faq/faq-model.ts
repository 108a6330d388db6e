/**
 * What one training of the engine produces: the TF-IDF weights, the classifier over entries
 * and each entry's examples for nearest-example similarity. The index trains one on the whole
 * knowledge base, and calibration trains more with some example questions left out. Everything
 * is kept in typed arrays, so a model trained in a worker thread is handed over without a copy.
 */
import type { FaqCandidate } from './matcher.js';
import { SoftmaxClassifier, type DenseSoftmaxState, type TrainOptions } from './softmax-classifier.js';
import type { KbDocs } from './kb-docs.js';
import { DEFAULT_CANDIDATES, SparseSoftmax, type CandidateOptions, type Examples, type SparseSoftmaxState } from './sparse-softmax.js';
import { TermVectorizer, type TermDoc, type Vocabulary } from './term-vectors.js';
import type { FeatureIds, KindWeights, SparseVector } from './vectorizer.js';

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
  /** Entry c's documents are classDocs[classDocStart[c]…classDocStart[c + 1]). */
  classDocStart: Int32Array;
  classDocs: Int32Array;
  /**
   * Document d's vector: docIdx/docVal[docStart[d]…docStart[d + 1]), in the knowledge base's
   * layout (kb-docs.ts: docIdx is its feature ids). A document the model was not trained on
   * has docWeight 0.
   */
  docStart: Int32Array;
  docIdx: FeatureIds;
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
   * Trained on `docs` but those `leftOut` marks. `room`: the sparse classifier's arrays get room
   * for the left-out documents' features, so that extend can write the served model's into them.
   */
  static train(ids: readonly string[], docs: KbDocs, vocab: Vocabulary, opts: ModelOptions, leftOut?: Uint8Array, room = false): FaqModel {
    const { vectorizer, examples, model } = vectors(ids.length, docs, vocab, opts, leftOut);
    const k = ids.length;
    let extra = 0;
    if (room && leftOut) for (let d = 0; d < docs.count; d++) if (leftOut[d]) extra += docs.start[d + 1]! - docs.start[d]!;
    const classifier =
      k <= opts.denseUpTo
        ? SoftmaxClassifier.train(k, vectorizer.size, exampleObjects(examples), opts.train).state
        : SparseSoftmax.train(k, vectorizer.size, examples, opts.train, opts.sparse, extra).state;
    return new FaqModel(ids, { weight: vectorizer.weight, ...model, classifier }, opts);
  }

  /**
   * A sparse classifier's training continued on all of `docs` (a superset of its own): how the
   * index reuses the model calibration trained without a few left-out questions, instead of
   * training anew. Takes that model from `from` and lets go of it before training: its weights
   * are carried over and its documents' values written over with these, so two models are
   * never held at once.
   */
  static extend(
    ids: readonly string[],
    from: { fold?: FaqModel },
    docs: KbDocs,
    vocab: Vocabulary,
    opts: ModelOptions,
    epochs: number,
  ): FaqModel {
    const fold = from.fold!;
    from.fold = undefined;
    const previous = { classifier: fold.sparse };
    const { vectorizer, examples, model } = vectors(ids.length, docs, vocab, opts, undefined, fold.s.docVal);
    const classifier = SparseSoftmax.extend(previous, examples, opts.train, epochs).state;
    return new FaqModel(ids, { weight: vectorizer.weight, ...model, classifier }, opts);
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
    const own = [s.weight, s.classDocStart, s.classDocs, s.docStart, s.docIdx, s.docVal, s.docWeight].map((a) => a.buffer as ArrayBuffer);
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
      // No likelier than chance scores 0 whatever the similarity, which is then not worth computing.
      const nearest = chance > 0 ? this.nearestExample(x, c) : 0;
      out.push({ entryId: this.ids[c]!, score: clamp01(chance * Math.min(1, nearest / this.opts.fullSimilarity)) });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** Highest weighted cosine similarity between x and a document of class c. */
  private nearestExample(x: SparseVector, c: number): number {
    const { classDocStart, classDocs, docStart, docIdx, docVal, docWeight } = this.s;
    const scratch = this.scratch;
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = x.value[k]!;
    let best = 0;
    for (let j = classDocStart[c]!; j < classDocStart[c + 1]!; j++) {
      const d = classDocs[j]!;
      let sum = 0;
      for (let t = docStart[d]!; t < docStart[d + 1]!; t++) sum += scratch[docIdx[t]!]! * docVal[t]!;
      if (sum * docWeight[d]! > best) best = sum * docWeight[d]!;
    }
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = 0;
    return best;
  }
}

/**
 * The vectors of the documents `leftOut` does not mark, written into `values` (or a new array) in
 * the knowledge base's own layout, and the training examples over them, in the documents' order.
 */
function vectors(classes: number, docs: KbDocs, vocab: Vocabulary, opts: ModelOptions, leftOut?: Uint8Array, values?: Float32Array) {
  const vectorizer = TermVectorizer.fit(vocab, docs, leftOut);
  const kept = leftOut ? docs.count - leftOut.reduce((n, v) => n + v, 0) : docs.count;
  // Each entry's documents in the documents' order, by a counting sort.
  const classDocStart = new Int32Array(classes + 1);
  for (let d = 0; d < docs.count; d++) if (!leftOut?.[d]) classDocStart[docs.y[d]! + 1]!++;
  for (let c = 0; c < classes; c++) classDocStart[c + 1]! += classDocStart[c]!;
  const classDocs = new Int32Array(kept);
  const at = classDocStart.slice(0, classes);
  const docVal = values ?? new Float32Array(docs.ids.length);
  const docWeight = new Float32Array(docs.count);
  const examples: Examples = {
    index: docs.ids,
    value: docVal,
    start: docs.start,
    doc: new Int32Array(kept),
    y: new Int32Array(kept),
    weight: new Float64Array(kept),
  };
  for (let d = 0, i = 0; d < docs.count; d++) {
    if (leftOut?.[d]) {
      docVal.fill(0, docs.start[d], docs.start[d + 1]);
      continue;
    }
    vectorizer.valuesInto(docs, d, docVal);
    const y = docs.y[d]!;
    classDocs[at[y]!++] = d;
    docWeight[d] = docs.weight[d] === 1 ? 1 : opts.answerSimilarity;
    examples.doc[i] = d;
    examples.y[i] = y;
    examples.weight[i++] = docs.weight[d]!;
  }
  const model = { classDocStart, classDocs, docStart: docs.start, docIdx: docs.ids, docVal, docWeight };
  return { vectorizer, examples, model };
}

/** The examples as objects, for the dense classifier (a knowledge base of a few hundred entries). */
function exampleObjects(e: Examples): { x: SparseVector; y: number; weight: number }[] {
  return Array.from(e.doc, (d, i) => {
    const [from, to] = [e.start[d]!, e.start[d + 1]!];
    return { x: { index: e.index.subarray(from, to), value: e.value.subarray(from, to) }, y: e.y[i]!, weight: e.weight[i]! };
  });
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
