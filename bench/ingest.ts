/**
 * Pipeline throughput: N inbound messages from M customers through ingest (identity, conversation,
 * dedupe, FAQ decision, outbox row — one transaction each), on SQLite and, when TEST_DATABASE_URL
 * is set, on PostgreSQL. Prints measured figures; asserts nothing.
 *
 *   npm run bench:ingest [-- MESSAGES CUSTOMERS]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ingest } from '../src/pipeline/ingest.js';
import { loadFaq } from '../src/faq/load-faq.js';
import { openStore, type Store } from '../src/store/store.js';
import { systemClock } from '../src/domain/clock.js';

const total = Number(process.argv[2] ?? 2000);
const customers = Number(process.argv[3] ?? 100);
const QUESTIONS = [
  'How do I return an item?',
  'where is my parcel',
  '我想退货',
  'Can I pay with PayPal?',
  'My toaster sings at night',
  'human',
];

async function run(name: string, store: Store) {
  const { matcher } = await loadFaq(join(import.meta.dirname, '..', 'faq'));
  const deps = { store, clock: systemClock, faq: () => matcher, reopenWindowMs: 0 };
  const latencies: number[] = [];
  const started = performance.now();
  // Customers write concurrently; each customer's messages arrive in order, as channels deliver them.
  await Promise.all(
    Array.from({ length: customers }, async (_, c) => {
      for (let i = c; i < total; i += customers) {
        const t = performance.now();
        await ingest(deps, {
          channel: 'webchat',
          externalMessageId: `bench-${i}`,
          threadKey: `customer-${c}`,
          sender: { channelUserId: `customer-${c}` },
          text: QUESTIONS[i % QUESTIONS.length]!,
          attachments: [],
          receivedAt: new Date(),
        });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.floor(p * (latencies.length - 1))]!.toFixed(1);
  console.log(`| ${name} | ${total} | ${customers} | ${(total / seconds).toFixed(0)} | ${q(0.5)} | ${q(0.99)} |`);
}

console.log('| backend | messages | customers | messages/s | p50 ms | p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
const sqlite = await openStore({ sqliteFile: join(dir, 'bench.db') });
await run('SQLite (WAL)', sqlite);
await sqlite.close();
await rm(dir, { recursive: true, force: true });

const admin = process.env.TEST_DATABASE_URL;
if (admin) {
  const name = `switchboard_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), sqliteFile: '' });
  await run('PostgreSQL', store);
  await store.close();
  await client.query(`drop database ${name}`);
  await client.end();
} else {
  console.log('(PostgreSQL skipped: set TEST_DATABASE_URL)');
}
