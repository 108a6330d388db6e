/**
 * The classifier of a large knowledge base (hundreds to tens of thousands of entries): the same
 * multinomial logistic regression as softmax-classifier.ts, made to grow with what a question
 * touches instead of entries × features.
 *
 * - Sparse weights: an entry has weights only for the features of its own documents (its
 *   support), kept in one flat array per entry sorted by feature id.
 * - A candidate pre-filter: an inverted index from feature to the entries whose documents hold
 *   it (with the feature's largest TF-IDF value among them) gives each question its few dozen
 *   closest entries; the softmax is computed over those, every other entry counting with its
 *   bias alone (sampled softmax). Features held by a large share of the entries ("how", "can
 *   i") are skipped when looking up candidates — they tell entries apart least — unless the
 *   question has nothing else.
 * - Training steps look only at the candidates of the example, found once before the epochs.
 */
import type { TrainOptions } from './softmax-classifier.js';
import type { FeatureIds, SparseVector } from './vectorizer.js';
import { seededRandom, shuffle } from './seeded-random.js';

export interface CandidateOptions {
  /** Entries the softmax is computed over, per question. */
  candidates: number;
  /** A feature held by more than this share of the entries (and more than minPosting) is skipped when looking up candidates. */
  postingShare: number;
  minPosting: number;
  /**
   * Replaces TrainOptions.skipBelow: with a thousand entries a candidate's probability is rarely
   * below 0.001, and updating every candidate of every example is most of the training time.
   * Chosen on CLINC150 `val` (1,000 × 10 questions, top-1 right intent: 0.001 → 90.2 %, 0.01 → 90.5 %, 0.03 → 90.8 %).
   */
  skipBelow: number;
}

export const DEFAULT_CANDIDATES: CandidateOptions = { candidates: 16, postingShare: 0.05, minPosting: 64, skipBelow: 0.03 };

/** The classifier's arrays, as handed from the worker that trained it. */
export interface SparseSoftmaxState {
  kind: 'sparse';
  classes: number;
  dims: number;
  opts: CandidateOptions;
  classStart: Int32Array;
  /**
   * 16-bit up to 65,536 features, as postClass up to 65,536 entries: at 10,000 entries × 10
   * questions each is 9 MB less than 32-bit, of a build peak just under 300 MB.
   */
  classFeat: Uint16Array | Int32Array;
  w: Float32Array;
  bias: Float32Array;
  featStart: Int32Array;
  postClass: Uint16Array | Int32Array;
  postVal: Float32Array;
}

/**
 * Training examples without an object each: example i is document doc[i], whose vector is
 * index/value[start[doc[i]]…start[doc[i] + 1]), of entry y[i] and training weight weight[i].
 */
export interface Examples {
  index: FeatureIds;
  value: Float32Array;
  start: Int32Array;
  doc: Int32Array;
  y: Int32Array;
  weight: Float64Array;
}

export class SparseSoftmax {
  private readonly s: SparseSoftmaxState;
  private readonly sumExpBias: { value: number };
  private readonly cap: number;
  // Scratch, reused by every call (one question at a time).
  private readonly xs: Float32Array;
  private readonly acc: Float32Array;
  private readonly seen: Int32Array;
  private readonly logits: Float64Array;

  static train(
    classes: number,
    dims: number,
    examples: Examples,
    opts: TrainOptions,
    copts: CandidateOptions = DEFAULT_CANDIDATES,
    room = 0,
  ): SparseSoftmax {
    const model = new SparseSoftmax(support(classes, dims, examples, copts, room));
    model.fit(examples, { ...opts, skipBelow: copts.skipBelow });
    return model;
  }

  constructor(state: SparseSoftmaxState) {
    this.s = state;
    let sum = 0;
    for (let c = 0; c < state.classes; c++) sum += Math.exp(state.bias[c]!);
    this.sumExpBias = { value: sum };
    this.cap = Math.max(state.opts.minPosting, Math.ceil(state.opts.postingShare * state.classes));
    this.xs = new Float32Array(state.dims);
    this.acc = new Float32Array(state.classes);
    this.seen = new Int32Array(state.classes);
    this.logits = new Float64Array(state.opts.candidates + 1);
  }

  get state(): SparseSoftmaxState {
    return this.s;
  }

  /** Arrays to transfer (not copy) to another thread. */
  get buffers(): ArrayBuffer[] {
    const s = this.s;
    return [s.classStart, s.classFeat, s.w, s.bias, s.featStart, s.postClass, s.postVal].map((a) => a.buffer as ArrayBuffer);
  }

