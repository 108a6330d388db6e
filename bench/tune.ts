/**
 * Engine settings search on validation data only (never the test split):
 *   npx tsx bench/tune.ts '{"classifierShare":0.6}' '{"train":{"epochs":4,"learningRate":1}}'
 * Each argument is a set of EngineOptions overrides; prints validation figures at the
 * threshold the benchmark's rule would pick.
 */
import type { EngineOptions } from '../src/faq/faq-index.js';
import { loadClinc, loadXsid } from './datasets.js';
import { figures, pickThreshold } from './metrics.js';
import { tunePredictions } from './run-system.js';
import { ours } from './systems/ours.js';

const tasks = [loadClinc(), loadXsid('zh'), loadXsid('en')];
for (const arg of process.argv.slice(2)) {
  const opts = JSON.parse(arg) as Partial<EngineOptions>;
  for (const task of tasks) {
    const t0 = performance.now();
    const preds = await tunePredictions(ours(opts), task);
    const t = pickThreshold(preds);
    const f = figures(preds, t);
    console.log(
      `${arg} ${task.name}: t=${t.toFixed(3)} in=${(f.inScopeAccuracy * 100).toFixed(1)} oos=${(f.oosRecall * 100).toFixed(1)} ` +
        `sum=${((f.inScopeAccuracy + f.oosRecall) * 100).toFixed(1)} auroc=${f.auroc.toFixed(3)} top1=${(f.top1 * 100).toFixed(1)} ` +
        `(${((performance.now() - t0) / 1000).toFixed(1)}s)`,
    );
  }
}
