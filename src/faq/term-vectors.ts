/**
 * The index's TF-IDF, over interned features: every feature string is kept once in a
 * vocabulary and documents are arrays of feature ids, so a 100,000-question knowledge base
 * does not hold 100,000 maps of strings. The weighting is vectorizer.ts's (sublinear term
 * frequency, smoothed IDF, a weight per feature kind, unit length); each model computes the
 * IDF over its own documents, so a feature seen only in left-out questions is dropped, as it
 * would be had the vocabulary been built without them.
 */
import type { Features } from './tokenize.js';
import { DEFAULT_KIND_WEIGHTS, type KindWeights, type SparseVector } from './vectorizer.js';

/** A document's features as ids (ascending) and counts. */
export interface TermDoc {
  ids: Int32Array;
  tf: Uint16Array;
}

/**
 * Knowledge-base documents are views into shared chunks rather than two arrays each: at
 * 100,000 documents the per-array bookkeeping of the engine would otherwise cost more than the
 * features themselves. Questions asked get arrays of their own (a chunk would outlive them).
 */
const CHUNK = 1 << 18;

/** Scratch of Vocabulary.doc. */
let packed = new Float64Array(256);

export class Vocabulary {
  private readonly index: Map<string, number>;
  /** Kind weight of each id (0: the kind is ignored). */
  private kind: Float64Array;
  private count: number;
  private chunk = { ids: new Int32Array(0), tf: new Uint16Array(0), used: 0 };

  constructor(
    private readonly kinds: KindWeights = DEFAULT_KIND_WEIGHTS,
    keys: readonly string[] = [],
  ) {
    this.index = new Map(keys.map((k, i) => [k, i]));
    this.count = keys.length;
    this.kind = new Float64Array(Math.max(1024, keys.length));
    keys.forEach((k, i) => (this.kind[i] = this.kindOf(k)));
  }

  get size(): number {
    return this.count;
  }

  kindWeight(id: number): number {
    return this.kind[id]!;
  }

  /** The features of a knowledge-base document, adding the new ones. */
  intern(f: Features): TermDoc {
    return this.doc(f, true);
  }

  /** The features of a question; those never seen in the knowledge base are dropped. */
  lookup(f: Features): TermDoc {
    return this.doc(f, false);
  }

  /** The feature strings in id order, to rebuild the vocabulary elsewhere (a worker's index). */
  keys(): string[] {
    return [...this.index.keys()];
  }

  private doc(f: Features, add: boolean): TermDoc {
    // (id, count) packed as id × 65536 + count, so sorting the numbers sorts by id without a pair each.
    if (packed.length < f.size) packed = new Float64Array(f.size * 2);
    let n = 0;
    for (const [key, count] of f) {
      let id = this.index.get(key);
      if (id === undefined) {
        if (!add) continue;
        id = this.count++;
        this.index.set(key, id);
        if (id >= this.kind.length) {
          const grown = new Float64Array(this.kind.length * 2);
          grown.set(this.kind);
          this.kind = grown;
        }
        this.kind[id] = this.kindOf(key);
      }
      packed[n++] = id * 65536 + Math.min(65535, count);
    }
    const sorted = packed.subarray(0, n).sort();
    let ids: Int32Array;
    let tf: Uint16Array;
    if (add) {
      let c = this.chunk;
      if (c.used + n > c.ids.length) {
        const size = Math.max(CHUNK, n);
        c = this.chunk = { ids: new Int32Array(size), tf: new Uint16Array(size), used: 0 };
      }
      ids = c.ids.subarray(c.used, c.used + n);
      tf = c.tf.subarray(c.used, c.used + n);
      c.used += n;
    } else {
      ids = new Int32Array(n);
      tf = new Uint16Array(n);
    }
    for (let k = 0; k < n; k++) {
      const v = sorted[k]!;
      ids[k] = Math.floor(v / 65536);
      tf[k] = v % 65536;
    }
    return { ids, tf };
  }

  /** Lets go of the chunk being filled, once the knowledge base's documents are interned. */
  release(): void {
    this.chunk = { ids: new Int32Array(0), tf: new Uint16Array(0), used: 0 };
  }

  private kindOf(key: string): number {
    return this.kinds[key.slice(0, key.indexOf(':'))] ?? 1;
  }
}

/** Unscaled values of the document being vectorized. */
let raw = new Float64Array(256);

export class TermVectorizer {
  /** Per feature id, kind × IDF over this model's documents; 0 for features it does not use. */
  readonly weight: Float64Array;

  constructor(weight: Float64Array) {
    this.weight = weight;
  }

  /** IDF over `docs` (the documents one model is trained on). */
  static fit(vocab: Vocabulary, docs: readonly TermDoc[]): TermVectorizer {
    const df = new Int32Array(vocab.size);
    for (const d of docs) for (let k = 0; k < d.ids.length; k++) df[d.ids[k]!]!++;
    const n = docs.length;
    const weight = new Float64Array(vocab.size);
    for (let id = 0; id < vocab.size; id++) {
      const kind = vocab.kindWeight(id);
      if (df[id]! > 0 && kind !== 0) weight[id] = kind * (Math.log((n + 1) / (df[id]! + 1)) + 1);
    }
    return new TermVectorizer(weight);
  }

  /** Number of feature ids (weights are indexed by them). */
  get size(): number {
    return this.weight.length;
  }

  /**
   * Writes the vector of `doc` into `index`/`value` from `at` (room for doc.ids.length entries,
   * the rest left zero) and returns how many it wrote: no array of its own per document.
   */
  vectorInto(doc: TermDoc, index: Int32Array, value: Float32Array, at: number): number {
    if (raw.length < doc.ids.length) raw = new Float64Array(doc.ids.length * 2);
    let m = 0;
    let norm = 0;
    for (let k = 0; k < doc.ids.length; k++) {
      const id = doc.ids[k]!;
      const w = id < this.weight.length ? this.weight[id]! : 0;
      if (w === 0) continue;
      const v = (1 + Math.log(doc.tf[k]!)) * w;
      index[at + m] = id;
      raw[m++] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < m; k++) value[at + k] = raw[k]! * scale;
    return m;
  }

  vector(doc: TermDoc): SparseVector {
    const n = doc.ids.length;
    const index = new Int32Array(n);
    const raw = new Float64Array(n);
    let m = 0;
    let norm = 0;
    for (let k = 0; k < n; k++) {
      const id = doc.ids[k]!;
      const w = id < this.weight.length ? this.weight[id]! : 0;
      if (w === 0) continue;
      const v = (1 + Math.log(doc.tf[k]!)) * w;
      index[m] = id;
      raw[m++] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const value = new Float32Array(m);
    for (let k = 0; k < m; k++) value[k] = raw[k]! * scale;
    return { index: index.slice(0, m), value };
  }
}