  /**
   * The closest entries by the inverted index (at most `candidates`, best first), and
   * P(entry | x) for each into `p`. Returns how many were written into `out`.
   */
  scores(x: SparseVector, out: Int32Array, p: Float64Array): number {
    const n = this.candidatesFor(x.index, x.value, 0, x.index.length, out, -1);
    this.scatter(x.index, x.value, 0, x.index.length);
    this.softmax(out, n, p);
    this.unscatter(x.index, 0, x.index.length);
    return n;
  }

  /**
   * Training continued on more documents (the whole knowledge base after calibration trained on
   * it less a few left-out questions): weights carried over, the support and the inverted
   * index rebuilt, a few more epochs at the tail of the learning-rate schedule. Takes the
   * previous classifier from `from` and lets go of it before training, so the two are not
   * held at once longer than the copy of the weights.
   */
  static extend(from: { classifier?: SparseSoftmax }, examples: Examples, opts: TrainOptions, epochs: number): SparseSoftmax {
    const model = new SparseSoftmax(SparseSoftmax.carried(from, examples));
    model.fit(examples, { ...opts, epochs, skipBelow: model.s.opts.skipBelow }, opts.epochs / (opts.epochs + epochs));
    return model;
  }

  /** The support over `examples` with the weights of `from`'s classifier, which is let go. */
  private static carried(from: { classifier?: SparseSoftmax }, examples: Examples): SparseSoftmaxState {
    const p = from.classifier!.s;
    from.classifier = undefined;
    const s = support(p.classes, p.dims, examples, p.opts, 0, p);
    return s;
  }

