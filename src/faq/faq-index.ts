/**
 * The FAQ engine: every example question, answer sentence and tag of every locale trains one
 * model over entry ids (faq-model.ts). It answers only at or above a threshold calibrated on
 * the knowledge base itself when the index is built (calibrate.ts), or the operator's
 * FAQ_MIN_CONFIDENCE, and only in the language the customer wrote in; between the choices
 * threshold and that, it offers the closest entries as choices.
 */
import { backgroundQuestions, calibrate, DEFAULT_CALIBRATION, type CalibrationOptions, type OperatingPoint } from './calibrate.js';
import type { FaqEntry } from './entry.js';
import { DEFAULT_CANDIDATES, DEFAULT_DENSE_UP_TO, FaqModel, type ModelOptions, type ModelState } from './faq-model.js';
import { collectDocs, type DocSource } from './kb-docs.js';
import type { FaqCandidate, FaqEntryView, FaqMatcher, FaqResult } from './matcher.js';
import { questionLocale } from './locale.js';
import { normalize } from './normalize.js';
import { DEFAULT_TRAIN } from './softmax-classifier.js';
import { applySynonyms, type SynonymRule } from './synonyms.js';
import { Vocabulary } from './term-vectors.js';
import { features } from './tokenize.js';
import { DEFAULT_KIND_WEIGHTS } from './vectorizer.js';

/** The answer threshold when calibration is turned off and none is given. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface EngineOptions extends ModelOptions {
  /**
   * The operator's answer threshold (FAQ_MIN_CONFIDENCE) for every locale. Left unset, each
   * locale's threshold is calibrated on the knowledge base when the index is built.
   */
  minConfidence?: number;
  /** The operator's choices threshold; left unset, calibrated (and never above the answer threshold). */
  minSuggest?: number;
  /** Calibrate at build (a few extra trainings); off, the thresholds are minConfidence/minSuggest or the defaults. */
  calibrate: boolean;
  calibration: CalibrationOptions;
  /** Training weight of the answer's sentences and the tags, as evidence for their entry (0 ignores them). */
  answerWeight: number;
}

export const DEFAULT_ENGINE: EngineOptions = {
  fullSimilarity: 0.2,
  candidates: 5,
  answerWeight: 1,
  answerSimilarity: 1,
  kinds: DEFAULT_KIND_WEIGHTS,
  train: DEFAULT_TRAIN,
  calibrate: true,
  calibration: DEFAULT_CALIBRATION,
  denseUpTo: DEFAULT_DENSE_UP_TO,
  sparse: DEFAULT_CANDIDATES,
};

/** A built index as plain data and typed arrays: what a worker thread hands back (see build-worker.ts). */
export interface FaqIndexState {
  entries: FaqEntry[];
  synonyms: [string, SynonymRule[]][];
  opts: Partial<EngineOptions>;
  vocabulary: string[];
  model: ModelState;
  operatingPoints: OperatingPoint[];
}

interface Built {
  vocab: Vocabulary;
  model: FaqModel;
  operatingPoints: readonly OperatingPoint[];
}

/** Choices threshold without calibration. */
const DEFAULT_MIN_SUGGEST = 0.2;

export class FaqIndex implements FaqMatcher {
  private readonly ids: string[];
  private readonly byId = new Map<string, Map<string, FaqEntry>>();
  private readonly model: FaqModel;
  private readonly vocab: Vocabulary;
  private readonly opts: EngineOptions;
  private readonly given: Partial<EngineOptions>;
  private readonly entries: readonly FaqEntry[];
  /** Normalized small-talk openers ("hi", "您好"), longest first, so "你好，请问怎么退货" is matched as "请问怎么退货". */
  private readonly openers: string[];
  /** Calibrated per locale; empty when calibration is off. */
  readonly operatingPoints: readonly OperatingPoint[];
  private readonly thresholds = new Map<string, { answerAt: number; suggestAt: number }>();
  private readonly fallback: { answerAt: number; suggestAt: number };

