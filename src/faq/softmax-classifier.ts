/**
 * Multinomial logistic regression over sparse TF-IDF vectors, trained by SGD. It weighs
 * every example question of an entry against all the others, so words that tell entries
 * apart count and words every entry shares ("how", "can I", "我") do not.
 */
import type { SparseVector } from './vectorizer.js';

export interface TrainOptions {
  /** Few passes on purpose: stopping early is what keeps the weights small (no L2 term needed). */
  epochs: number;
  learningRate: number;
  /** Classes whose gradient is below this are not updated for an example: nearly all of them, so training is fast. */
  skipBelow: number;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, learningRate: 0.8, skipBelow: 1e-3 };

export class SoftmaxClassifier {
  private readonly w: Float32Array;
  private readonly bias: Float32Array;
  /**
   * Per feature, the classes whose weight for it was ever updated: with hundreds of entries
   * nearly all weights stay zero, and summing only the others keeps a 1,000-entry index fast.
   */
  private readonly touched: number[][];
  private readonly isTouched: Uint8Array;

  constructor(
    readonly classes: number,
    readonly dims: number,
    examples: readonly { x: SparseVector; y: number; weight?: number }[],
    opts: TrainOptions = DEFAULT_TRAIN,
  ) {
    this.w = new Float32Array(dims * classes);
    this.bias = new Float32Array(classes);
    this.touched = Array.from({ length: dims }, () => []);
    this.isTouched = new Uint8Array(dims * classes);
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
        this.probabilities(x, p);
        p[y]! -= 1;
        let n = 0;
        for (let c = 0; c < classes; c++) if (Math.abs(p[c]!) > opts.skipBelow) active[n++] = c;
        for (let k = 0; k < x.index.length; k++) {
          const row = x.index[k]! * classes;
          const v = x.value[k]! * lr;
          for (let a = 0; a < n; a++) {
            const c = active[a]!;
            this.w[row + c]! -= v * p[c]!;
            if (!this.isTouched[row + c]) {
              this.isTouched[row + c] = 1;
              this.touched[x.index[k]!]!.push(c);
            }
          }
        }
        // A slow bias: entries with many examples should not win on priors alone.
        for (let a = 0; a < n; a++) this.bias[active[a]!]! -= lr * 0.1 * p[active[a]!]!;
      }
    }
  }

  /** Writes P(class | x) into `out` and returns it. */
  probabilities(x: SparseVector, out = new Float64Array(this.classes)): Float64Array {
    const classes = this.classes;
    for (let c = 0; c < classes; c++) out[c] = this.bias[c]!;
    for (let k = 0; k < x.index.length; k++) {
      const row = x.index[k]! * classes;
      const v = x.value[k]!;
      const touched = this.touched[x.index[k]!]!;
      for (let t = 0; t < touched.length; t++) {
        const c = touched[t]!;
        out[c]! += v * this.w[row + c]!;
      }
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, out[c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c]! - max);
    for (let c = 0; c < classes; c++) out[c]! /= sum;
    return out;
  }
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffle(a: number[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