  /**
   * SGD over each example's candidates. Candidates whose probability stayed below a quarter of
   * `skipBelow` (they get no update) are left out of the next epochs' softmax and counted with
   * their bias like every other entry, until every third epoch looks at all of them again.
   */
  private fit(examples: Examples, opts: TrainOptions, from = 0): void {
    const { candidates } = this.s.opts;
    const { classStart, classFeat, w, bias } = this.s;
    const { index, value, start, doc, y: label, weight: weights } = examples;
    const count = doc.length;
    // Each example's candidates, found once: `stride` slots each in one array, not an array each.
    const stride = candidates + 1;
    const lists = new Int32Array(count * stride);
    const listLength = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const d = doc[i]!;
      listLength[i] = this.candidatesFor(index, value, start[d]!, start[d + 1]!, lists, label[i]!, i * stride);
    }
    const live = new Uint32Array(count).fill(0xffffffff);
    const order = Array.from({ length: count }, (_, i) => i);
    const random = seededRandom(1);
    const p = new Float64Array(candidates + 1);
    const sub = new Int32Array(candidates + 1);
    const xs = this.xs;
    let step = 0;
    const total = Math.max(1, opts.epochs * count);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffle(order, random);
      const all = epoch % 3 === 0;
      for (const i of order) {
        const [y, weight, xFrom, xTo] = [label[i]!, weights[i]!, start[doc[i]!]!, start[doc[i]! + 1]!];
        const list = i * stride;
        const length = listLength[i]!;
        let n = 0;
        const mask = live[i]!;
        for (let j = 0; j < length; j++) if (all || mask & (1 << j)) sub[n++] = lists[list + j]!;
        const lr = (opts.learningRate * (1 - (from + ((1 - from) * step++) / total)) + 0.01) * weight;
        this.scatter(index, value, xFrom, xTo);
        this.softmax(sub, n, p);
        let keep = 0;
        for (let j = 0, k = 0; j < length; j++) {
          if (!(all || mask & (1 << j))) continue;
          const c = sub[k]!;
          const pc = p[k++]!;
          if (c === y || pc > opts.skipBelow / 4) keep |= 1 << j;
          const g = pc - (c === y ? 1 : 0);
          if (Math.abs(g) <= opts.skipBelow) continue;
          const delta = lr * g;
          for (let t = classStart[c]!, end = classStart[c + 1]!; t < end; t++) {
            // Unconditionally: most of the support is not in x (a zero), and the branch costs more than the write.
            w[t]! -= delta * xs[classFeat[t]!]!;
          }
          // A slow bias: entries with many examples should not win on priors alone.
          const before = bias[c]!;
          bias[c] = before - delta * 0.1;
          this.sumExpBias.value += Math.exp(bias[c]) - Math.exp(before);
        }
        live[i] = all ? keep : keep | (mask & ~0);
        this.unscatter(index, xFrom, xTo);
      }
    }
  }

  /** Softmax over the candidates, the other entries counting with their bias (x already scattered). */
  private softmax(cands: Int32Array, n: number, p: Float64Array): void {
    const { classStart, classFeat, w, bias } = this.s;
    const xs = this.xs;
    const logits = this.logits;
    let max = -Infinity;
    let candExpBias = 0;
    for (let j = 0; j < n; j++) {
      const c = cands[j]!;
      let sum = bias[c]!;
      for (let t = classStart[c]!, end = classStart[c + 1]!; t < end; t++) sum += xs[classFeat[t]!]! * w[t]!;
      logits[j] = sum;
      if (sum > max) max = sum;
      candExpBias += Math.exp(bias[c]!);
    }
    if (n === 0) return;
    let z = Math.max(0, this.sumExpBias.value - candExpBias) * Math.exp(-max);
    for (let j = 0; j < n; j++) z += p[j] = Math.exp(logits[j]! - max);
    for (let j = 0; j < n; j++) p[j]! /= z;
  }

  /**
   * Up to `candidates` entries sharing the most TF-IDF mass with x, best first, into `out`;
   * `force` (the example's own entry when training) is always among them.
   */
  private candidatesFor(index: FeatureIds, value: Float32Array, from: number, to: number, out: Int32Array, force: number, at = 0): number {
    const { featStart, postClass, postVal } = this.s;
    const acc = this.acc;
    const seen = this.seen;
    let n = 0;
    const add = (k: number) => {
      const v = value[k]!;
      const f = index[k]!;
      for (let t = featStart[f]!, end = featStart[f + 1]!; t < end; t++) {
        const c = postClass[t]!;
        if (acc[c] === 0) seen[n++] = c;
        acc[c]! += v * postVal[t]! + 1e-9;
      }
    };
    let skipped = false;
    for (let k = from; k < to; k++) {
      const f = index[k]!;
      if (featStart[f + 1]! - featStart[f]! > this.cap) skipped = true;
      else add(k);
    }
    if (n < this.s.opts.candidates && skipped) {
      for (let k = from; k < to; k++) {
        const f = index[k]!;
        if (featStart[f + 1]! - featStart[f]! > this.cap) add(k);
      }
    }
    // Top `candidates` by accumulated score, without sorting them all: a small sorted buffer.
    const limit = this.s.opts.candidates;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const c = seen[i]!;
      const v = acc[c]!;
      if (m === limit && v <= acc[out[at + m - 1]!]!) continue;
      let j = m < limit ? m++ : m - 1;
      while (j > 0 && acc[out[at + j - 1]!]! < v) {
        out[at + j] = out[at + j - 1]!;
        j--;
      }
      out[at + j] = c;
    }
    if (force >= 0) {
      let has = false;
      for (let j = 0; j < m; j++) if (out[at + j] === force) has = true;
      if (!has) out[at + (m < limit ? m++ : m - 1)] = force;
    }
    for (let i = 0; i < n; i++) acc[seen[i]!] = 0;
    return m;
  }

  private scatter(index: FeatureIds, value: Float32Array, from: number, to: number): void {
    for (let k = from; k < to; k++) this.xs[index[k]!] = value[k]!;
  }

  private unscatter(index: FeatureIds, from: number, to: number): void {
    for (let k = from; k < to; k++) this.xs[index[k]!] = 0;
  }
}

/**
 * Each entry's support (features of its documents, ascending) and the inverted index over it.
 * Counted first, then written straight into arrays of their final size (growing them as they
 * filled held twice their size at 100,000 documents, the peak of the whole build), with `room`
 * more features, so that extend can write a slightly larger support into them.
 *
 * With `prev`, a classifier trained on a subset of these examples, its weights are carried
 * over: every entry's support can only have grown, so each entry's weights move to the same or
 * a later place, and entries taken last to first are moved in its own arrays when they have
 * room (two supports are never held at once).
 */
