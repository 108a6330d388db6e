/**
 * The FAQ engine: every example question of every locale trains one classifier over entry
 * ids. Confidence is the classifier's probability, rescaled so that "no idea" (the same
 * probability for every entry) is 0 whatever the number of entries, and damped when the
 * question shares little with any example of the entry — without that, a knowledge base of
 * two entries would be at least 50 % sure of anything. It answers only above the threshold,
 * and only in the language the customer wrote in.
 */
import type { FaqEntry } from './entry.js';
import type { FaqCandidate, FaqEntryView, FaqMatcher, FaqResult } from './matcher.js';
import { questionLocale } from './locale.js';
import { normalize } from './normalize.js';
import { SoftmaxClassifier, DEFAULT_TRAIN, type TrainOptions } from './softmax-classifier.js';
import { applySynonyms, type SynonymRule } from './synonyms.js';
import { features } from './tokenize.js';
import { DEFAULT_KIND_WEIGHTS, Vectorizer, type KindWeights, type SparseVector } from './vectorizer.js';

/** Picked on the CLINC150 and xSID validation splits; see docs/faq-quality.md. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface EngineOptions {
  minConfidence: number;
  /** Not answered but at least this sure: the closest entries are offered as choices instead of a plain hand-off. */
  minSuggest: number;
  /** Below this cosine similarity to the entry's closest example, confidence is scaled down. */
  fullSimilarity: number;
  candidates: number;
  /** Training weight of the answer's sentences and the tags, as evidence for their entry (0 ignores them). */
  answerWeight: number;
  /** How much a question's similarity to an answer sentence counts against its similarity to an example question. */
  answerSimilarity: number;
  kinds: KindWeights;
  train: TrainOptions;
}

export const DEFAULT_ENGINE: EngineOptions = {
  minConfidence: DEFAULT_MIN_CONFIDENCE,
  minSuggest: 0.2,
  fullSimilarity: 0.2,
  candidates: 5,
  answerWeight: 1,
  answerSimilarity: 1,
  kinds: DEFAULT_KIND_WEIGHTS,
  train: DEFAULT_TRAIN,
};

export class FaqIndex implements FaqMatcher {
  private readonly ids: string[];
  private readonly byId = new Map<string, Map<string, FaqEntry>>();
  private readonly vectorizer: Vectorizer;
  private readonly classifier: SoftmaxClassifier;
  /** Per entry: its example questions (weight 1) and answer sentences and tags (weight answerSimilarity). */
  private readonly examples: { x: SparseVector; weight: number }[][];
  /** The question as a dense vector while its similarities are computed; all zeros otherwise. */
  private readonly scratch: Float64Array;
  private readonly opts: EngineOptions;
  /** Normalized small-talk openers ("hi", "您好"), longest first, so "你好，请问怎么退货" is matched as "请问怎么退货". */
  private readonly openers: string[];

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
    const docs = entries.flatMap((e) => {
      const y = label.get(e.id)!;
      const asked = e.questions.map((q) => ({ f: this.features(q, e.locale), y, weight: 1 }));
      if (this.opts.answerWeight <= 0) return asked;
      const told = evidence(e).map((t) => ({ f: this.features(t, e.locale), y, weight: this.opts.answerWeight }));
      return [...asked, ...told.filter((d) => d.f.size > 0)];
    });
    this.vectorizer = new Vectorizer(docs.map((d) => d.f), this.opts.kinds);
    const examples = docs.map((d) => ({ x: this.vectorizer.vector(d.f), y: d.y, weight: d.weight }));
    this.classifier = new SoftmaxClassifier(this.ids.length, this.vectorizer.size, examples, this.opts.train);
    this.scratch = new Float64Array(this.vectorizer.size);
    this.examples = this.ids.map(() => []);
    for (const e of examples) this.examples[e.y]!.push({ x: e.x, weight: e.weight === 1 ? 1 : this.opts.answerSimilarity });
    const smalltalk = entries.filter((e) => e.tags.includes('smalltalk')).flatMap((e) => e.questions.map(normalize));
    this.openers = [...new Set(smalltalk.filter((q) => q.length > 0 && q.split(' ').length <= 3))].sort((a, b) => b.length - a.length);
  }

  /** The confidence at or above which it answers. */
  get threshold(): number {
    return this.opts.minConfidence;
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
    const x = this.vectorizer.vector(this.features(text, locale));
    const candidates = x.index.length > 0 && this.ids.length > 0 ? this.rank(x) : [];
    const best = candidates[0];
    const confidence = best?.score ?? 0;
    const entry = best ? this.byId.get(best.entryId)?.get(locale) : undefined;
    const answered = entry !== undefined && confidence >= this.opts.minConfidence;
    const suggestions = !answered && confidence >= this.opts.minSuggest ? this.suggest(candidates, locale) : [];
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
   * customer's language, and a third when it is at least half as close as the first.
   * Greetings and "talk to a person" entries are never offered (the channel offers a person).
   */
  private suggest(candidates: FaqCandidate[], locale: string): string[] {
    const offerable = candidates.filter((c) => {
      const e = this.byId.get(c.entryId)?.get(locale);
      return e !== undefined && !e.tags.includes('smalltalk') && !e.tags.includes('handoff');
    });
    const top = offerable[0]?.score ?? 0;
    return offerable.filter((c, i) => i < 2 || (i === 2 && c.score >= top / 2)).map((c) => c.entryId);
  }

  entry(id: string, locale?: string): FaqEntryView | undefined {
    const locales = this.byId.get(id);
    if (!locales) return undefined;
    const e = (locale && locales.get(locale)) || locales.values().next().value;
    return e && { id: e.id, locale: e.locale, questions: e.questions, answer: e.answer, tags: e.tags, team: e.team };
  }

  private rank(x: SparseVector): FaqCandidate[] {
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

  /** Highest cosine similarity between x and an example of class c. */
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

  private features(text: string, locale: string) {
    return features(applySynonyms(normalize(text), this.synonyms.get(locale) ?? []));
  }
}

/** Sentences of the answer (Markdown emphasis and links reduced to their text) and the entry's topic tags. */
function evidence(e: FaqEntry): string[] {
  const text = e.answer.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`#>]+/g, ' ');
  const sentences = text.split(/(?<=[.!?。！？；;])\s*|\n+/).map((t) => t.trim()).filter((t) => t.length > 1);
  const tags = e.tags.filter((t) => t !== 'smalltalk' && t !== 'handoff').map((t) => t.replace(/[-_]/g, ' '));
  return tags.length > 0 ? [...sentences, tags.join(' ')] : sentences;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
