/** Scores of one system on one labelled question set, at a given confidence threshold. */
import type { Question } from './datasets.js';

export interface Prediction {
  question: Question;
  intent: string | null;
  confidence: number;
  ms: number;
}

export interface Figures {
  inScopeAccuracy: number;
  oosRecall: number;
  oosPrecision: number;
  wrongAnswerRate: number;
  auroc: number;
  top1: number;
}

export function figures(preds: Prediction[], threshold: number): Figures {
  let inScope = 0,
    correct = 0,
    wrong = 0,
    top1 = 0,
    oos = 0,
    oosRejected = 0,
    rejected = 0;
  for (const p of preds) {
    const answered = p.intent !== null && p.confidence >= threshold;
    if (!answered) rejected++;
    if (p.question.intent === null) {
      oos++;
      if (!answered) oosRejected++;
      continue;
    }
    inScope++;
    if (p.intent === p.question.intent) top1++;
    if (answered && p.intent === p.question.intent) correct++;
    if (answered && p.intent !== p.question.intent) wrong++;
  }
  return {
    inScopeAccuracy: correct / inScope,
    oosRecall: oos ? oosRejected / oos : NaN,
    oosPrecision: rejected ? oosRejected / rejected : NaN,
    wrongAnswerRate: wrong / inScope,
    auroc: auroc(preds),
    top1: top1 / inScope,
  };
}

/** Probability that an in-scope question gets a higher confidence than an out-of-scope one. */
export function auroc(preds: Prediction[]): number {
  const sorted = [...preds].sort((a, b) => a.confidence - b.confidence);
  let rankSum = 0,
    pos = 0,
    neg = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.confidence === sorted[i]!.confidence) j++;
    const midRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.question.intent !== null) {
        rankSum += midRank;
        pos++;
      } else neg++;
    }
    i = j;
  }
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

/**
 * The threshold rule, the same for every system: maximise in-scope accuracy + out-of-scope
 * recall on the validation predictions (each counted as a share, so the small out-of-scope
 * set weighs as much as the large in-scope one).
 */
export function pickThreshold(...sets: Prediction[][]): number {
  const values = [...new Set(sets.flat().map((p) => p.confidence))].sort((a, b) => a - b);
  let best = 0,
    bestScore = -Infinity;
  for (const t of [0, ...values]) {
    // With several sets (one per dataset), each counts equally.
    const score = sets.reduce((sum, preds) => {
      const f = figures(preds, t);
      return sum + f.inScopeAccuracy + f.oosRecall;
    }, 0);
    if (score > bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