function support(
  classes: number,
  dims: number,
  examples: Examples,
  opts: CandidateOptions,
  room: number,
  prev?: SparseSoftmaxState,
): SparseSoftmaxState {
  // The examples of each entry, by a counting sort.
  const { index, value, start, doc, y } = examples;
  const docStart = new Int32Array(classes + 1);
  for (let i = 0; i < y.length; i++) docStart[y[i]! + 1]!++;
  for (let c = 0; c < classes; c++) docStart[c + 1]! += docStart[c]!;
  // Each entry's examples as the range of their vectors.
  const from = new Int32Array(y.length);
  const to = new Int32Array(y.length);
  const at = docStart.slice(0, classes);
  for (let i = 0; i < y.length; i++) {
    const j = at[y[i]!]!++;
    from[j] = start[doc[i]!]!;
    to[j] = start[doc[i]! + 1]!;
  }
  // First pass: how many features each entry has and how many entries each feature.
  const last = new Int32Array(dims).fill(-1);
  const classStart = new Int32Array(classes + 1);
  const featStart = new Int32Array(dims + 1);
  const carry = prev !== undefined && prev.classes === classes;
  let grown = carry;
  for (let c = 0; c < classes; c++) {
    let n = 0;
    for (let d = docStart[c]!; d < docStart[c + 1]!; d++) {
      for (let k = from[d]!; k < to[d]!; k++) {
        const f = index[k]!;
        if (last[f] === c) continue;
        last[f] = c;
        n++;
        featStart[f + 1]!++;
      }
    }
    classStart[c + 1] = classStart[c]! + n;
    if (grown) for (let t = prev!.classStart[c]!; t < prev!.classStart[c + 1]!; t++) if (last[prev!.classFeat[t]!] !== c) grown = false;
  }
  for (let f = 0; f < dims; f++) featStart[f + 1]! += featStart[f]!;
  const nnz = classStart[classes]!;
  const fits = (a: Int32Array | Uint16Array | Float32Array) => a.buffer.byteLength - a.byteOffset >= nnz * a.BYTES_PER_ELEMENT;
  const inPlace = grown && fits(prev!.classFeat) && fits(prev!.w) && fits(prev!.postClass) && fits(prev!.postVal);
  const [classFeat, postClass] = [prev?.classFeat, prev?.postClass].map((a, i) => {
    const narrow = (i === 0 ? dims : classes) <= 65536;
    if (inPlace) return narrow ? new Uint16Array(a!.buffer, a!.byteOffset, nnz) : new Int32Array(a!.buffer, a!.byteOffset, nnz);
    return (narrow ? new Uint16Array(nnz + room) : new Int32Array(nnz + room)).subarray(0, nnz);
  }) as [Uint16Array | Int32Array, Uint16Array | Int32Array];
  const [w, postVal] = [prev?.w, prev?.postVal].map((a) =>
    inPlace ? new Float32Array(a!.buffer, a!.byteOffset, nnz) : new Float32Array(nnz + room).subarray(0, nnz),
  ) as [Float32Array, Float32Array];
  // Second pass, entries last to first: each entry's features in order (with the previous
  // weights, written from the end), and the postings filled from each feature's end.
  const fill = featStart.slice(1);
  const best = new Float32Array(dims);
  const touched: number[] = [];
  for (let c = classes - 1; c >= 0; c--) {
    for (let d = docStart[c]!; d < docStart[c + 1]!; d++) {
      for (let k = from[d]!; k < to[d]!; k++) {
        const f = index[k]!;
        if (last[f] !== -2 - c) {
          last[f] = -2 - c;
          touched.push(f);
        }
        if (value[k]! > best[f]!) best[f] = value[k]!;
      }
    }
    touched.sort((a, b) => a - b);
    // In place, the previous weights are read at a ≤ the place t written (the support only grew).
    let a = carry ? prev.classStart[c + 1]! - 1 : -1;
    const aStart = carry ? prev.classStart[c]! : 0;
    for (let j = touched.length - 1, t = classStart[c + 1]! - 1; j >= 0; j--, t--) {
      const f = touched[j]!;
      let carried = 0;
      while (a >= aStart && prev!.classFeat[a]! > f) a--;
      if (a >= aStart && prev!.classFeat[a] === f) carried = prev!.w[a--]!;
      classFeat[t] = f;
      w[t] = carried;
      const p = --fill[f]!;
      postClass[p] = c;
      postVal[p] = best[f]!;
      best[f] = 0;
    }
    touched.length = 0;
  }
  const bias = new Float32Array(classes);
  if (carry) bias.set(prev.bias);
  return { kind: 'sparse', classes, dims, opts, classStart, classFeat, w, bias, featStart, postClass, postVal };
}
