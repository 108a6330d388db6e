/** Runs one system on a task: threshold from the validation runs, figures from the test run. */
import type { Run, Task } from './datasets.js';
import { figures, percentile, pickThreshold, type Figures, type Prediction } from './metrics.js';
import type { System } from './systems/system.js';

export interface Report extends Figures {
  system: string;
  task: string;
  threshold: number;
  buildMs: number;
  p50Ms: number;
  p99Ms: number;
}

export async function predict(system: System, run: Run, locale: string): Promise<{ preds: Prediction[]; buildMs: number }> {
  const t0 = performance.now();
  const classifier = await system.build(run.entries, locale);
  const buildMs = performance.now() - t0;
  const preds: Prediction[] = [];
  for (const question of run.questions) {
    const start = performance.now();
    const c = await classifier.classify(question.text);
    preds.push({ question, intent: c.intent, confidence: c.confidence, ms: performance.now() - start });
  }
  return { preds, buildMs };
}

export async function tunePredictions(system: System, task: Task): Promise<Prediction[]> {
  const all: Prediction[] = [];
  for (const run of task.tune) all.push(...(await predict(system, run, task.locale)).preds);
  return all;
}

export async function runSystem(system: System, task: Task, threshold?: number): Promise<Report> {
  const t = threshold ?? pickThreshold(await tunePredictions(system, task));
  const { preds, buildMs } = await predict(system, task.test, task.locale);
  const ms = preds.map((p) => p.ms);
  return {
    system: system.name,
    task: task.name,
    threshold: t,
    buildMs,
    p50Ms: percentile(ms, 0.5),
    p99Ms: percentile(ms, 0.99),
    ...figures(preds, t),
  };
}
