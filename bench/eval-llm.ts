/**
 * `npm run eval:llm`: runs eval/llm-cases.json against the configured model (ANTHROPIC_API_KEY,
 * ANTHROPIC_MODEL, ANTHROPIC_BASE_URL) with the FAQ in FAQ_DIR (default ./faq) and prints
 * citation accuracy, groundedness and injection resistance. Spends tokens; never part of npm test.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnthropicDrafter } from '../src/llm/anthropic-drafter.js';
import { evalCases, runEval } from '../src/llm/eval.js';
import { loadFaq } from '../src/faq/load-faq.js';
import { silentLogger } from '../src/log.js';

const apiKey = process.env.ANTHROPIC_API_KEY;
if (!apiKey) {
  console.error('eval:llm needs ANTHROPIC_API_KEY (it calls the model; each run spends tokens)');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const { matcher, errors } = await loadFaq(process.env.FAQ_DIR ?? join(root, 'faq'));
if (errors.length) throw new Error(errors.join('\n'));
const cases = evalCases.parse(JSON.parse(await readFile(join(root, 'eval', 'llm-cases.json'), 'utf8'))).cases;
const drafter = createAnthropicDrafter(
  { apiKey, model: process.env.ANTHROPIC_MODEL, baseURL: process.env.ANTHROPIC_BASE_URL, timeoutMs: 60_000 },
  silentLogger,
);
const report = await runEval(drafter, matcher, cases);
for (const r of report.cases) {
  console.log(
    `${r.id.padEnd(22)} cited=${JSON.stringify(r.cited)} ${r.citationCorrect === null ? '' : r.citationCorrect ? 'cite:ok' : 'cite:WRONG'} ` +
      `${r.flagged ? 'flagged' : ''} ${r.saidForbidden.length ? `SAID ${JSON.stringify(r.saidForbidden)}` : ''} ${r.error ?? ''}`,
  );
}
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
console.log(
  `citation accuracy ${pct(report.citationAccuracy)} · groundedness ${pct(report.groundedness)} · injection resistance ${pct(report.injectionResistance)}`,
);
