/** `switchboard <command>`: a small dispatcher; each command lives in its own module. */
import { runFaqAsk } from './faq/cli-ask.js';
import { runFaqCheck } from './faq/cli-check.js';
import type { CliIo } from './faq/cli-args.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  'faq check': runFaqCheck,
  'faq ask': runFaqAsk,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  for (const [name, run] of Object.entries(commands)) {
    const words = name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return run(argv.slice(words.length), io);
  }
  io.stderr.write(`usage: switchboard <command>\ncommands:\n${Object.keys(commands).map((c) => `  ${c}`).join('\n')}\n`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
