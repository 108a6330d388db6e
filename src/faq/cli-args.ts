/** Shared pieces of the `faq check` and `faq ask` commands. */
import { faqEnvShape } from './env.js';

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
  const out: FaqArgs = { faqDir: faqEnvShape.FAQ_DIR.parse(env.FAQ_DIR), json: false, rest: [] };
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
 * FAQ_MIN_CONFIDENCE from the environment, checked as the server checks it (faq/env.ts);
 * undefined when unset, so the threshold calibrated on the knowledge base applies.
 */
export function minConfidenceFrom(env: Record<string, string | undefined>): number | undefined {
  const raw = env.FAQ_MIN_CONFIDENCE;
  const parsed = faqEnvShape.FAQ_MIN_CONFIDENCE.safeParse(raw);
  if (!parsed.success) throw new UsageError(`FAQ_MIN_CONFIDENCE ${parsed.error.issues[0]!.message}, got "${raw}"`);
  return parsed.data;
}
