/**
 * The shipped sample knowledge base (faq/, 30 entries in en and zh, 8–10 questions each) cut
 * down to what shops write: the first `k` questions of each entry are kept with its answer and
 * tags, the other questions are asked as paraphrases. Out of scope: CLINC150 `oos_val` (en) and
 * the xSID zh `valid` sentences of its 4 held-out intents (zh). Validation data only: nothing
 * here is a test split.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaqEntry } from '../src/faq/entry.js';
import { loadEntries } from '../src/faq/load-entries.js';
import { datasetsDir, type Question } from './datasets.js';

const faqDir = resolve(dirname(fileURLToPath(import.meta.url)), '../faq');

export async function sampleKb(k: number, locale: 'en' | 'zh'): Promise<{ entries: FaqEntry[]; questions: Question[] }> {
  const kb = await loadEntries(faqDir);
  const mine = kb.entries.filter((e) => e.locale === locale);
  const entries = mine.map((e) => ({ ...e, questions: e.questions.slice(0, k) }));
  const questions: Question[] = mine.flatMap((e) => e.questions.slice(k).map((text) => ({ text, intent: e.id })));
  if (locale === 'en') {
    const clinc = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
    questions.push(...clinc.oos_val!.map(([text]) => ({ text, intent: null })));
  } else {
    const heldOut = new Set(['reminder/cancel_reminder', 'reminder/set_reminder', 'reminder/show_reminders', 'weather/find']);
    const valid = readFileSync(join(datasetsDir(), 'xsid/zh.valid.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; intent: string });
    questions.push(...valid.filter((r) => heldOut.has(r.intent)).map((r) => ({ text: r.text, intent: null })));
  }
  return { entries, questions };
}
