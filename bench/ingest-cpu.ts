/**
 * CPU time per message of ingest beside the raw better-sqlite3 loop of `bench:ceilings`
 * (bench/ceilings-raw.ts), batch after batch in one process: on a loaded machine the wall-clock
 * rates move with the load, the CPU spent per message much less. The same messages as the
 * ceilings bench (every one answered by the FAQ, 50 customers). PROF_PG=url runs ingest on
 * PostgreSQL instead (no ceiling then); NO_RAW=1 skips the ceiling (for a profile of ingest alone).
 * First it prints the CPU time of the FAQ match alone on the same questions (warmed first).
 *
 *   npx tsx bench/ingest-cpu.ts [MESSAGES] [BATCHES]
 *   node --cpu-prof --import tsx bench/ingest-cpu.ts 2000 3
 */
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { ingest } from '../src/pipeline/ingest.js';
import { loadFaq } from '../src/faq/load-faq.js';
import { openStore } from '../src/store/store.js';
import { systemClock } from '../src/domain/clock.js';
import { SAMPLE_FAQ } from '../test/support/app.js';
import { rawSqliteIngest } from './ceilings-raw.js';

const ANSWERED = ['How do I return an item?', 'Can I pay with PayPal?', 'How long does shipping take?', '我想退货'];
const total = Number(process.argv[2] ?? 2000);
const batches = Number(process.argv[3] ?? 3);
const customers = 50;
const pgUrl = process.env.PROF_PG;
const { matcher } = await loadFaq(SAMPLE_FAQ);
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

// The FAQ match alone on the same questions, the share of ingest's CPU that is the FAQ engine's.
{
  const n = 20_000;
  for (let i = 0; i < n; i++) matcher.match(ANSWERED[i % ANSWERED.length]!);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) matcher.match(ANSWERED[i % ANSWERED.length]!);
  console.log(`FAQ match alone: CPU ${((cpuMs(process.cpuUsage(c0)) / n) * 1000).toFixed(1)} µs a question`);
}

for (let b = 0; b < batches; b++) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-ingest-cpu-'));
  const store = await openStore(pgUrl ? { databaseUrl: pgUrl, sqliteFile: '' } : { sqliteFile: join(dir, 'ours.db') });
  const deps = { store, clock: systemClock, faq: () => matcher, reopenWindowMs: 0 };
  const run = `${Date.now()}-${b}`;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: customers }, async (_, c) => {
      for (let i = c; i < total; i += customers)
        await ingest(deps, {
          channel: 'webchat',
          externalMessageId: `${run}-m${i}`,
          threadKey: `${run}-c${c}`,
          sender: { channelUserId: `${run}-c${c}` },
          text: ANSWERED[i % ANSWERED.length]!,
          attachments: [],
          receivedAt: new Date(),
        });
    }),
  );
  const ms = performance.now() - t0;
  const ours = cpuMs(process.cpuUsage(cpu0)) / total;
  await store.close();
  let line = `batch ${b}: ingest ${Math.round((total / ms) * 1000)} msgs/s, CPU ${ours.toFixed(3)} ms/msg`;
  if (!pgUrl && !process.env.NO_RAW) {
    const file = join(dir, 'raw.db');
    await (await openStore({ sqliteFile: file })).close();
    const flat = Array.from({ length: total }, (_, i) => ({ externalId: `m${i}`, customer: `c${i % customers}`, text: ANSWERED[i % 4]! }));
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    rawSqliteIngest(file, flat, 'answer');
    const rawMs = performance.now() - t1;
    const raw = cpuMs(process.cpuUsage(c1)) / total;
    line += ` | raw ${Math.round((total / rawMs) * 1000)} msgs/s, CPU ${raw.toFixed(3)} ms/msg | CPU ratio ${Math.round((100 * raw) / ours)} %`;
  }
  console.log(line);
  await rm(dir, { recursive: true, force: true });
}
