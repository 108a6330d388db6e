/**
 * `switchboard faq check [--faq-dir DIR]`: every problem as `path:line: message`, exit 1 on any;
 * for a valid knowledge base, the operating point calibrated on it, per locale.
 */
import { minConfidenceFrom, parseFaqArgs, UsageError, type CliIo } from './cli-args.js';
import type { OperatingPoint } from './calibrate.js';
import { formatProblem } from './entry.js';
import { FaqIndex } from './faq-index.js';
import { loadEntries } from './load-entries.js';

export async function runFaqCheck(args: string[], io: CliIo): Promise<number> {
  let dir: string;
  let minConfidence: number | undefined;
  try {
    const env = io.env ?? process.env;
    const parsed = parseFaqArgs(args, env, false);
    if (parsed.rest.length > 0) throw new UsageError(`unexpected argument ${parsed.rest[0]}`);
    dir = parsed.faqDir;
    minConfidence = minConfidenceFrom(env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`faq check: ${err.message}\nusage: switchboard faq check [--faq-dir DIR]\n`);
    return 2;
  }
  const kb = await loadEntries(dir);
  for (const p of kb.problems) io.stdout.write(formatProblem(p) + '\n');
  const ids = new Set(kb.entries.map((e) => e.id));
  const locales = [...new Set(kb.entries.map((e) => e.locale))].sort();
  if (kb.problems.length > 0) {
    io.stderr.write(`faq check: ${kb.problems.length} problem(s) in ${dir}\n`);
    return 1;
  }
  io.stdout.write(`faq check: ${ids.size} entries in ${locales.join(', ')} — OK\n`);
  const index = new FaqIndex(kb.entries, kb.synonyms, minConfidence === undefined ? {} : { minConfidence });
  for (const p of index.operatingPoints) io.stdout.write(describe(p, index, minConfidence) + '\n');
  return 0;
}

const pct = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v * 100)} %`);

/** Expected figures come from calibration (left-out example questions, background questions), not from customers. */
function describe(p: OperatingPoint, index: FaqIndex, override: number | undefined): string {
  const answerAt = index.threshold(p.locale);
  const source = override === undefined ? 'calibrated' : `FAQ_MIN_CONFIDENCE (calibrated ${p.answerAt.toFixed(2)})`;
  const expected =
    override === undefined
      ? `expected to answer ${pct(p.answered)} of questions its entries cover (${pct(p.wrong)} wrong, ` +
        `${pct(p.rightOrOffered)} answered right or offered as a choice) and ${pct(p.oosAnswered)} of unrelated questions`
      : 'expected figures are for the calibrated threshold only';
  return (
    `  ${p.locale}: answers at confidence ≥ ${answerAt.toFixed(2)} [${source}], offers choices from ${index.suggestThreshold(p.locale).toFixed(2)}; ` +
    `${expected} (from ${p.heldOut} left-out example questions and ${p.background} background questions)`
  );
}
