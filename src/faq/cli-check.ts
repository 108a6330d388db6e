/** `switchboard faq check [--faq-dir DIR]`: every problem as `path:line: message`, exit 1 on any. */
import { parseFaqArgs, UsageError, type CliIo } from './cli-args.js';
import { formatProblem } from './entry.js';
import { loadEntries } from './load-entries.js';

export async function runFaqCheck(args: string[], io: CliIo): Promise<number> {
  let dir: string;
  try {
    const parsed = parseFaqArgs(args, io.env ?? process.env, false);
    if (parsed.rest.length > 0) throw new UsageError(`unexpected argument ${parsed.rest[0]}`);
    dir = parsed.faqDir;
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
  return 0;
}
