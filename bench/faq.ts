/**
 * `npm run bench:faq`: switchboard's FAQ engine beside node-nlp and MiniSearch on CLINC150
 * and xSID Chinese, thresholds picked on validation, figures from test. Prints one table and
 * writes it to docs/faq-quality.md. `--only NAME` runs one system and writes nothing.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MIN_CONFIDENCE } from '../src/faq/faq-index.js';
import { loadClinc, loadXsid } from './datasets.js';
import { pickThreshold } from './metrics.js';
import { runSystem, tunePredictions, type Report } from './run-system.js';
import { minisearch } from './systems/minisearch.js';
import { nodeNlp } from './systems/node-nlp.js';
import { ours } from './systems/ours.js';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const systems = [ours(), nodeNlp, minisearch].filter((s) => !only || s.name.startsWith(only));
const tasks = [loadClinc(), loadXsid('zh')];

const reports: Report[] = [];
for (const task of tasks) {
  for (const system of systems) {
    process.stderr.write(`${task.name}: ${system.name}…\n`);
    reports.push(await runSystem(system, task));
    if (system.name === 'switchboard') {
      reports.push({ ...(await runSystem(system, task, DEFAULT_MIN_CONFIDENCE)), system: `switchboard, shipped default` });
    }
  }
}

// The shipped FAQ_MIN_CONFIDENCE default comes from both validation sets together.
let sharedThreshold = NaN;
if (systems.some((s) => s.name === 'switchboard')) {
  sharedThreshold = pickThreshold(...(await Promise.all(tasks.map((t) => tunePredictions(ours(), t)))));
}

const pct = (v: number) => (Number.isNaN(v) ? '–' : (v * 100).toFixed(1));
const header =
  '| dataset (test split) | system | threshold | in-scope acc. % | OOS recall % | wrong answers % | OOS precision % | AUROC | top-1 (no threshold) % | build ms | p50 ms | p99 ms |\n' +
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
const rows = reports.map(
  (r) =>
    `| ${r.task} | ${r.system} | ${r.threshold.toPrecision(3)} | ${pct(r.inScopeAccuracy)} | ${pct(r.oosRecall)} | ${pct(r.wrongAnswerRate)} | ` +
    `${pct(r.oosPrecision)} | ${r.auroc.toFixed(3)} | ${pct(r.top1)} | ${r.buildMs.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`,
);
const table = [header, ...rows].join('\n');
const note =
  `Threshold picked on CLINC150 + xSID zh validation together (each weighing the same): ${sharedThreshold.toFixed(3)}; ` +
  `shipped default FAQ_MIN_CONFIDENCE = ${DEFAULT_MIN_CONFIDENCE}.`;
console.log(table + '\n\n' + note);

if (!only) {
  const docs = join(dirname(fileURLToPath(import.meta.url)), '../docs/faq-quality.md');
  const template = (await import('./quality-doc.js')).qualityDoc;
  writeFileSync(docs, template(table, note, new Date().toISOString().slice(0, 10)));
  process.stderr.write(`wrote ${docs}\n`);
}
