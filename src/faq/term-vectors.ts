/**
 * The index's TF-IDF, over interned features: every feature string is kept once in a
 * vocabulary and documents are arrays of feature ids, so a 100,000-question knowledge base
 * does not hold 100,000 maps of strings. The weighting is vectorizer.ts's (sublinear term
 * frequency, smoothed IDF, a weight per feature kind, unit length); each model computes the
 * IDF over its own documents, so a feature seen only in left-out questions is dropped, as it
 * would be had the vocabulary been built without them.
 */
import { firstRepeat, type KbDocs } from './kb-docs.js';
import type { Features } from './tokenize.js';
import { DEFAULT_KIND_WEIGHTS, type FeatureIds, type KindWeights, type SparseVector } from './vectorizer.js';

/** A document's features as ids (ascending) and counts. */
export interface TermDoc {
  ids: FeatureIds;
  tf: Uint16Array;
}

/** Scratch of Vocabulary.doc. */
let packed = new Float64Array(256);

export class Vocabulary {
  private readonly index: Map<string, number>;
  /** Kind weight of each id (0: the kind is ignored). */
  private kind: Float64Array;
  private count: number;

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

  /**
   * Interns the features of a knowledge-base document and returns how many it has (those of an
   * ignored kind, weight 0, are not counted: no model would use them).
   */
  add(f: Features): number {
    let n = 0;
    for (const key of f.keys()) {
      // The id first: adding it may replace this.kind with a larger array.
      const id = this.id(key);
      if (this.kind[id] !== 0) n++;
    }
    return n;
  }

  /**
   * Writes the features of a document added before into `ids` from `at`, ascending, and their
   * counts into `tf` from 0 (room for f.size); returns how many.
   */
  write(f: Features, ids: FeatureIds, at: number, tf: Uint16Array): number {
    const n = this.pack(f, true);
    for (let k = 0; k < n; k++) {
      const v = packed[k]!;
      ids[at + k] = Math.floor(v / 65536);
      tf[k] = v % 65536;
    }
    return n;
  }

  /** The features of a question; those never seen in the knowledge base are dropped. */
  lookup(f: Features): TermDoc {
    return this.doc(f);
  }

  /** The feature strings in id order, to rebuild the vocabulary elsewhere (a worker's index). */
  keys(): string[] {
    return [...this.index.keys()];
  }

  private doc(f: Features): TermDoc {
    const n = this.pack(f, false);
    const ids = new Int32Array(n);
    const tf = new Uint16Array(n);
    for (let k = 0; k < n; k++) {
      const v = packed[k]!;
      ids[k] = Math.floor(v / 65536);
      tf[k] = v % 65536;
    }
    return { ids, tf };
  }

  /**
   * The known features of `f` into `packed`, sorted by id, as id × 65536 + count (sorting the
   * numbers sorts by id without a pair each); `known` leaves out those of an ignored kind.
   */
  private pack(f: Features, known: boolean): number {
    if (packed.length < f.size) packed = new Float64Array(f.size * 2);
    let n = 0;
    for (const [key, count] of f) {
      const id = this.index.get(key);
      if (id === undefined || (known && this.kind[id] === 0)) continue;
      packed[n++] = id * 65536 + Math.min(65535, count);
    }
    packed.subarray(0, n).sort();
    return n;
  }

  /** The id of a feature, added when new. */
  private id(key: string): number {
    let id = this.index.get(key);
    if (id !== undefined) return id;
    id = this.count++;
    this.index.set(key, id);
    if (id >= this.kind.length) {
      const grown = new Float64Array(this.kind.length * 2);
      grown.set(this.kind);
      this.kind = grown;
    }
    this.kind[id] = this.kindOf(key);
    return id;
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

  /** IDF over the documents one model is trained on: `docs` but those `leftOut` marks. */
  static fit(vocab: Vocabulary, docs: KbDocs, leftOut?: Uint8Array): TermVectorizer {
    const df = new Int32Array(vocab.size);
    const { start, ids } = docs;
    let n = 0;
    for (let d = 0; d < docs.count; d++) {
      if (leftOut?.[d]) continue;
      n++;
      for (let k = start[d]!; k < start[d + 1]!; k++) df[ids[k]!]!++;
    }
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
   * The vector values of document d of `docs` into `value`, at the places of its features (the
   * index of the vector is the documents' `ids` itself, none being dropped: a document's
   * features are all of this model's documents' and of a kind that counts).
   */
  valuesInto(docs: KbDocs, d: number, value: Float32Array): void {
    const { start, ids, repeatAt, repeatCount } = docs;
    const from = start[d]!;
    const n = start[d + 1]! - from;
    if (raw.length < n) raw = new Float64Array(n * 2);
    let norm = 0;
    let r = firstRepeat(docs, from);
    for (let k = 0; k < n; k++) {
      const id = ids[from + k]!;
      const w = id < this.weight.length ? this.weight[id]! : 0;
      const tf = r < repeatAt.length && repeatAt[r] === from + k ? repeatCount[r++]! : 1;
      const v = (1 + Math.log(tf)) * w;
      raw[k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < n; k++) value[from + k] = raw[k]! * scale;
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
