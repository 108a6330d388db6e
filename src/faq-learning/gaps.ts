/**
 * The gaps report: customer questions the bot handed to a person, grouped by similarity so the
 * largest groups show which FAQ entries are missing. Questions are read with the FAQ engine's own
 * features (normalize + tokenize) and weighted by TF-IDF over the handed-off questions themselves;
 * a question joins the group holding its most similar question when the cosine similarity is at
 * least `threshold` (greedy single-link clustering), else it starts a group.
 */
import { decodeLogged } from '../domain/events.js';
import { normalize } from '../faq/normalize.js';
import { features } from '../faq/tokenize.js';
import { Vectorizer, type SparseVector } from '../faq/vectorizer.js';
import { askedQuestion } from '../pipeline/asked-question.js';
import type { Store } from '../store/store.js';

export interface GapQuestion {
  conversationId: string;
  messageId: string;
  text: string;
  at: string;
}

export interface GapGroup {
  count: number;
  examples: GapQuestion[];
}

export const GAP_SIMILARITY = 0.3;
const EXAMPLES = 3;

/** How many customer messages before a hand-off may hold its question (the rest were picks or "人工"). */
const LOOK_BACK = 5;

/** The customer questions that ended in a hand-off at or after `since`, oldest first. */
export async function handedOffQuestions(store: Store, since: number): Promise<GapQuestion[]> {
  return store.tx(async (r) => {
    const asked = new Map<string, string[]>();
    const triggers: { conversationId: string; candidates: string[]; at: number }[] = [];
    for (const e of (await r.events.since(since)).map(decodeLogged)) {
      if (!e.conversationId) continue;
      if (e.type === 'message' && e.data.direction === 'in' && e.data.author === 'customer') {
        asked.set(e.conversationId, [...(asked.get(e.conversationId) ?? []), e.data.messageId].slice(-LOOK_BACK));
      }
      if (e.type === 'status' && e.data.action === 'handoff') {
        const candidates = asked.get(e.conversationId);
        if (candidates) triggers.push({ conversationId: e.conversationId, candidates, at: e.createdAt });
        asked.delete(e.conversationId);
      }
    }
    const byId = new Map((await r.messages.byIds(triggers.flatMap((t) => t.candidates))).map((m) => [m.id, m]));
    return triggers.flatMap((t) => {
      const question = askedQuestion(t.candidates.flatMap((id) => byId.get(id) ?? []));
      return question
        ? [{ conversationId: t.conversationId, messageId: question.id, text: question.text, at: new Date(t.at).toISOString() }]
        : [];
    });
  });
}

function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.index.length && j < b.index.length) {
    if (a.index[i] === b.index[j]) dot += a.value[i++]! * b.value[j++]!;
    else if (a.index[i]! < b.index[j]!) i++;
    else j++;
  }
  return dot;
}

/** Groups similar questions, largest groups first (then the most recent), with up to three examples each. */
export function groupGaps(questions: GapQuestion[], threshold = GAP_SIMILARITY): GapGroup[] {
  const docs = questions.map((q) => features(normalize(q.text)));
  const vectorizer = new Vectorizer(docs);
  const vectors = docs.map((d) => vectorizer.vector(d));
  const groups: number[][] = [];
  vectors.forEach((v, i) => {
    let best: { group: number[]; score: number } | undefined;
    for (const group of groups) {
      const score = Math.max(...group.map((k) => cosine(v, vectors[k]!)));
      if (score >= threshold && (!best || score > best.score)) best = { group, score };
    }
    if (best) best.group.push(i);
    else groups.push([i]);
  });
  return groups
    .sort((a, b) => b.length - a.length || b.at(-1)! - a.at(-1)!)
    .map((g) => ({
      count: g.length,
      examples: g
        .slice(-EXAMPLES)
        .reverse()
        .map((k) => questions[k]!),
    }));
}

export async function gapsReport(store: Store, since: number): Promise<{ since: string; total: number; groups: GapGroup[] }> {
  const questions = await handedOffQuestions(store, since);
  return { since: new Date(since).toISOString(), total: questions.length, groups: groupGaps(questions) };
}
