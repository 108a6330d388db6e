/**
 * The few-shot protocols on validation questions only (CLINC150 `val`, xSID zh `valid`):
 *   npx tsx bench/tune-few-shot.ts '{}' '{"minSuggest":0.1}'
 * Each argument is a set of EngineOptions overrides; prints the mean over the 5 seeds.
 */
import type { EngineOptions } from '../src/faq/faq-index.js';
import { decide, decideEntries, type Decisions } from './engine-run.js';
import { sampleKb } from './sample-kb.js';
import { clincFewShot, SEEDS, xsidFewShot } from './few-shot.js';

const protocols = [
  { name: 'CLINC150 k=2 15 entries', run: (s: number) => clincFewShot(15, 2, s, 'val'), locale: 'en' },
  { name: 'CLINC150 k=5 50 entries', run: (s: number) => clincFewShot(50, 5, s, 'val'), locale: 'en' },
  { name: 'xSID zh k=2', run: (s: number) => xsidFewShot(2, s, 'val'), locale: 'zh' },
  { name: 'xSID zh k=5', run: (s: number) => xsidFewShot(5, s, 'val'), locale: 'zh' },
];
const only = process.env.ONLY;
const kbs = { en: await sampleKb(2, 'en'), zh: await sampleKb(2, 'zh') };
const pct = (v: number) => (v * 100).toFixed(1).padStart(5);
for (const arg of process.argv.slice(2)) {
  const opts = JSON.parse(arg) as Partial<EngineOptions>;
  const kbRows = (['en', 'zh'] as const).map((l) => ({
    name: `sample faq ${l} k=2`,
    ds: [decideEntries(kbs[l].entries, kbs[l].questions, l, opts)],
  }));
  const rows = [...kbRows, ...protocols.map((p) => ({ name: p.name, ds: SEEDS.map((s) => decide(p.run(s), p.locale, opts)) }))];
  for (const { name, ds } of rows.filter((r) => !only || r.name.includes(only))) {
    const p = { name };
    const mean = (f: (d: Decisions) => number) => ds.reduce((a, d) => a + f(d), 0) / ds.length;
    console.log(
      `${arg} ${p.name.padEnd(24)} right ${pct(mean((d) => d.right))} wrong ${pct(mean((d) => d.wrong))} ` +
        `oosAns ${pct(mean((d) => d.oosAnswered))} offered ${pct(mean((d) => d.rightOrOffered))} oosOffer ${pct(mean((d) => d.oosOffered))} ` +
        `mcc ${mean((d) => d.mcc).toFixed(3)} top1 ${pct(mean((d) => d.top1))} auroc ${mean((d) => d.auroc).toFixed(3)} t ${mean((d) => d.threshold).toFixed(3)}`,
    );
  }
}
