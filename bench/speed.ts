/**
 * Speed at the size of a large shop and ten times that: 1,000 entries × 10 questions made of
 * CLINC150 `train` sentences (each intent's 100 cut into 10 entries, so neighbouring entries are
 * near twins, which is harder than a real knowledge base), and 10,000 × 10, where the 1,500
 * CLINC150 entries come in variants that each name a product of their own ("… for the
 * Corvalex"), as a shop with a catalogue would. Latency is measured on CLINC150 `val` questions
 * (with a variant's product name at 10,000). Each size runs in a fresh process (speed-child.ts)
 * so its peak memory is its own; the goals are printed beside the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaqEntry } from '../src/faq/entry.js';
import { FaqIndex } from '../src/faq/faq-index.js';
import { loadFaqInWorker } from '../src/faq/load-in-worker.js';
import { normalize } from '../src/faq/normalize.js';
import { datasetsDir } from './datasets.js';
import { percentile } from './metrics.js';

export interface SpeedFigures {
  entries: number;
  perEntry: number;
  /** Index build with calibration, as the service does it: wall clock and this process's CPU time. */
  buildMs: number;
  buildCpuMs: number;
  /** The same without calibration (only at the smaller size). */
  noCalibrationMs?: number;
  noCalibrationCpuMs?: number;
  /** Per question: wall clock and CPU time (on a shared machine the wall clock includes waiting for a core). */
  p50: number;
  p99: number;
  p50Cpu: number;
  p99Cpu: number;
  /** Best candidate of the right CLINC150 intent (and product variant), a check that speed did not cost the ranking. */
  top1: number;
  /** Peak resident memory of the process that built and asked. */
  rssMb: number;
  /** Matching on the main thread while the same knowledge base is rebuilt from files in a worker (a hot reload). */
  reload?: { buildMs: number; matches: number; p99: number; max: number };
}

export const GOALS = { build1k: 5000, p99: 5, build10k: 60000, rssMb: 300 };

interface Kb {
  faq: FaqEntry[];
  queries: { text: string; intent: string }[];
}

