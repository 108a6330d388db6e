import { loadConfig, readEnv } from './config.js';
import { AppError } from './domain/errors.js';
import { systemClock } from './domain/clock.js';
import { openStore } from './store/store.js';
import { agentRole, createAgent } from './queue/agents.js';
import { runFaqAsk } from './faq/cli-ask.js';
import { runFaqCheck } from './faq/cli-check.js';
import { runFaqGaps } from './faq-learning/cli-gaps.js';
import { startSwitchboard } from './main.js';
import { runBackup, runRestore } from './ops/cli-backup.js';

const USAGE = `usage: switchboard <command>
  start                                   run the service (web chat, agent API, enabled channels)
  migrate                                 apply database migrations and exit
  agents create --name NAME [--role agent|admin]
                                          create an agent; prints its token as the last line
  backup FILE                             copy the database to FILE while the service runs (PostgreSQL: pg_dump)
  restore FILE [--force]                  restore FILE into the configured database (stop the service first)
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
  if (cmd === 'agents' && sub === 'create') return agentsCreate(env, rest);
  if (cmd === 'backup' || cmd === 'restore') return (cmd === 'backup' ? runBackup : runRestore)(argv.slice(1), io);
  if (cmd === 'faq' && sub === 'check') return runFaqCheck(rest, io);
  if (cmd === 'faq' && sub === 'ask') return runFaqAsk(rest, io);
  if (cmd === 'faq' && sub === 'gaps') return runFaqGaps(rest, io);
  process.stderr.write(`${USAGE}\n`);
  return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
}

async function start(env: Record<string, string | undefined>): Promise<number> {
  const running = await startSwitchboard(env);
  process.stdout.write(`switchboard is running at ${running.url} — web chat: ${running.url}/chat\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}

async function agentsCreate(env: Record<string, string | undefined>, args: string[]): Promise<number> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [k, v] = [args[i]!, args[i + 1]];
    if (!k.startsWith('--') || v === undefined) {
      process.stderr.write(`agents create: expected --name NAME [--role agent|admin], got "${k}"\n`);
      return 2;
    }
    flags.set(k.slice(2), v);
  }
  const name = flags.get('name');
  const role = agentRole.safeParse(flags.get('role') ?? 'agent');
  if (!name || !role.success) {
    process.stderr.write('agents create: --name is required and --role must be agent or admin\n');
    return 2;
  }
  const config = loadConfig(env);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  try {
    const agent = await createAgent(store, systemClock, name, role.data);
    process.stdout.write(`created ${role.data} "${name}" (${agent.id}); its token is shown once:\n${agent.token}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`switchboard: ${err instanceof AppError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
