/**
 * The few-shot protocols on validation questions only (CLINC150 `val`, xSID zh `valid`):
 *   npx tsx bench/tune-few-shot.ts '{}' '{"minSuggest":0.1}'
 * Each argument is a set of EngineOptions overrides; prints the mean over the 5 seeds.
 */
import type { EngineOptions } from '../src/faq/faq-index.js';
import { decide, type Decisions } from './engine-run.js';
import { clincFewShot, SEEDS, xsidFewShot } from './few-shot.js';

const protocols = [
  { name: 'CLINC150 k=2 15 entries', run: (s: number) => clincFewShot(15, 2, s, 'val'), locale: 'en' },
  { name: 'CLINC150 k=5 50 entries', run: (s: number) => clincFewShot(50, 5, s, 'val'), locale: 'en' },
  { name: 'xSID zh k=2', run: (s: number) => xsidFewShot(2, s, 'val'), locale: 'zh' },
  { name: 'xSID zh k=5', run: (s: number) => xsidFewShot(5, s, 'val'), locale: 'zh' },
];
const pct = (v: number) => (v * 100).toFixed(1).padStart(5);
for (const arg of process.argv.slice(2)) {
  const opts = JSON.parse(arg) as Partial<EngineOptions>;
  for (const p of protocols) {
    const ds: Decisions[] = SEEDS.map((s) => decide(p.run(s), p.locale, opts));
    const mean = (f: (d: Decisions) => number) => ds.reduce((a, d) => a + f(d), 0) / ds.length;
    console.log(
      `${arg} ${p.name.padEnd(24)} right ${pct(mean((d) => d.right))} wrong ${pct(mean((d) => d.wrong))} ` +
        `oosAns ${pct(mean((d) => d.oosAnswered))} offered ${pct(mean((d) => d.rightOrOffered))} oosOffer ${pct(mean((d) => d.oosOffered))} ` +
        `mcc ${mean((d) => d.mcc).toFixed(3)} t ${mean((d) => d.threshold).toFixed(3)}`,
    );
  }
}
