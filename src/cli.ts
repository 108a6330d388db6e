import { loadConfig, readEnv, shutdownGraceMs } from './config.js';
import { createLogger } from './log.js';
import { AppError } from './domain/errors.js';
import { openStore } from './store/store.js';
import { AGENTS_USAGE, runAgentsCli } from './access/cli-agents.js';
import { CUSTOMERS_USAGE, runCustomersCli } from './privacy/cli-customers.js';
import { runFaqAsk } from './faq/cli-ask.js';
import { runFaqCheck } from './faq/cli-check.js';
import { runFaqGaps } from './faq-learning/cli-gaps.js';
import { startSwitchboard } from './main.js';
import { runBackup, runRestore } from './ops/cli-backup.js';
import { LLM_USAGE, runLlmCli } from './llm/cli-reservations.js';

const USAGE = `usage: switchboard <command>
  start                                   run the service (web chat, agent API, enabled channels)
  migrate                                 apply database migrations and exit
  backup FILE                             copy the database to FILE while the service runs (PostgreSQL: pg_dump)
  restore FILE [--force]                  restore FILE into the configured database (stop the service first)
${AGENTS_USAGE}
${CUSTOMERS_USAGE}
${LLM_USAGE}
  faq check [--faq-dir DIR]               validate the FAQ knowledge base
  faq ask [--faq-dir DIR] [--json] [QUESTION…]
                                          answer questions (arguments, or one per line on stdin)
  faq gaps [--since ISO] [--json]         handed-off questions the FAQ could not answer, grouped by similarity`;

async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env };
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'start') return start(env);
  if (cmd === 'migrate') {
    const config = loadConfig(env);
    const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
    await store.close();
    process.stdout.write(`migrations applied (${config.DATABASE_URL ? 'postgresql' : config.sqliteFile})\n`);
    return 0;
  }
  if (cmd === 'backup' || cmd === 'restore') return (cmd === 'backup' ? runBackup : runRestore)(argv.slice(1), io);
  if (cmd === 'agents') return runAgentsCli(sub, rest, io);
  if (cmd === 'customers') return runCustomersCli(sub, rest, io);
  if (cmd === 'llm') return runLlmCli(sub, rest, io);
  if (cmd === 'faq' && sub === 'check') return runFaqCheck(rest, io);
  if (cmd === 'faq' && sub === 'ask') return runFaqAsk(rest, io);
  if (cmd === 'faq' && sub === 'gaps') return runFaqGaps(rest, io);
  process.stderr.write(`${USAGE}\n`);
  return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
}

async function start(env: Record<string, string | undefined>): Promise<number> {
  const config = loadConfig(env);
  const running = await startSwitchboard(env);
  process.stdout.write(`switchboard is running at ${running.url} — web chat: ${running.url}/chat\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Each step of stop() is bounded, but what no step bounds (a callback that never returns, a
  // busy loop's timers) must not keep a stopped instance alive either: past the grace, it exits.
  const graceMs = shutdownGraceMs(config);
  const forced = setTimeout(() => {
    createLogger(config.LOG_LEVEL).error('shutdown did not finish in time; exiting', {
      graceSeconds: graceMs / 1000,
      unfinished: running.stopping(),
    });
    process.exit(1);
  }, graceMs);
  await running.stop();
  clearTimeout(forced);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`switchboard: ${err instanceof AppError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
