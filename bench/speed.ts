/**
 * Speed at the size of a large shop: 1,000 entries × 10 questions, made of CLINC150 `train`
 * sentences (each intent's 100 cut into 10 entries, so neighbouring entries are near twins,
 * which is harder than a real knowledge base). Latency is measured on CLINC150 `val` questions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaqEntry } from '../src/faq/entry.js';
import { FaqIndex } from '../src/faq/faq-index.js';
import { datasetsDir } from './datasets.js';

/**
 * Build times are given as wall-clock and as this process's CPU time: on a machine shared with
 * other work the wall clock mostly measures waiting for a core.
 */
export function speed(
  entries = 1000,
  perEntry = 10,
): {
  entries: number;
  perEntry: number;
  buildMs: number;
  buildCpuMs: number;
  buildNoCalibrationMs: number;
  buildNoCalibrationCpuMs: number;
  ms: number[];
} {
  const data = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of data.train!) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const faq: FaqEntry[] = [];
  for (const [intent, texts] of byIntent) {
    for (let i = 0; i + perEntry <= texts.length && faq.length < entries; i += perEntry) {
      faq.push({
        id: `${intent.replace(/_/g, '-')}-${i / perEntry}`,
        locale: 'en',
        questions: texts.slice(i, i + perEntry),
        answer: '',
        tags: [],
      });
    }
  }
  faq.length = Math.min(faq.length, entries);
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t0 = performance.now();
  let c0 = cpu();
  new FaqIndex(faq, new Map(), { calibrate: false });
  const buildNoCalibrationMs = performance.now() - t0;
  const buildNoCalibrationCpuMs = cpu() - c0;
  t0 = performance.now();
  c0 = cpu();
  const index = new FaqIndex(faq, new Map());
  const buildMs = performance.now() - t0;
  const buildCpuMs = cpu() - c0;
  const ms: number[] = [];
  for (const [text] of data.val!) {
    const start = performance.now();
    index.match(text, { locale: 'en' });
    ms.push(performance.now() - start);
  }
  return { entries: faq.length, perEntry, buildMs, buildCpuMs, buildNoCalibrationMs, buildNoCalibrationCpuMs, ms };
}
