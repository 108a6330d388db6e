/**
 * Calibration from the knowledge base itself, when the index is built: models trained with some
 * example questions left out are asked those questions (the other entries' examples being the
 * near misses) and the background questions no shop answers (background/). The answer threshold
 * is the lowest confidence at which at most `maxWrong` of the left-out questions get a wrong
 * answer and at most `maxOosAnswered` of the background questions get any answer; the choices
 * threshold the lowest at which at most `maxOosOffered` of the background questions get choices
 * or an answer. So a knowledge base of 12 entries × 2 questions and one of 150 × 100 are held to
 * the same error rates, whatever their confidences look like.
 */
import { readFileSync } from 'node:fs';
import type { FaqModel } from './faq-model.js';
import { docFeatures, type KbDocs } from './kb-docs.js';
import type { FaqCandidate } from './matcher.js';
import type { TermDoc } from './term-vectors.js';
import { seededRandom, shuffle } from './seeded-random.js';

export interface CalibrationOptions {
  /** Share of (left-out) example questions allowed a wrong answer. */
  maxWrong: number;
  /** Share of background questions allowed an answer. */
  maxOosAnswered: number;
  /** Share of background questions allowed choices or an answer. */
  maxOosOffered: number;
  /** Knowledge bases with at most this many documents are calibrated over several folds; larger ones over one. */
  smallDocs: number;
  folds: number;
  /** In a small knowledge base, each fold leaves out one question from this share of the entries. */
  foldShare: number;
  /** In a large one, one question from each of at most this many entries is left out. */
  maxHeldOut: number;
  /**
   * A large knowledge base with a sparse classifier serves the calibration model trained on for
   * this many more epochs with the left-out questions back in, rather than a second full training.
   */
  extraEpochs: number;
}

export const DEFAULT_CALIBRATION: CalibrationOptions = {
  maxWrong: 0.05,
  maxOosAnswered: 0.05,
  maxOosOffered: 0.3,
  smallDocs: 3000,
  folds: 3,
  foldShare: 0.5,
  maxHeldOut: 300,
  extraEpochs: 2,
};

/** How the index behaves in one locale, and what calibration expects of it. */
export interface OperatingPoint {
  locale: string;
  /** Answer at or above this confidence. */
  answerAt: number;
  /** Below answerAt but at or above this, offer choices. */
  suggestAt: number;
  /** Expected on questions the knowledge base covers: answered, answered wrong, right or offered as a choice. */
  answered: number;
  wrong: number;
  rightOrOffered: number;
  /** Expected on unrelated questions: answered, and answered or given choices. */
  oosAnswered: number;
  oosOffered: number;
  /** How many left-out and background questions the figures come from. */
  heldOut: number;
  background: number;
}

const backgroundCache = new Map<string, string[]>();

/** The shipped background questions of a locale (English for a locale without its own file). */
export function backgroundQuestions(locale: string): string[] {
  for (const l of [locale, 'en']) {
    let cached = backgroundCache.get(l);
    if (!cached) {
      try {
        cached = readFileSync(new URL(`./background/${l}.txt`, import.meta.url), 'utf8')
          .split('\n')
          .map((t) => t.trim())
          .filter(Boolean);
      } catch {
        continue;
      }
      backgroundCache.set(l, cached);
    }
    return cached;
  }
  return [];
}

interface Asked {
  locale: string;
  y: number;
  candidates: FaqCandidate[];
}

