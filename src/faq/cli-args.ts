/** Shared pieces of the `faq check` and `faq ask` commands. */

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Read by `faq ask` when no question is given as an argument. */
  stdin?: NodeJS.ReadableStream;
  env?: Record<string, string | undefined>;
}

export interface FaqArgs {
  faqDir: string;
  json: boolean;
  rest: string[];
}

export class UsageError extends Error {}

export function parseFaqArgs(args: string[], env: Record<string, string | undefined>, allowJson: boolean): FaqArgs {
  const out: FaqArgs = { faqDir: env.FAQ_DIR || './faq', json: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.rest.push(...args.slice(i + 1));
      break;
    } else if (arg === '--faq-dir') {
      const dir = args[++i];
      if (!dir) throw new UsageError('--faq-dir needs a directory');
      out.faqDir = dir;
    } else if (arg.startsWith('--faq-dir=')) {
      out.faqDir = arg.slice('--faq-dir='.length);
    } else if (arg === '--json' && allowJson) {
      out.json = true;
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      out.rest.push(arg);
    }
  }
  return out;
}

/**
 * FAQ_MIN_CONFIDENCE from the environment, checked the same way wherever it is read;
 * undefined when unset, so the threshold calibrated on the knowledge base applies.
 */
export function minConfidenceFrom(env: Record<string, string | undefined>): number | undefined {
  const raw = env.FAQ_MIN_CONFIDENCE;
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`FAQ_MIN_CONFIDENCE must be a number between 0 and 1, got "${raw}"`);
  }
  return value;
}
