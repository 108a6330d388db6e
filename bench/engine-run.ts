/**
 * switchboard's engine judged on its own decisions (answer, offer choices, hand off) rather
 * than on a threshold the benchmark picks: what a customer would see.
 */
import type { FaqEntry } from '../src/faq/entry.js';
import { FaqIndex, type EngineOptions } from '../src/faq/faq-index.js';
import type { Question, Run } from './datasets.js';
import { auroc, type Prediction } from './metrics.js';

export interface Decisions {
  /** Shares of in-scope questions: answered right, answered wrong, right entry answered or offered as a choice. */
  right: number;
  wrong: number;
  rightOrOffered: number;
  /** Shares of out-of-scope questions: answered at all, and given choices. */
  oosAnswered: number;
  oosOffered: number;
  /** Multi-class MCC with "out of scope" as one more class (HINT3's headline figure). */
  mcc: number;
  /** All questions answered right or correctly handed off (HINT3's accuracy). */
  overall: number;
  /** Threshold-free: best candidate right (in-scope), and how well confidence ranks in-scope above out-of-scope. */
  top1: number;
  auroc: number;
  threshold: number;
  buildMs: number;
  ms: number[];
}

export function decide(run: Run, locale: string, opts: Partial<EngineOptions> = {}): Decisions {
  const faq: FaqEntry[] = [...run.entries].map(([id, questions]) => ({ id, locale, questions, answer: '', tags: [] }));
  return decideEntries(faq, run.questions, locale, opts);
}

/** The same with full entries (answers and tags count), e.g. a real knowledge base. */
export function decideEntries(
  faq: FaqEntry[],
  questions: Question[],
  locale: string | undefined,
  opts: Partial<EngineOptions> = {},
): Decisions {
  const t0 = performance.now();
  const index = new FaqIndex(faq, new Map(), opts);
  const buildMs = performance.now() - t0;
  const run = { questions };
  let inScope = 0,
    right = 0,
    wrong = 0,
    offered = 0,
    oos = 0,
    oosAnswered = 0,
    oosOffered = 0;
  const ms: number[] = [];
  const truth: (string | null)[] = [];
  const said: (string | null)[] = [];
  const scored: Prediction[] = [];
  let top1 = 0;
  for (const q of run.questions) {
    const start = performance.now();
    const r = index.match(q.text, { locale });
    ms.push(performance.now() - start);
    truth.push(q.intent);
    said.push(r.answered ? r.entryId : null);
    scored.push({ question: q, intent: r.candidates[0]?.entryId ?? null, confidence: r.confidence, ms: 0 });
    if (q.intent !== null && r.candidates[0]?.entryId === q.intent) top1++;
    if (q.intent === null) {
      oos++;
      if (r.answered) oosAnswered++;
      else if ((r.suggestions ?? []).length > 0) oosOffered++;
      continue;
    }
    inScope++;
    if (r.answered && r.entryId === q.intent) right++;
    else if (r.answered) wrong++;
    if ((r.answered && r.entryId === q.intent) || (!r.answered && (r.suggestions ?? []).includes(q.intent))) offered++;
  }
  const agree = truth.filter((t, i) => t === said[i]).length;
  return {
    right: right / inScope,
    wrong: wrong / inScope,
    rightOrOffered: offered / inScope,
    oosAnswered: oos ? oosAnswered / oos : NaN,
    oosOffered: oos ? oosOffered / oos : NaN,
    mcc: mcc(truth, said),
    overall: agree / truth.length,
    top1: top1 / inScope,
    auroc: auroc(scored),
    threshold: index.threshold(locale),
    buildMs,
    ms,
  };
}

/** Gorodkin's multi-class Matthews correlation, null (out of scope) being a class like the others. */
export function mcc(truth: (string | null)[], said: (string | null)[]): number {
  const key = (v: string | null) => v ?? '\0oos';
  const t = new Map<string, number>(),
    p = new Map<string, number>();
  let c = 0;
  truth.forEach((v, i) => {
    t.set(key(v), (t.get(key(v)) ?? 0) + 1);
    p.set(key(said[i]!), (p.get(key(said[i]!)) ?? 0) + 1);
    if (key(v) === key(said[i]!)) c++;
  });
  const s = truth.length;
  let pt = 0,
    pp = 0,
    tt = 0;
  for (const k of new Set([...t.keys(), ...p.keys()])) {
    pt += (p.get(k) ?? 0) * (t.get(k) ?? 0);
    pp += (p.get(k) ?? 0) ** 2;
    tt += (t.get(k) ?? 0) ** 2;
  }
  const den = Math.sqrt(s * s - pp) * Math.sqrt(s * s - tt);
  return den === 0 ? 0 : (c * s - pt) / den;
}

export type { Question };
