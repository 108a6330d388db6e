/**
 * Few-shot protocols: knowledge bases the size shops write. From CLINC150, `entries` intents
 * sampled per seed with `k` example questions each (from `train`); questions from `val` (for
 * tuning) or `test` (for reporting), the unsampled intents' questions being out of scope.
 * From xSID zh the 12 known intents (it has only 16, so 15 or 50 cannot be sampled) with `k`
 * examples each from `valid`; questions are the rest of `valid` (tuning) or `test` (reporting),
 * the 4 held-out intents out of scope.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, loadXsid, type Question, type Run } from './datasets.js';

export const SEEDS = [1, 2, 3, 4, 5];

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

type Split = 'val' | 'test';
let clinc: Record<string, [string, string][]> | undefined;

export function clincFewShot(entries: number, k: number, seed: number, split: Split): Run {
  clinc ??= JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const random = seededRandom(seed * 1000 + entries * 10 + k);
  const intents = [...new Set(clinc.train!.map(([, i]) => i))].sort();
  const known = new Set(sample(intents, entries, random));
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of clinc.train!) if (known.has(intent)) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const kb = new Map([...byIntent].sort(([a], [b]) => a.localeCompare(b)).map(([intent, texts]) => [intent, sample(texts, k, random)]));
  const questions: Question[] = clinc[split]!.map(([text, intent]) => ({ text, intent: known.has(intent) ? intent : null }));
  return { entries: kb, questions };
}

export function xsidFewShot(k: number, seed: number, split: Split): Run {
  const task = loadXsid('zh');
  const random = seededRandom(seed * 1000 + k);
  const kb = new Map<string, string[]>();
  const used = new Set<string>();
  for (const [intent, texts] of [...task.test.entries].sort(([a], [b]) => a.localeCompare(b))) {
    const picked = sample([...new Set(texts)], k, random);
    kb.set(intent, picked);
    for (const t of picked) used.add(t);
  }
  if (split === 'test') return { entries: kb, questions: task.test.questions };
  const valid = readFileSync(join(datasetsDir(), 'xsid/zh.valid.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { text: string; intent: string });
  const questions = valid.filter((r) => !used.has(r.text)).map((r) => ({ text: r.text, intent: kb.has(r.intent) ? r.intent : null }));
  return { entries: kb, questions };
}
