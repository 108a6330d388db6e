import { Worker } from 'node:worker_threads';
import { MATCHED_PREFIX, MAX_PATTERN } from './match.js';

/**
 * Admins' regular expressions run on every hand-off inside the ingest transaction, so one that
 * backtracks catastrophically would stall the service. JavaScript's engine cannot be interrupted,
 * so a pattern is refused unless: it compiles, it is short, it has no back-reference and no
 * quantified group that itself holds a quantifier (`(a+)+`, the classic exponential shape), and
 * it runs through a set of adversarial inputs in a worker thread within a time budget (the worker
 * is terminated when it does not finish).
 */
export const CHECK_BUDGET_MS = 250;

/** Why the pattern is refused, or undefined when it is accepted. */
export async function regexProblem(pattern: string): Promise<string | undefined> {
  if (pattern.length > MAX_PATTERN) return `must be at most ${MAX_PATTERN} characters`;
  try {
    new RegExp(pattern, 'iu');
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'back-references are not allowed';
  if (nestedQuantifier(pattern)) return 'a repeated group may not contain a repetition (catastrophic backtracking)';
  return (await runsInTime(pattern)) ? undefined : `takes too long on adversarial input (over ${CHECK_BUDGET_MS} ms)`;
}

/** A group containing `*`, `+` or `{` that is itself followed by a quantifier. */
function nestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      // Skip a character class: quantifier characters inside it are literal.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (ch === '(') stack.push(false);
    else if (ch === ')') {
      const inner = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (inner && (next === '*' || next === '+' || next === '{' || next === '?')) return true;
      if (inner && stack.length) stack[stack.length - 1] = true;
    } else if ((ch === '*' || ch === '+' || ch === '{') && stack.length) stack[stack.length - 1] = true;
  }
  return false;
}

/**
 * The inputs that make backtracking engines explode, as long as the longest text a rule sees:
 * runs of each literal of the pattern (and of a letter, a digit, a space) ending in a character
 * that fails. Quadratic patterns (`[a-z]+@x`) pass at this length; exponential ones do not.
 */
function adversarialInputs(pattern: string): string[] {
  const letters = [...new Set(pattern.replace(/\\./g, '').replace(/[^\p{L}\p{N} ]/gu, ''))].slice(0, 8);
  const n = MATCHED_PREFIX - 1;
  return [...new Set(['a', '0', ' ', ...letters])].map((c) => c.repeat(n) + '!').concat(['a '.repeat(n / 2) + '\u0000']);
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.pattern, 'iu');
for (const s of workerData.inputs) re.test(s);
parentPort.postMessage('done');
`;

function runsInTime(pattern: string): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { pattern, inputs: adversarialInputs(pattern) } });
    // The budget starts once the worker runs, so a slow thread start on a busy machine is not counted.
    let timer: NodeJS.Timeout | undefined;
    worker.once('online', () => {
      timer = setTimeout(() => {
        void worker.terminate();
        resolve(false);
      }, CHECK_BUDGET_MS);
    });
    worker.once('message', () => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(true);
    });
    worker.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
