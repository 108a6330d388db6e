/**
 * The public benchmark data in ../shared/datasets (see its README): CLINC150 and xSID Chinese,
 * shaped as "known entries + labelled questions". A question's intent is null when it is
 * out of scope. Settings are tuned on `tune` runs only; `test` is for reporting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Question {
  text: string;
  intent: string | null;
}

export interface Run {
  entries: Map<string, string[]>;
  questions: Question[];
}

export interface Task {
  name: string;
  locale: string;
  /** Validation runs; xSID has no training split, so its validation is cross-validated in folds. */
  tune: Run[];
  test: Run;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function datasetsDir(): string {
  const candidates = [process.env.SWITCHBOARD_DATASETS, join(repoRoot, '../shared/datasets'), '/work/shared/datasets'];
  const found = candidates.find((d) => d && existsSync(join(d, 'README.md')));
  if (!found) throw new Error(`benchmark datasets not found (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

function group(pairs: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [text, intent] of pairs) out.set(intent, [...(out.get(intent) ?? []), text]);
  return out;
}

type ClincSplit = 'train' | 'val' | 'test' | 'oos_train' | 'oos_val' | 'oos_test';

export function loadClinc(opts: { intents?: number } = {}): Task {
  const data = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<ClincSplit, [string, string][]>;
  const all = [...new Set(data.train.map(([, i]) => i))].sort();
  const keep = new Set(opts.intents ? all.slice(0, opts.intents) : all);
  const inScope = (split: ClincSplit) => data[split].filter(([, i]) => keep.has(i)).map(([text, intent]) => ({ text, intent }));
  const oos = (split: ClincSplit) => data[split].map(([text]) => ({ text, intent: null }));
  const entries = group(data.train.filter(([, i]) => keep.has(i)));
  return {
    name: opts.intents ? `CLINC150 (first ${opts.intents} intents)` : 'CLINC150',
    locale: 'en',
    tune: [{ entries, questions: [...inScope('val'), ...oos('oos_val')] }],
    test: { entries, questions: [...inScope('test'), ...oos('oos_test')] },
  };
}

/** The README's fixed choice: the last 4 intents in default sort() order are held out. */
function xsidHeldOut(rows: { intent: string }[][]): Set<string> {
  const intents = [...new Set(rows.flat().map((r) => r.intent))].sort();
  return new Set(intents.slice(-4));
}

export function loadXsid(locale: 'zh' | 'en' = 'zh', folds = 5): Task {
  const read = (split: string) =>
    readFileSync(join(datasetsDir(), `xsid/${locale}.${split}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; intent: string });
  const valid = read('valid');
  const test = read('test');
  const heldOut = xsidHeldOut([valid, test]);
  const label = (r: { text: string; intent: string }): Question => ({ text: r.text, intent: heldOut.has(r.intent) ? null : r.intent });
  const known = valid.filter((r) => !heldOut.has(r.intent));
  const unknown = valid.filter((r) => heldOut.has(r.intent));
  // Fold k holds out every folds-th known sentence (and the same share of unknown ones).
  const tune = Array.from({ length: folds }, (_, k) => ({
    entries: group(known.filter((_, i) => i % folds !== k).map((r) => [r.text, r.intent])),
    questions: [...known.filter((_, i) => i % folds === k), ...unknown.filter((_, i) => i % folds === k)].map(label),
  }));
  return {
    name: `xSID ${locale}`,
    locale,
    tune,
    test: { entries: group(known.map((r) => [r.text, r.intent])), questions: test.map(label) },
  };
}