export function calibrate(
  ids: readonly string[],
  docs: KbDocs,
  /** A model trained on the documents but those `leftOut` marks. */
  train: (leftOut: Uint8Array) => FaqModel,
  background: (locale: string) => TermDoc[],
  opts: CalibrationOptions,
  suggestions: (candidates: FaqCandidate[], suggestAt: number) => string[],
): OperatingPoint[] {
  const random = seededRandom(7);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < docs.count; i++) {
    if (!docs.question[i]) continue;
    const key = `${docs.y[i]}\0${docs.locales[docs.locale[i]!]}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const leavable = [...groups.values()].filter((g) => g.length >= 2);
  const folds: Set<number>[] = [];
  if (docs.count <= opts.smallDocs) {
    for (let f = 0; f < opts.folds; f++) {
      const out = new Set<number>();
      for (const g of leavable) if (random() < opts.foldShare) out.add(g[Math.floor(random() * g.length)]!);
      if (out.size > 0) folds.push(out);
    }
  } else {
    const out = new Set<number>();
    for (const g of shuffled(leavable, random).slice(0, opts.maxHeldOut)) out.add(g[Math.floor(random() * g.length)]!);
    if (out.size > 0) folds.push(out);
  }
  const locales = docs.locales;
  const inScope: Asked[] = [];
  const oos: Asked[] = [];
  const backgrounds = new Map(locales.map((l) => [l, background(l)]));
  // Without any left-out question the full model is asked the background alone.
  for (const out of folds.length > 0 ? folds : [new Set<number>()]) {
    const leftOut = new Uint8Array(docs.count);
    for (const i of out) leftOut[i] = 1;
    const model = train(leftOut);
    for (const i of out)
      inScope.push({ locale: docs.locales[docs.locale[i]!]!, y: docs.y[i]!, candidates: model.rank(docFeatures(docs, i)) });
    for (const [locale, qs] of backgrounds) for (const f of qs) oos.push({ locale, y: -1, candidates: model.rank(f) });
  }
  return locales.map((locale) =>
    operatingPoint(
      locale,
      ids,
      inScope.filter((a) => a.locale === locale),
      oos.filter((a) => a.locale === locale),
      opts,
      suggestions,
    ),
  );
}

function operatingPoint(
  locale: string,
  ids: readonly string[],
  inScope: Asked[],
  oos: Asked[],
  opts: CalibrationOptions,
  suggestions: (candidates: FaqCandidate[], suggestAt: number) => string[],
): OperatingPoint {
  const top = (a: Asked) => a.candidates[0]?.score ?? 0;
  const wrongScores = inScope.filter((a) => a.candidates[0]?.entryId !== ids[a.y]).map(top);
  const oosScores = oos.map(top);
  const answerAt = Math.min(
    1,
    Math.max(lowestAllowing(wrongScores, opts.maxWrong, inScope.length), lowestAllowing(oosScores, opts.maxOosAnswered, oos.length)),
  );
  const suggestAt = Math.min(answerAt, lowestAllowing(oosScores, opts.maxOosOffered, oos.length));
  const share = (list: Asked[], p: (a: Asked) => boolean) => (list.length ? list.filter(p).length / list.length : NaN);
  const offered = (a: Asked) => top(a) < answerAt && top(a) >= suggestAt && suggestions(a.candidates, suggestAt).includes(ids[a.y]!);
  return {
    locale,
    answerAt,
    suggestAt,
    answered: share(inScope, (a) => top(a) >= answerAt),
    wrong: share(inScope, (a) => top(a) >= answerAt && a.candidates[0]?.entryId !== ids[a.y]),
    rightOrOffered: share(inScope, (a) => (top(a) >= answerAt && a.candidates[0]?.entryId === ids[a.y]) || offered(a)),
    oosAnswered: share(oos, (a) => top(a) >= answerAt),
    oosOffered: share(oos, (a) => top(a) >= suggestAt && (top(a) >= answerAt || suggestions(a.candidates, suggestAt).length > 0)),
    heldOut: inScope.length,
    background: oos.length,
  };
}

/**
 * The lowest threshold at which at most `share` of `total` questions score at or above it,
 * given the scores of those that must stay below: just above the first score past the allowance.
 */
function lowestAllowing(scores: number[], share: number, total: number): number {
  const allowed = Math.floor(share * total);
  const sorted = [...scores].sort((a, b) => b - a);
  const first = sorted[allowed];
  return first === undefined || first <= 0 ? 0 : Math.min(1, first + 1e-6);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  shuffle(a, random);
  return a;
}
