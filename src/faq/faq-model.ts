/**
 * What one training of the engine produces: the TF-IDF vocabulary, the classifier over entries
 * and each entry's examples for nearest-example similarity. The index trains one on the whole
 * knowledge base, and calibration trains more with some example questions left out.
 */
import type { FaqCandidate } from './matcher.js';
import { SoftmaxClassifier, type TrainOptions } from './softmax-classifier.js';
import type { Features } from './tokenize.js';
import { Vectorizer, type KindWeights, type SparseVector } from './vectorizer.js';

/** One training document: an example question (weight 1) or an answer sentence or tag line of entry `y`. */
export interface Doc {
  f: Features;
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
}

export class FaqModel {
  private readonly vectorizer: Vectorizer;
  private readonly classifier: SoftmaxClassifier;
  /** Per entry: its documents as vectors, with the weight their similarity counts with. */
  private readonly examples: { x: SparseVector; weight: number }[][];
  /** The question as a dense vector while its similarities are computed; all zeros otherwise. */
  private readonly scratch: Float64Array;

  constructor(
    private readonly ids: readonly string[],
    docs: readonly Doc[],
    private readonly opts: ModelOptions,
  ) {
    this.vectorizer = new Vectorizer(
      docs.map((d) => d.f),
      opts.kinds,
    );
    const examples = docs.map((d) => ({ x: this.vectorizer.vector(d.f), y: d.y, weight: d.weight }));
    this.classifier = new SoftmaxClassifier(ids.length, this.vectorizer.size, examples, opts.train);
    this.scratch = new Float64Array(this.vectorizer.size);
    this.examples = ids.map(() => []);
    for (const e of examples) this.examples[e.y]!.push({ x: e.x, weight: e.weight === 1 ? 1 : opts.answerSimilarity });
  }

  /**
   * Best entries first. Score: the classifier's probability rescaled so that "no idea" (the
   * same probability for every entry) is 0 whatever the number of entries, damped when the
   * question shares little with any example of the entry (without that, a knowledge base of
   * two entries would be at least 50 % sure of anything).
   */
  rank(f: Features): FaqCandidate[] {
    const x = this.vectorizer.vector(f);
    if (x.index.length === 0 || this.ids.length === 0) return [];
    const p = this.classifier.probabilities(x);
    const k = this.ids.length;
    const top = [...p.keys()].sort((a, b) => p[b]! - p[a]!).slice(0, this.opts.candidates);
    return top
      .map((c) => {
        const chance = k > 1 ? (p[c]! - 1 / k) / (1 - 1 / k) : 1;
        const nearest = this.nearestExample(x, c);
        return { entryId: this.ids[c]!, score: clamp01(chance * Math.min(1, nearest / this.opts.fullSimilarity)) };
      })
      .sort((a, b) => b.score - a.score);
  }

  /** Highest weighted cosine similarity between x and a document of class c. */
  private nearestExample(x: SparseVector, c: number): number {
    const scratch = this.scratch;
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = x.value[k]!;
    let best = 0;
    for (const { x: e, weight } of this.examples[c]!) {
      let sum = 0;
      for (let k = 0; k < e.index.length; k++) sum += scratch[e.index[k]!]! * e.value[k]!;
      if (sum * weight > best) best = sum * weight;
    }
    for (let k = 0; k < x.index.length; k++) scratch[x.index[k]!] = 0;
    return best;
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
