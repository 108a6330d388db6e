/**
 * The FAQ engine: every example question of every locale trains one classifier over entry
 * ids, and the confidence blends the classifier's probability with how close the question
 * came to an example of that entry. It answers only above the threshold, and only in the
 * language the customer wrote in.
 */
import type { FaqEntry } from './entry.js';
import type { FaqCandidate, FaqEntryView, FaqMatcher, FaqResult } from './matcher.js';
import { questionLocale } from './locale.js';
import { NearestExamples } from './nearest-examples.js';
import { normalize } from './normalize.js';
import { SoftmaxClassifier, DEFAULT_TRAIN, type TrainOptions } from './softmax-classifier.js';
import { applySynonyms, type SynonymRule } from './synonyms.js';
import { features } from './tokenize.js';
import { DEFAULT_KIND_WEIGHTS, Vectorizer, type KindWeights, type SparseVector } from './vectorizer.js';

/** Picked on the CLINC150 and xSID validation splits; see docs/faq-quality.md. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface EngineOptions {
  minConfidence: number;
  /** Share of the classifier's probability in the confidence; the rest is example similarity. */
  classifierShare: number;
  candidates: number;
  kinds: KindWeights;
  train: TrainOptions;
}

export const DEFAULT_ENGINE: EngineOptions = {
  minConfidence: DEFAULT_MIN_CONFIDENCE,
  classifierShare: 0.5,
  candidates: 5,
  kinds: DEFAULT_KIND_WEIGHTS,
  train: DEFAULT_TRAIN,
};

export class FaqIndex implements FaqMatcher {
  private readonly ids: string[];
  private readonly byId = new Map<string, Map<string, FaqEntry>>();
  private readonly vectorizer: Vectorizer;
  private readonly classifier: SoftmaxClassifier;
  private readonly nearest: NearestExamples;
  private readonly opts: EngineOptions;

  constructor(
    entries: readonly FaqEntry[],
    private readonly synonyms: ReadonlyMap<string, SynonymRule[]> = new Map(),
    opts: Partial<EngineOptions> = {},
  ) {
    this.opts = { ...DEFAULT_ENGINE, ...opts };
    for (const e of entries) {
      let locales = this.byId.get(e.id);
      if (!locales) this.byId.set(e.id, (locales = new Map()));
      locales.set(e.locale, e);
    }
    this.ids = [...this.byId.keys()];
    const label = new Map(this.ids.map((id, i) => [id, i]));
    const docs = entries.flatMap((e) => e.questions.map((q) => ({ f: this.features(q, e.locale), y: label.get(e.id)! })));
    this.vectorizer = new Vectorizer(docs.map((d) => d.f), this.opts.kinds);
    const examples = docs.map((d) => ({ x: this.vectorizer.vector(d.f), y: d.y }));
    this.classifier = new SoftmaxClassifier(this.ids.length, this.vectorizer.size, examples, this.opts.train);
    this.nearest = new NearestExamples(this.ids.length, examples);
  }

  get entryIds(): readonly string[] {
    return this.ids;
  }

  match(text: string, opts: { locale?: string } = {}): FaqResult {
    const locale = questionLocale(text, opts.locale);
    const x = this.vectorizer.vector(this.features(text, locale));
    const candidates = x.index.length > 0 && this.ids.length > 0 ? this.rank(x) : [];
    const best = candidates[0];
    const confidence = best?.score ?? 0;
    const entry = best ? this.byId.get(best.entryId)?.get(locale) : undefined;
    const answered = entry !== undefined && confidence >= this.opts.minConfidence;
    return {
      answered,
      entryId: answered ? entry.id : null,
      locale,
      answer: answered ? entry.answer : null,
      confidence,
      team: best ? this.entry(best.entryId, locale)?.team : undefined,
      tags: best ? (this.entry(best.entryId, locale)?.tags ?? []) : [],
      candidates,
    };
  }

  entry(id: string, locale?: string): FaqEntryView | undefined {
    const locales = this.byId.get(id);
    if (!locales) return undefined;
    const e = (locale && locales.get(locale)) || locales.values().next().value;
    return e && { id: e.id, locale: e.locale, questions: e.questions, answer: e.answer, tags: e.tags, team: e.team };
  }

  private rank(x: SparseVector): FaqCandidate[] {
    const p = this.classifier.probabilities(x);
    const s = this.nearest.similarities(x);
    const share = this.opts.classifierShare;
    const scored = this.ids.map((entryId, i) => ({ entryId, score: clamp01(share * p[i]! + (1 - share) * s[i]!) }));
    return scored.sort((a, b) => b.score - a.score).slice(0, this.opts.candidates);
  }

  private features(text: string, locale: string) {
    return features(applySynonyms(normalize(text), this.synonyms.get(locale) ?? []));
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
