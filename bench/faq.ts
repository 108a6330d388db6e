/**
 * `npm run bench:faq [-- --part NAME,…] [--only SYSTEM]`: switchboard's FAQ engine measured
 * on public data and written to docs/faq-quality.md. Parts (all by default):
 *   full    CLINC150 and xSID zh beside node-nlp and MiniSearch, thresholds picked on
 *           validation, and switchboard at its own calibrated threshold (the slow part: node-nlp)
 *   hint3   HINT3, three bots × full and subset training sets, at the calibrated threshold
 *   fewshot CLINC150 and xSID zh knowledge bases of 2 or 5 questions per entry, 5 seeds
 *   speed   index build, per-question latency and peak memory at 1,000 and 10,000 entries × 10 questions
 * A run of some parts rewrites only their tables in the document; `--only NAME` runs one system and writes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MIN_CONFIDENCE } from '../src/faq/faq-index.js';
import { loadClinc, loadXsid } from './datasets.js';
import { decide, type Decisions } from './engine-run.js';
import { clincFewShot, SEEDS, xsidFewShot } from './few-shot.js';
import { bestPlatformRows, HINT3_BOTS, hint3Run } from './hint3.js';
import { pickThreshold } from './metrics.js';
import { runSystem, tunePredictions, type Report } from './run-system.js';
import { GOALS, speed } from './speed.js';
import { minisearch } from './systems/minisearch.js';
import { nodeNlp } from './systems/node-nlp.js';
import { ours } from './systems/ours.js';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = arg('--only');
const ALL = ['full', 'hint3', 'fewshot', 'speed'];
const parts = arg('--part')?.split(',') ?? ALL;
for (const p of parts) if (!ALL.includes(p)) throw new Error(`unknown part "${p}" (expected ${ALL.join(', ')})`);
const pct = (v: number) => (Number.isNaN(v) ? '–' : (v * 100).toFixed(1));
const seconds: Record<string, number> = {};
const timed = async <T>(part: string, f: () => Promise<T> | T): Promise<T> => {
  const t0 = performance.now();
  const out = await f();
  seconds[part] = (performance.now() - t0) / 1000;
  process.stderr.write(`${part}: ${seconds[part].toFixed(0)} s\n`);
  return out;
};
const sections: Record<string, string> = {};

if (parts.includes('full')) {
  sections.full = await timed('full', async () => {
    const systems = [ours(), nodeNlp, minisearch].filter((s) => !only || s.name.startsWith(only));
    const tasks = [loadClinc(), loadXsid('zh')];
    const reports: Report[] = [];
    const calibrated: string[] = [];
    for (const task of tasks) {
      for (const system of systems) {
        process.stderr.write(`${task.name}: ${system.name}…\n`);
        reports.push(await runSystem(system, task));
        if (system.name === 'switchboard') {
          reports.push({ ...(await runSystem(system, task, DEFAULT_MIN_CONFIDENCE)), system: `switchboard at ${DEFAULT_MIN_CONFIDENCE}` });
          const d = decide(task.test, task.locale);
          calibrated.push(
            `| ${task.name} | switchboard, calibrated | ${d.threshold.toFixed(3)} | ${pct(d.right)} | ${pct(1 - d.oosAnswered)} | ${pct(d.wrong)} | ` +
              `${pct(d.rightOrOffered)} | ${pct(d.oosOffered)} | ${(d.buildMs / 1000).toFixed(1)} s |`,
          );
        }
      }
    }
    const shared = systems.some((s) => s.name === 'switchboard')
      ? pickThreshold(...(await Promise.all(tasks.map((t) => tunePredictions(ours(), t)))))
      : NaN;
    const header =
      '| dataset (test split) | system | threshold | in-scope acc. % | OOS recall % | wrong answers % | OOS precision % | AUROC | top-1 (no threshold) % | build ms | p50 ms | p99 ms |\n' +
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
    const rows = reports.map(
      (r) =>
        `| ${r.task} | ${r.system} | ${r.threshold.toPrecision(3)} | ${pct(r.inScopeAccuracy)} | ${pct(r.oosRecall)} | ${pct(r.wrongAnswerRate)} | ` +
        `${pct(r.oosPrecision)} | ${r.auroc.toFixed(3)} | ${pct(r.top1)} | ${r.buildMs.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`,
    );
    const calHeader =
      '| dataset (test split) | system | calibrated threshold | in-scope acc. % | OOS recall % | wrong answers % | right or offered % | OOS offered choices % | build (with calibration) |\n' +
      '|---|---|---:|---:|---:|---:|---:|---:|---:|';
    return (
      [header, ...rows].join('\n') +
      `\n\nThresholds above picked on validation by the rule below (CLINC150 + xSID zh validation together: ${shared.toFixed(3)}); ` +
      `the row "at ${DEFAULT_MIN_CONFIDENCE}" is the former shipped default.\n\n` +
      'The engine as shipped, at the threshold it calibrates on the knowledge base when the index is built (no validation data used):\n\n' +
      [calHeader, ...calibrated].join('\n')
    );
  });
}

if (parts.includes('hint3')) {
  sections.hint3 = await timed('hint3', () => {
    const header =
      '| bot | training set | switchboard in-scope % | OOS recall % | accuracy % | **MCC** | threshold | best of the five: system | its MCC | its in-scope % | its OOS recall % | its threshold | MCC ahead? |\n' +
      '|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|';
    const rows: string[] = [];
    for (const bot of HINT3_BOTS) {
      for (const subset of [false, true]) {
        const run = hint3Run(bot, subset);
        const d = decide(run, 'en');
        const best = bestPlatformRows(bot, subset).reduce((a, b) => (b.mcc > a.mcc ? b : a));
        rows.push(
          `| ${bot} | ${subset ? 'subset' : 'full'} (${run.entries.size} intents, ${[...run.entries.values()].flat().length} sentences) | ${pct(d.right)} | ` +
            `${pct(1 - d.oosAnswered)} | ${pct(d.overall)} | **${d.mcc.toFixed(3)}** | ${d.threshold.toFixed(3)} | ${best.platform} | ${best.mcc.toFixed(3)} | ` +
            `${pct(best.inScope)} | ${pct(best.oosRecall)} | ${best.threshold} | ${d.mcc > best.mcc ? 'yes' : 'no'} |`,
        );
      }
    }
    return [header, ...rows].join('\n');
  });
}

if (parts.includes('fewshot')) {
  sections.fewshot = await timed('fewshot', () => {
    const protocols = [
      ...[15, 50].flatMap((n) =>
        [2, 5].map((k) => ({ name: `CLINC150, ${n} entries, k = ${k}`, locale: 'en', run: (s: number) => clincFewShot(n, k, s, 'test') })),
      ),
      ...[2, 5].map((k) => ({ name: `xSID zh, 12 entries, k = ${k}`, locale: 'zh', run: (s: number) => xsidFewShot(k, s, 'test') })),
    ];
    const header =
      '| protocol (test questions) | right % | wrong % | OOS answered % | right or offered % | OOS offered choices % | MCC | top-1 (no threshold) % | calibrated threshold |\n' +
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|';
    const rows = protocols.map((p) => {
      const ds = SEEDS.map((s) => decide(p.run(s), p.locale));
      const ms = (f: (d: Decisions) => number, scale = 100, digits = 1) => {
        const v = ds.map(f);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
        return `${(mean * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`;
      };
      return (
        `| ${p.name} | ${ms((d) => d.right)} | ${ms((d) => d.wrong)} | ${ms((d) => d.oosAnswered)} | ${ms((d) => d.rightOrOffered)} | ` +
        `${ms((d) => d.oosOffered)} | ${ms((d) => d.mcc, 1, 3)} | ${ms((d) => d.top1)} | ${ms((d) => d.threshold, 1, 3)} |`
      );
    });
    return [header, ...rows].join('\n');
  });
}

if (parts.includes('speed')) {
  sections.speed = await timed('speed', () => {
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const figures = speed();
    const rows = figures.map((s) => {
      const goal = s.entries <= 1000 ? GOALS.build1k : GOALS.build10k;
      const noCal = s.noCalibrationCpuMs === undefined ? '–' : `${sec(s.noCalibrationCpuMs)} (${sec(s.noCalibrationMs!)})`;
      return (
        `| ${s.entries} × ${s.perEntry} | ${sec(s.buildCpuMs)} (${sec(s.buildMs)}) | < ${sec(goal)} | ${noCal} | ` +
        `${s.p50Cpu.toFixed(2)} / ${s.p99Cpu.toFixed(2)} ms | ${s.p50.toFixed(2)} / ${s.p99.toFixed(2)} ms | < ${GOALS.p99} ms | ` +
        `${s.rssMb.toFixed(0)} MB | < ${GOALS.rssMb} MB | ${pct(s.top1)} |`
      );
    });
    const reload = figures.find((s) => s.reload);
    return (
      '| entries × questions | index build with calibration: CPU (wall) | goal | calibration off: CPU (wall) | match p50 / p99, CPU | match p50 / p99, wall | p99 goal | peak RSS | RSS goal | top-1 right intent % |\n' +
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n' +
      rows.join('\n') +
      (reload?.reload
        ? `\n\nHot reload of the ${reload.entries} × ${reload.perEntry} knowledge base from its files, built in a worker thread: ` +
          `${sec(reload.reload.buildMs)} until the new index was ready, while the main thread answered ${reload.reload.matches} questions ` +
          `(p99 ${reload.reload.p99.toFixed(2)} ms, slowest ${reload.reload.max.toFixed(2)} ms).`
        : '')
    );
  });
}

const timing = Object.entries(seconds)
  .map(([p, s]) => `${p} ${s.toFixed(0)} s`)
  .join(', ');
const out = Object.entries(sections)
  .map(([p, t]) => `## ${p}\n\n${t}`)
  .join('\n\n');
console.log(out + `\n\nRun time per part on this machine: ${timing}.`);

if (!only) {
  // Parts not run this time keep their tables from the last run that had them.
  const docs = join(dirname(fileURLToPath(import.meta.url)), '../docs/faq-quality.md');
  const { qualityDoc } = await import('./quality-doc.js');
  const previous = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
  const date = new Date().toISOString().slice(0, 10);
  const stamped = Object.fromEntries(
    Object.entries(sections).map(([p, t]) => [p, `${t}\n\n_${p}: run ${date}, ${seconds[p]!.toFixed(0)} s on this machine._`]),
  );
  writeFileSync(docs, qualityDoc(stamped, previous));
  process.stderr.write(`wrote ${Object.keys(sections).join(', ')} into ${docs}\n`);
}
