/**
 * Multinomial logistic regression over sparse TF-IDF vectors, trained by SGD. It weighs
 * every example question of an entry against all the others, so words that tell entries
 * apart count and words every entry shares ("how", "can I", "我") do not.
 */
import type { SparseVector } from './vectorizer.js';
import { seededRandom, shuffle } from './seeded-random.js';

export interface TrainOptions {
  /** Few passes on purpose: stopping early is what keeps the weights small (no L2 term needed). */
  epochs: number;
  learningRate: number;
  /** Classes whose gradient is below this are not updated for an example: nearly all of them, so training is fast. */
  skipBelow: number;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, learningRate: 0.8, skipBelow: 1e-3 };

/** The classifier's arrays, as handed from the worker that trained it. */
export interface DenseSoftmaxState {
  kind: 'dense';
  classes: number;
  dims: number;
  w: Float32Array;
  bias: Float32Array;
  /** Per feature f, the classes whose weight for it is not zero: touchClass[touchStart[f]…touchStart[f + 1]). */
  touchStart: Int32Array;
  touchClass: Int32Array;
}

/**
 * Weights for every (feature, entry): exact and fast for knowledge bases of up to a few hundred
 * entries; larger ones use sparse-softmax.ts.
 */
export class SoftmaxClassifier {
  readonly classes: number;
  private readonly w: Float32Array;
  private readonly bias: Float32Array;
  /**
   * Per feature, the classes whose weight for it was ever updated: with hundreds of entries
   * nearly all weights stay zero, and summing only the others keeps the index fast.
   */
  private touchStart: Int32Array;
  private touchClass: Int32Array;

  static train(
    classes: number,
    dims: number,
    examples: readonly { x: SparseVector; y: number; weight?: number }[],
    opts: TrainOptions = DEFAULT_TRAIN,
  ): SoftmaxClassifier {
    const w = new Float32Array(dims * classes);
    const bias = new Float32Array(classes);
    const touched: number[][] = Array.from({ length: dims }, () => []);
    const isTouched = new Uint8Array(dims * classes);
    const model = new SoftmaxClassifier({
      kind: 'dense',
      classes,
      dims,
      w,
      bias,
      touchStart: new Int32Array(dims + 1),
      touchClass: new Int32Array(0),
    });
    const order = examples.map((_, i) => i);
    const random = seededRandom(1);
    const p = new Float64Array(classes);
    const active = new Int32Array(classes);
    let step = 0;
    const total = Math.max(1, opts.epochs * examples.length);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffle(order, random);
      for (const i of order) {
        const { x, y, weight = 1 } = examples[i]!;
        const lr = (opts.learningRate * (1 - step++ / total) + 0.01) * weight;
        model.sum(x, p, touched);
        p[y]! -= 1;
        let n = 0;
        for (let c = 0; c < classes; c++) if (Math.abs(p[c]!) > opts.skipBelow) active[n++] = c;
        for (let k = 0; k < x.index.length; k++) {
          const row = x.index[k]! * classes;
          const v = x.value[k]! * lr;
          for (let a = 0; a < n; a++) {
            const c = active[a]!;
            w[row + c]! -= v * p[c]!;
            if (!isTouched[row + c]) {
              isTouched[row + c] = 1;
              touched[x.index[k]!]!.push(c);
            }
          }
        }
        // A slow bias: entries with many examples should not win on priors alone.
        for (let a = 0; a < n; a++) bias[active[a]!]! -= lr * 0.1 * p[active[a]!]!;
      }
    }
    let nnz = 0;
    for (let f = 0; f < dims; f++) model.touchStart[f + 1] = nnz += touched[f]!.length;
    model.touchClass = new Int32Array(nnz);
    for (let f = 0; f < dims; f++) model.touchClass.set(touched[f]!, model.touchStart[f]);
    return model;
  }

  constructor(private readonly s: DenseSoftmaxState) {
    this.classes = s.classes;
    this.w = s.w;
    this.bias = s.bias;
    this.touchStart = s.touchStart;
    this.touchClass = s.touchClass;
  }

  get state(): DenseSoftmaxState {
    return { ...this.s, touchStart: this.touchStart, touchClass: this.touchClass };
  }

  /** Arrays to transfer (not copy) to another thread. */
  get buffers(): ArrayBuffer[] {
    return [this.w, this.bias, this.touchStart, this.touchClass].map((a) => a.buffer as ArrayBuffer);
  }

  /** Writes P(class | x) into `out` and returns it. */
  probabilities(x: SparseVector, out: Float64Array = new Float64Array(this.classes)): Float64Array {
    const touchStart = this.touchStart;
    const touchClass = this.touchClass;
    const classes = this.classes;
    for (let c = 0; c < classes; c++) out[c] = this.bias[c]!;
    for (let k = 0; k < x.index.length; k++) {
      const f = x.index[k]!;
      const row = f * classes;
      const v = x.value[k]!;
      for (let t = touchStart[f]!, end = touchStart[f + 1]!; t < end; t++) {
        const c = touchClass[t]!;
        out[c]! += v * this.w[row + c]!;
      }
    }
    return softmaxInPlace(out, classes);
  }

  /** The same while training, over the growing per-feature class lists. */
  private sum(x: SparseVector, out: Float64Array, touched: readonly number[][]): void {
    const classes = this.classes;
    for (let c = 0; c < classes; c++) out[c] = this.bias[c]!;
    for (let k = 0; k < x.index.length; k++) {
      const row = x.index[k]! * classes;
      const v = x.value[k]!;
      const list = touched[x.index[k]!]!;
      for (let t = 0; t < list.length; t++) {
        const c = list[t]!;
        out[c]! += v * this.w[row + c]!;
      }
    }
    softmaxInPlace(out, classes);
  }
}

function softmaxInPlace(out: Float64Array, classes: number): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < classes; c++) out[c]! /= sum;
  return out;
}