  constructor(
    entries: readonly FaqEntry[],
    private readonly synonyms: ReadonlyMap<string, SynonymRule[]> = new Map(),
    opts: Partial<EngineOptions> = {},
    built?: Built,
  ) {
    this.given = opts;
    this.opts = { ...DEFAULT_ENGINE, ...opts };
    this.entries = entries;
    for (const e of entries) {
      let locales = this.byId.get(e.id);
      if (!locales) this.byId.set(e.id, (locales = new Map<string, FaqEntry>()));
      locales.set(e.locale, e);
    }
    this.ids = [...this.byId.keys()];
    const smalltalk = entries.filter((e) => e.tags.includes('smalltalk')).flatMap((e) => e.questions.map(normalize));
    this.openers = [...new Set(smalltalk.filter((q) => q.length > 0 && q.split(' ').length <= 3))].sort((a, b) => b.length - a.length);
    ({ vocab: this.vocab, model: this.model, operatingPoints: this.operatingPoints } = built ?? this.build(entries));

    const given = { answerAt: this.opts.minConfidence, suggestAt: this.opts.minSuggest };
    const settle = (answerAt: number, suggestAt: number) => {
      const a = given.answerAt ?? answerAt;
      return { answerAt: a, suggestAt: Math.min(a, given.suggestAt ?? suggestAt) };
    };
    for (const p of this.operatingPoints) this.thresholds.set(p.locale, settle(p.answerAt, p.suggestAt));
    const strictest = this.operatingPoints.reduce(
      (m, p) => ({ answerAt: Math.max(m.answerAt, p.answerAt), suggestAt: Math.max(m.suggestAt, p.suggestAt) }),
      { answerAt: 0, suggestAt: 0 },
    );
    this.fallback =
      this.operatingPoints.length > 0
        ? settle(strictest.answerAt, strictest.suggestAt)
        : settle(DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SUGGEST);
  }

  /** Trains the model on every document and calibrates it (the slow part: see build-worker.ts to do it off the main thread). */
  private build(entries: readonly FaqEntry[]): Built {
    const vocab = new Vocabulary(this.opts.kinds);
    const label = new Map(this.ids.map((id, i) => [id, i]));
    const each = (visit: (doc: DocSource) => void) => {
      for (const e of entries) {
        const [y, locale] = [label.get(e.id)!, e.locale];
        for (const q of e.questions) visit({ features: () => this.features(q, locale), y, weight: 1, locale, question: true });
        if (this.opts.answerWeight <= 0) continue;
        for (const text of evidence(e))
          visit({ features: () => this.features(text, locale), y, weight: this.opts.answerWeight, locale, question: false });
      }
    };
    const docs = collectDocs(each, vocab);
    if (!this.opts.calibrate || docs.count === 0)
      return { vocab, model: FaqModel.train(this.ids, docs, vocab, this.opts), operatingPoints: [] };
    // A large knowledge base is calibrated on one model trained without a few hundred of its
    // questions; the served model is that one trained on further with them (calibrate.ts).
    const reuse = docs.count > this.opts.calibration.smallDocs && this.ids.length > this.opts.denseUpTo;
    const trained: { fold?: FaqModel } = {};
    const operatingPoints = calibrate(
      this.ids,
      docs,
      (leftOut) => (trained.fold = FaqModel.train(this.ids, docs, vocab, this.opts, leftOut, reuse)),
      (locale) => backgroundQuestions(locale).map((q) => vocab.lookup(this.features(q, locale))),
      this.opts.calibration,
      (candidates, suggestAt) => this.suggest(candidates, undefined, suggestAt),
    );
    if (!(reuse && trained.fold?.sparseClassifier)) trained.fold = undefined;
    // extend takes the calibration model out of `trained`, so that it can be let go while the served one trains.
    const model = trained.fold
      ? FaqModel.extend(this.ids, trained, docs, vocab, this.opts, this.opts.calibration.extraEpochs)
      : FaqModel.train(this.ids, docs, vocab, this.opts);
    return { vocab, model, operatingPoints };
  }

  /** The built index as data, and the buffers to transfer with it (no copy) to another thread. */
  state(): { state: FaqIndexState; transfer: ArrayBuffer[] } {
    return {
      state: {
        entries: [...this.entries],
        synonyms: [...this.synonyms],
        opts: this.given,
        vocabulary: this.vocab.keys(),
        model: this.model.state,
        operatingPoints: [...this.operatingPoints],
      },
      transfer: this.model.buffers,
    };
  }

  /** The index a worker built, without training again. */
  static fromState(s: FaqIndexState): FaqIndex {
    const opts = { ...DEFAULT_ENGINE, ...s.opts };
    const ids = [...new Set(s.entries.map((e) => e.id))];
    return new FaqIndex(s.entries, new Map(s.synonyms), s.opts, {
      vocab: new Vocabulary(opts.kinds, s.vocabulary),
      model: new FaqModel(ids, s.model, opts),
      operatingPoints: s.operatingPoints,
    });
  }

