/**
 * A regression floor on fixed slices of the public benchmarks (../shared/datasets), at the
 * shipped FAQ_MIN_CONFIDENCE. Floors sit a little under what was measured when they were set
 * (see docs/faq-quality.md for the full benchmark); a drop below them fails CI.
 */
import { describe, expect, it } from 'vitest';
import { loadClinc, loadXsid, type Task } from '../../bench/datasets.js';
import { figures } from '../../bench/metrics.js';
import { predict } from '../../bench/run-system.js';
import { ours } from '../../bench/systems/ours.js';
import { DEFAULT_MIN_CONFIDENCE } from '../../src/faq/faq-index.js';

async function measure(task: Task) {
  const { preds } = await predict(ours(), task.test, task.locale);
  return figures(preds, DEFAULT_MIN_CONFIDENCE);
}

describe('FAQ quality floor', () => {
  it('CLINC150, first 20 intents (train as examples; test + all out-of-scope test questions)', async () => {
    const f = await measure(loadClinc({ intents: 20 }));
    // Measured 92.5 / 92.5 / 2.0 %.
    expect(f.inScopeAccuracy).toBeGreaterThanOrEqual(0.905);
    expect(f.oosRecall).toBeGreaterThanOrEqual(0.905);
    expect(f.wrongAnswerRate).toBeLessThanOrEqual(0.035);
  });

  it('xSID Chinese (validation as examples, test as questions, the 4 held-out intents out of scope)', async () => {
    const f = await measure(loadXsid('zh'));
    // Measured 83.3 / 82.0 / 2.3 %.
    expect(f.inScopeAccuracy).toBeGreaterThanOrEqual(0.81);
    expect(f.oosRecall).toBeGreaterThanOrEqual(0.8);
    expect(f.wrongAnswerRate).toBeLessThanOrEqual(0.035);
  });
});