/** `entries` × `perEntry` questions, and the questions to ask with the entry id prefix that is right. */
export function speedKb(entries: number, perEntry: number): Kb {
  const data = JSON.parse(readFileSync(join(datasetsDir(), 'clinc150/data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of data.train!) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const chunks: { intent: string; i: number; questions: string[] }[] = [];
  for (const [intent, texts] of byIntent) {
    for (let i = 0; i + perEntry <= texts.length; i += perEntry)
      chunks.push({ intent: intent.replace(/_/g, '-'), i: i / perEntry, questions: texts.slice(i, i + perEntry) });
  }
  const variants = Math.ceil(entries / chunks.length);
  const faq: FaqEntry[] = [];
  for (let v = 0; v < variants && faq.length < entries; v++) {
    for (const c of chunks) {
      if (faq.length >= entries) break;
      const name = v === 0 ? '' : ` for the ${product(v)}`;
      faq.push({
        id: `${c.intent}-${c.i}${v ? `-v${v}` : ''}`,
        locale: 'en',
        questions: c.questions.map((q) => q + name),
        answer: '',
        tags: [],
      });
    }
  }
  const intents = new Set(faq.map((e) => e.id.replace(/-\d+(-v\d+)?$/, '')));
  const queries = data
    .val!.filter(([, intent]) => intents.has(intent.replace(/_/g, '-')))
    .map(([text, intent], n) => {
      const v = variants > 1 ? n % variants : 0;
      return { text: text + (v ? ` for the ${product(v)}` : ''), intent: intent.replace(/_/g, '-') + (v ? `-v${v}` : '') };
    });
  return { faq, queries };
}

/** A made-up product name per variant: two syllables of a fixed list, the same on every run. */
function product(v: number): string {
  const s = ['cor', 'va', 'lex', 'mi', 'tan', 'qu', 'sel', 'bro', 'nix', 'dal', 'fen', 'zor', 'pi', 'ka', 'rum', 'tel'];
  return `${s[v % 16]}${s[Math.floor(v / 16) % 16]}${s[(v * 7 + 3) % 16]}`;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Measures one size in this process. */
export async function measure(entries: number, perEntry: number, opts: { noCalibration: boolean; reload: boolean }): Promise<SpeedFigures> {
  const { faq, queries } = speedKb(entries, perEntry);
  let noCalibrationMs: number | undefined;
  let noCalibrationCpuMs: number | undefined;
  if (opts.noCalibration) {
    const [t0, c0] = [performance.now(), cpu()];
    new FaqIndex(faq, new Map(), { calibrate: false });
    [noCalibrationMs, noCalibrationCpuMs] = [performance.now() - t0, cpu() - c0];
  }
  const [t0, c0] = [performance.now(), cpu()];
  const index = new FaqIndex(faq, new Map());
  const [buildMs, buildCpuMs] = [performance.now() - t0, cpu() - c0];
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let top1 = 0;
  for (const q of queries) {
    const [s, sc] = [performance.now(), process.cpuUsage()];
    const r = index.match(q.text, { locale: 'en' });
    const used = process.cpuUsage(sc);
    ms.push(performance.now() - s);
    cpuMs.push((used.user + used.system) / 1000);
    const id = r.candidates[0]?.entryId ?? '';
    if (id.replace(/-\d+(-v\d+)?$/, '') + (id.match(/-v\d+$/)?.[0] ?? '') === q.intent) top1++;
  }
  const figures: SpeedFigures = {
    entries: faq.length,
    perEntry,
    buildMs,
    buildCpuMs,
    noCalibrationMs,
    noCalibrationCpuMs,
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    p50Cpu: percentile(cpuMs, 0.5),
    p99Cpu: percentile(cpuMs, 0.99),
    top1: top1 / queries.length,
    rssMb: process.resourceUsage().maxRSS / 1024,
  };
  if (opts.reload) figures.reload = await reloadUnderLoad(faq, index, queries);
  return figures;
}

/** Writes the knowledge base as files, rebuilds it in a worker and keeps matching meanwhile. */
async function reloadUnderLoad(faq: FaqEntry[], index: FaqIndex, queries: { text: string }[]): Promise<SpeedFigures['reload']> {
  const dir = mkdtempSync(join(tmpdir(), 'faq-speed-'));
  try {
    mkdirSync(join(dir, 'en'));
    // CLINC150 repeats a few sentences within an intent, which `faq check` rightly refuses.
    const asked = new Set<string>();
    for (const e of faq) {
      const fresh = e.questions.filter((q) => !asked.has(normalize(q)) && asked.add(normalize(q)));
      const questions = (fresh.length > 0 ? fresh : [`${e.id} question`]).map((q) => `  - ${JSON.stringify(q)}`).join('\n');
      writeFileSync(join(dir, 'en', `${e.id}.md`), `---\nid: ${e.id}\nquestions:\n${questions}\n---\nSee our help pages.\n`);
    }
    const t0 = performance.now();
    const build = loadFaqInWorker(dir);
    let ready = false;
    void build.then(
      () => (ready = true),
      () => (ready = true),
    );
    const ms: number[] = [];
    let n = 0;
    while (!ready) {
      const s = performance.now();
      index.match(queries[n++ % queries.length]!.text, { locale: 'en' });
      ms.push(performance.now() - s);
      // Serving yields to the event loop between requests, as the pipeline does.
      await new Promise((r) => setImmediate(r));
    }
    const { matcher, errors } = await build;
    if (!matcher) throw new Error(`the knowledge base written for the reload has errors: ${errors.slice(0, 3).join('; ')}`);
    return { buildMs: performance.now() - t0, matches: ms.length, p99: percentile(ms, 0.99), max: Math.max(...ms) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both sizes, each in a fresh process. */
export function speed(): SpeedFigures[] {
  const child = new URL('./speed-child.ts', import.meta.url).pathname;
  return [
    [1000, 10, 'full'],
    [10000, 10, 'lean'],
  ].map(([entries, perEntry, mode]) => {
    process.stderr.write(`speed: ${entries} × ${perEntry}…\n`);
    const out = execFileSync(process.execPath, [...process.execArgv, child, String(entries), String(perEntry), String(mode)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as SpeedFigures;
  });
}