  /** The confidence at or above which it answers in a locale (the strictest locale's when not given). */
  threshold(locale?: string): number {
    return ((locale && this.thresholds.get(locale)) || this.fallback).answerAt;
  }

  /** The confidence at or above which, not answering, it offers choices. */
  suggestThreshold(locale?: string): number {
    return ((locale && this.thresholds.get(locale)) || this.fallback).suggestAt;
  }

  get entryIds(): readonly string[] {
    return this.ids;
  }

  match(text: string, opts: { locale?: string } = {}): FaqResult {
    const whole = this.matchText(text, opts);
    if (whole.answered && !whole.tags?.includes('smalltalk')) return whole;
    // A greeting in front of a real question should not drown the question.
    const rest = this.afterOpener(text);
    if (rest === undefined) return whole;
    const question = this.matchText(rest, { locale: opts.locale ?? whole.locale });
    return question.answered && !question.tags?.includes('smalltalk') ? question : whole;
  }

  private afterOpener(text: string): string | undefined {
    const folded = normalize(text);
    const opener = this.openers.find((o) => folded.startsWith(o) && folded.length > o.length);
    if (!opener) return undefined;
    const rest = folded.slice(opener.length).trim();
    return rest.length > 0 ? rest : undefined;
  }

  private matchText(text: string, opts: { locale?: string }): FaqResult {
    const locale = questionLocale(text, opts.locale);
    const candidates = this.model.rank(this.vocab.lookup(this.features(text, locale)));
    const best = candidates[0];
    const confidence = best?.score ?? 0;
    const entry = best ? this.byId.get(best.entryId)?.get(locale) : undefined;
    const answered = entry !== undefined && confidence >= this.threshold(locale);
    const suggestions = !answered && confidence >= this.suggestThreshold(locale) ? this.suggest(candidates, locale) : [];
    return {
      answered,
      entryId: answered ? entry.id : null,
      locale,
      answer: answered ? entry.answer : null,
      confidence,
      team: best ? this.entry(best.entryId, locale)?.team : undefined,
      tags: best ? (this.entry(best.entryId, locale)?.tags ?? []) : [],
      candidates,
      suggestions,
    };
  }

  /**
   * Choices for an unsure answer: the two closest entries that can be answered in the
   * customer's language, and a third when it is at least half as close as the first; none when
   * even the closest is below the choices threshold. Greetings and "talk to a person" entries
   * are never offered (the channel offers a person).
   */
  private suggest(candidates: FaqCandidate[], locale: string | undefined, suggestAt = this.suggestThreshold(locale)): string[] {
    const offerable = candidates.filter((c) => {
      const locales = this.byId.get(c.entryId);
      const e = locale === undefined ? locales?.values().next().value : locales?.get(locale);
      return e !== undefined && !e.tags.includes('smalltalk') && !e.tags.includes('handoff');
    });
    const top = offerable[0]?.score ?? 0;
    if (top <= 0 || top < suggestAt) return [];
    return offerable.filter((c, i) => i < 2 || (i === 2 && c.score >= top / 2)).map((c) => c.entryId);
  }

  entry(id: string, locale?: string): FaqEntryView | undefined {
    const locales = this.byId.get(id);
    if (!locales) return undefined;
    const e = (locale && locales.get(locale)) || locales.values().next().value;
    return e && { id: e.id, locale: e.locale, questions: e.questions, answer: e.answer, tags: e.tags, team: e.team };
  }

  private features(text: string, locale: string) {
    return features(applySynonyms(normalize(text), this.synonyms.get(locale) ?? []));
  }
}

/** Sentences of the answer (Markdown emphasis and links reduced to their text) and the entry's topic tags. */
function evidence(e: FaqEntry): string[] {
  const text = e.answer.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`#>]+/g, ' ');
  const sentences = text
    .split(/(?<=[.!?。！？；;])\s*|\n+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 1);
  const tags = e.tags.filter((t) => t !== 'smalltalk' && t !== 'handoff').map((t) => t.replace(/[-_]/g, ' '));
  return tags.length > 0 ? [...sentences, tags.join(' ')] : sentences;
}
