/**
 * `switchboard faq ask [--faq-dir DIR] [--json] [QUESTION…]`: what the bot would do with each
 * question (arguments, or else one per line on standard input). `--json` prints exactly one
 * JSON line per question, in order.
 */
import { createInterface } from 'node:readline';
import { minConfidenceFrom, parseFaqArgs, UsageError, type CliIo } from './cli-args.js';
import { loadFaq } from './load-faq.js';
import type { FaqResult } from './matcher.js';

const USAGE = 'usage: switchboard faq ask [--faq-dir DIR] [--json] [QUESTION…]';

export async function runFaqAsk(args: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let parsed;
  let minConfidence: number | undefined;
  try {
    parsed = parseFaqArgs(args, env, true);
    minConfidence = minConfidenceFrom(env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`faq ask: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const { matcher, errors } = await loadFaq(parsed.faqDir, minConfidence === undefined ? {} : { minConfidence });
  if (errors.length > 0) {
    for (const e of errors) io.stderr.write(e + '\n');
    io.stderr.write(`faq ask: the knowledge base in ${parsed.faqDir} has ${errors.length} problem(s); run "switchboard faq check"\n`);
    return 1;
  }
  const answer = (question: string) => {
    const result = matcher.match(question);
    io.stdout.write((parsed.json ? jsonLine(question, result) : readableLine(question, result)) + '\n');
  };
  if (parsed.rest.length > 0) {
    parsed.rest.forEach(answer);
    return 0;
  }
  if (!io.stdin) {
    io.stderr.write(`faq ask: no question given\n${USAGE}\n`);
    return 2;
  }
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    if (line.trim()) answer(line);
  }
  return 0;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

function jsonLine(question: string, r: FaqResult): string {
  return JSON.stringify({
    question,
    answered: r.answered,
    entryId: r.entryId,
    confidence: round(r.confidence),
    suggestions: r.suggestions ?? [],
    locale: r.locale,
    candidates: r.candidates.map((c) => ({ entryId: c.entryId, score: round(c.score) })),
  });
}

function readableLine(question: string, r: FaqResult): string {
  const closest = r.candidates.map((c) => `${c.entryId} ${c.score.toFixed(2)}`).join(', ') || 'none';
  if (r.answered) return `${question}\n  → ${r.entryId} [${r.locale}, confidence ${r.confidence.toFixed(2)}]`;
  const suggestions = r.suggestions ?? [];
  if (suggestions.length > 0) {
    return `${question}\n  → offer ${suggestions.join(' / ')} or a person [${r.locale}, confidence ${r.confidence.toFixed(2)}]`;
  }
  return `${question}\n  → hand off [${r.locale}, confidence ${r.confidence.toFixed(2)}; closest: ${closest}]`;
}
