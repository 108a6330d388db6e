/**
 * Cosine similarity of a question to the closest example question of each entry, through an
 * inverted index. It says how near the customer came to something the FAQ was written for,
 * which the classifier alone cannot: its probabilities sum to one even for unrelated text.
 */
import type { SparseVector } from './vectorizer.js';

export class NearestExamples {
  private readonly postings = new Map<number, { doc: number; value: number }[]>();
  private readonly labels: Int32Array;

  constructor(
    readonly classes: number,
    examples: readonly { x: SparseVector; y: number }[],
  ) {
    this.labels = Int32Array.from(examples, (e) => e.y);
    examples.forEach(({ x }, doc) => {
      for (let k = 0; k < x.index.length; k++) {
        const id = x.index[k]!;
        let list = this.postings.get(id);
        if (!list) this.postings.set(id, (list = []));
        list.push({ doc, value: x.value[k]! });
      }
    });
  }

  /** Highest cosine similarity per class. */
  similarities(x: SparseVector): Float64Array {
    const dot = new Float64Array(this.labels.length);
    for (let k = 0; k < x.index.length; k++) {
      const list = this.postings.get(x.index[k]!);
      if (!list) continue;
      const v = x.value[k]!;
      for (const p of list) dot[p.doc]! += v * p.value;
    }
    const best = new Float64Array(this.classes);
    for (let doc = 0; doc < dot.length; doc++) {
      const y = this.labels[doc]!;
      if (dot[doc]! > best[y]!) best[y] = dot[doc]!;
    }
    return best;
  }
}
