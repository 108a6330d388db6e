/**
 * TF-IDF over the features of the example questions: sublinear term frequency, smoothed IDF,
 * a weight per feature kind, unit length. Features never seen in an example are dropped.
 */
import type { Features } from './tokenize.js';

/**
 * Feature ids: 16-bit when the vocabulary has at most 65,536 features (the knowledge base's
 * document vectors are most of an index's memory; half the bytes for their ids), else 32-bit.
 */
export type FeatureIds = Int32Array | Uint16Array;

export interface SparseVector {
  index: FeatureIds;
  value: Float32Array;
}

/** Relative weight of each feature kind (the prefix before ":", see tokenize.ts), tuned on validation data. */
export type KindWeights = Record<string, number>;

export const DEFAULT_KIND_WEIGHTS: KindWeights = { w: 0.8, b: 0.6, c: 0.5, h: 1.5, u: 2.5 };

export class Vectorizer {
  private readonly ids = new Map<string, number>();
  private readonly weight: number[] = [];

  constructor(docs: readonly Features[], kinds: KindWeights = DEFAULT_KIND_WEIGHTS) {
    const df = new Map<string, number>();
    for (const doc of docs) for (const key of doc.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const n = docs.length;
    for (const [key, count] of df) {
      const kind = kinds[key.slice(0, key.indexOf(':'))] ?? 1;
      if (kind === 0) continue;
      this.ids.set(key, this.weight.length);
      this.weight.push(kind * (Math.log((n + 1) / (count + 1)) + 1));
    }
  }

  get size(): number {
    return this.weight.length;
  }

  vector(doc: Features): SparseVector {
    const pairs: [number, number][] = [];
    let norm = 0;
    for (const [key, tf] of doc) {
      const id = this.ids.get(key);
      if (id === undefined) continue;
      const v = (1 + Math.log(tf)) * this.weight[id]!;
      pairs.push([id, v]);
      norm += v * v;
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return {
      index: Int32Array.from(pairs, (p) => p[0]),
      value: Float32Array.from(pairs, (p) => p[1] * scale),
    };
  }
}
