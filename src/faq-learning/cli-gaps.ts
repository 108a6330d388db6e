/** `switchboard faq gaps [--since ISO] [--json]`: the gaps report from the configured database. */
import { loadConfig } from '../config.js';
import { openStore } from '../store/store.js';
import { gapsReport } from './gaps.js';

export interface GapsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  now?: () => number;
}

export async function runFaqGaps(args: string[], io: GapsIo): Promise<number> {
  let since: number | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--since' && args[i + 1] !== undefined) {
      since = Date.parse(args[++i]!);
      if (Number.isNaN(since)) {
        io.stderr.write(`faq gaps: --since must be an ISO date, got "${args[i]}"\n`);
        return 2;
      }
    } else {
      io.stderr.write(`faq gaps: unexpected "${arg}" (usage: faq gaps [--since ISO] [--json])\n`);
      return 2;
    }
  }
  const config = loadConfig(io.env);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  try {
    const report = await gapsReport(store, since ?? (io.now ?? Date.now)() - 30 * 86_400_000);
    if (json) {
      io.stdout.write(JSON.stringify(report) + '\n');
      return 0;
    }
    io.stdout.write(`${report.total} handed-off question(s) since ${report.since}, in ${report.groups.length} group(s)\n`);
    for (const g of report.groups) {
      io.stdout.write(`\n${g.count} ×\n`);
      for (const e of g.examples) io.stdout.write(`  - ${e.text.replace(/\s+/g, ' ').slice(0, 200)}  (${e.conversationId}, ${e.at})\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
