/**
 * Every hot path of switchboard beside its ceiling, measured in the same run on the same machine:
 * each round measures a figure and then its ceiling, round after round, so both see the same
 * machine load. Prints min / median / max per figure and the ratio of the medians, and writes the
 * table into docs/performance.md (between its `ceilings` markers). PostgreSQL rows need
 * TEST_DATABASE_URL. Not part of `npm test`.
 *
 *   npm run bench:ceilings [-- --rounds 3]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { startSwitchboard, type Running } from '../src/main.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { createLogger } from '../src/log.js';
import { ingest } from '../src/pipeline/ingest.js';
import { loadFaq } from '../src/faq/load-faq.js';
import { openStore, type Store } from '../src/store/store.js';
import { systemClock } from '../src/domain/clock.js';
import { newId } from '../src/domain/ids.js';
import type { FaqMatcher } from '../src/faq/matcher.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { rawPgIngest, rawSqliteIngest, type RawMessage } from './ceilings-raw.js';
import { startHello } from './ceilings-hello.js';
import { load, type LoadJob, type LoadResult } from './ceilings-load.js';
import { memoryRound } from './ceilings-memory.js';
import { ensureCompiled } from './compiled.js';
import { instancesRound } from './ceilings-instances.js';
import { untilReady } from './until-ready.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    messages: { type: 'string', default: '3000' },
    customers: { type: 'string', default: '50' },
    /** Only these groups, comma-separated: ingest, pg, webchat, list, memory, instances (a partial table is never written). */
    only: { type: 'string', default: 'ingest,pg,webchat,list,memory,instances' },
    /** Print the table without writing docs/performance.md. */
    dry: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const MESSAGES = Number(args.messages);
const CUSTOMERS = Number(args.customers);
const PG_URL = process.env.TEST_DATABASE_URL;
const ROOT = join(import.meta.dirname, '..');
/** Questions the sample FAQ answers with confidence: every message is stored, decided and answered. */
const ANSWERED = ['How do I return an item?', 'Can I pay with PayPal?', 'How long does shipping take?', '我想退货'];
const silent = createLogger('silent');
/** The pause before each message of the paced reply figure, ms. */
const PACE: [number, number] = [1000, 3000];
/**
 * Requests sent untimed before each timed HTTP run, to switchboard and its ceiling alike (a
 * thirtieth of it for the queue list). A fresh app serves its first few thousand web-chat POSTs
 * at well under half its steady rate (in one process, 3,000 POSTs: 814 req/s, then 2,491 and
 * 2,515), a second app in the same process on the same data directory too: not the JIT, not the
 * database file; the cause is not found. The figure is the steady one, as a running service
 * serves.
 */
const WARM = 3000;

type Samples = number[];
interface Row {
  figure: string;
  unit: string;
  ours: Samples;
  ceilingName: string;
  ceiling: Samples;
  goal: string;
  /** Larger is better (throughput) or smaller is better (latency, memory). */
  higherIsBetter: boolean;
  /** Ratio of medians shown as a percentage of the ceiling (throughput) or as a plain figure. */
  ratio?: 'percent' | 'times' | 'none';
}
const rows = new Map<string, Row>();
function record(key: string, init: Omit<Row, 'ours' | 'ceiling'>, ours: number, ceiling: number): void {
  const row = rows.get(key) ?? { ...init, ours: [], ceiling: [] };
  row.ours.push(ours);
  row.ceiling.push(ceiling);
  rows.set(key, row);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const triple = (xs: number[]) => `${fmt(Math.min(...xs))} / ${fmt(median(xs))} / ${fmt(Math.max(...xs))}`;

function messagesFor(round: number, total: number, customers: number): RawMessage[][] {
  return Array.from({ length: customers }, (_, c) =>
    Array.from({ length: Math.ceil((total - c) / customers) }, (_, i) => ({
      externalId: `r${round}-m${c}-${i}`,
      customer: `r${round}-customer-${c}`,
      text: ANSWERED[(c + i) % ANSWERED.length]!,
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Ingest: the pipeline against hand-written statements on the same database.

async function pipelineIngest(store: Store, faq: FaqMatcher, byCustomer: RawMessage[][]): Promise<number> {
  const deps = { store, clock: systemClock, faq: () => faq, reopenWindowMs: 0 };
  const total = byCustomer.reduce((n, l) => n + l.length, 0);
  const started = performance.now();
  await Promise.all(
    byCustomer.map(async (list) => {
      for (const m of list) {
        await ingest(deps, {
          channel: 'webchat',
          externalMessageId: m.externalId,
          threadKey: m.customer,
          sender: { channelUserId: m.customer },
          text: m.text,
          attachments: [],
          receivedAt: new Date(),
        });
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function sqliteIngest(round: number, faq: FaqMatcher): Promise<void> {
  const ours = await tempDir('switchboard-ceiling-');
  const store = await openStore({ sqliteFile: join(ours.path, 'switchboard.db') });
  const rate = await pipelineIngest(store, faq, messagesFor(round, MESSAGES, CUSTOMERS));
  await store.close();
  await ours.rm();

  const raw = async (withFaq: boolean) => {
    const dir = await tempDir('switchboard-ceiling-');
    const file = join(dir.path, 'raw.db');
    await (await openStore({ sqliteFile: file })).close(); // the same schema, migrated
    // Interleaved as channels deliver: customer by customer, message by message.
    const lists = messagesFor(round, MESSAGES, CUSTOMERS);
    const flat = lists[0]!.flatMap((_, i) => lists.flatMap((l) => (l[i] ? [l[i]] : [])));
    const started = performance.now();
    rawSqliteIngest(file, flat, 'answer', withFaq ? faq : undefined);
    const r = flat.length / ((performance.now() - started) / 1000);
    await dir.rm();
    return r;
  };
  const info = { unit: 'msgs/s', goal: '≥ 50 %', higherIsBetter: true, ratio: 'percent' as const };
  record(
    'ingest-sqlite',
    {
      ...info,
      figure: 'ingest, every message answered by the FAQ, SQLite',
      ceilingName: 'raw better-sqlite3, same rows, 1 transaction per message',
    },
    rate,
    await raw(false),
  );
  record(
    'ingest-sqlite-faq',
    {
      ...info,
      goal: '—',
      figure: '… the same, ceiling also runs the FAQ match',
      ceilingName: 'raw better-sqlite3 + the same FAQ match per message',
    },
    rate,
    await raw(true),
  );
}

async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_URL });
  admin.on('error', () => undefined);
  await admin.connect();
  const name = `switchboard_ceiling_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`create database ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

async function pgIngest(round: number, faq: FaqMatcher): Promise<void> {
  const total = Math.round(MESSAGES / 2);
  const a = await freshPgDatabase();
  const store = await openStore({ databaseUrl: a.url, sqliteFile: '' });
  const rate = await pipelineIngest(store, faq, messagesFor(round, total, CUSTOMERS));
  await store.close();
  await a.drop();

  const b = await freshPgDatabase();
  await (await openStore({ databaseUrl: b.url, sqliteFile: '' })).close();
  const lists = messagesFor(round, total, CUSTOMERS);
  const started = performance.now();
  await rawPgIngest(b.url, lists, 'answer');
  const ceiling = total / ((performance.now() - started) / 1000);
  await b.drop();
  record(
    'ingest-pg',
    {
      figure: 'the same on PostgreSQL',
      unit: 'msgs/s',
      ceilingName: 'raw `pg`, same rows, 1 transaction per message, pool of 10',
      goal: '≥ 50 %',
      higherIsBetter: true,
      ratio: 'percent',
    },
    rate,
    ceiling,
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP: the app in this process, the load generator in a worker thread.

/** Started and ready (untilReady: the FAQ index built). */
async function startOn(dir: string): Promise<Running> {
  const app = await startSwitchboard(
    { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir, LOG_LEVEL: 'silent', ...NO_RATE_LIMITS },
    { log: silent },
  );
  await untilReady(app.url);
  return app;
}

/** An untimed run of the same job first, for switchboard and its ceiling alike: both timed warm (compiled by the JIT). */
async function warmThenLoad(job: LoadJob, warm: number): Promise<LoadResult> {
  if (job.kind === 'requests') await load({ ...job, total: warm });
  return load(job);
}

async function openSessions(base: string, n: number): Promise<{ sessionId: string; secret: string }[]> {
  return Promise.all(
    Array.from(
      { length: n },
      async () => (await (await fetch(`${base}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string; secret: string },
    ),
  );
}

function postJob(base: string, sessions: { sessionId: string; secret: string }[], total: number): LoadJob {
  return {
    kind: 'requests',
    requests: sessions.map((s, i) => ({
      url: `${base}/webchat/sessions/${s.sessionId}/messages`,
      method: 'POST',
      headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: ANSWERED[i % ANSWERED.length], clientMessageId: 'c#' }),
    })),
    total,
    concurrency: sessions.length,
    expectStatus: 202,
  };
}

async function webchat(): Promise<void> {
  const dir = await tempDir('switchboard-ceiling-');
  const app = await startOn(dir.path);
  const total = 2000;
  const ours = await warmThenLoad(postJob(app.url, await openSessions(app.url, CUSTOMERS), total), WARM);
  if (ours.errors) throw new Error(`web chat POST: ${ours.errors} requests failed`);
  // Replies: a fresh set of customers, each with its stream open, waiting for each answer.
  const many = await load({
    kind: 'replies',
    base: app.url,
    customers: await openSessions(app.url, CUSTOMERS),
    messagesEach: 10,
    text: ANSWERED[0]!,
  });
  // The same customers chatting as people do: a pause of 1-3 s before each message.
  const paced = await load({
    kind: 'replies',
    base: app.url,
    customers: await openSessions(app.url, CUSTOMERS),
    messagesEach: 10,
    text: ANSWERED[0]!,
    pauseMs: PACE,
  });
  const one = await load({
    kind: 'replies',
    base: app.url,
    customers: await openSessions(app.url, 1),
    messagesEach: 40,
    text: ANSWERED[0]!,
  });
  await app.stop();
  await dir.rm();

  const hello = await startHello(() => '{}');
  const peer = await warmThenLoad(
    postJob(
      hello.url,
      Array.from({ length: CUSTOMERS }, (_, i) => ({ sessionId: `s${i}`, secret: 'x' })),
      total,
    ),
    WARM,
  );
  await hello.close();

  record(
    'webchat-post',
    {
      figure: `web-chat \`POST …/messages\` accepted, ${CUSTOMERS} concurrent`,
      unit: 'req/s',
      ceilingName: 'Hono hello-world POST with a JSON body, same server and client',
      goal: '≥ 40 %',
      higherIsBetter: true,
      ratio: 'percent',
    },
    total / ours.seconds,
    total / peer.seconds,
  );
  const replyInfo = { unit: 'ms', ceilingName: '1 customer', goal: 'p99 < 100 ms', higherIsBetter: false, ratio: 'none' as const };
  record(
    'reply-p50',
    { ...replyInfo, figure: `reply seen on SSE, ${CUSTOMERS} customers sending again at once (closed loop), p50`, goal: '—' },
    quantile(many.latencies, 0.5),
    quantile(one.latencies, 0.5),
  );
  record(
    'reply-p99',
    { ...replyInfo, figure: `reply seen on SSE, ${CUSTOMERS} customers sending again at once (closed loop), p99`, goal: '—' },
    quantile(many.latencies, 0.99),
    quantile(one.latencies, 0.99),
  );
  const pacedName = `reply seen on SSE, ${CUSTOMERS} customers chatting (${PACE[0] / 1000}-${PACE[1] / 1000} s before each message)`;
  record(
    'reply-paced-p50',
    { ...replyInfo, figure: `${pacedName}, p50`, goal: '—' },
    quantile(paced.latencies, 0.5),
    quantile(one.latencies, 0.5),
  );
  record('reply-paced-p99', { ...replyInfo, figure: `${pacedName}, p99` }, quantile(paced.latencies, 0.99), quantile(one.latencies, 0.99));
}

/** `count` queued conversations, each with its customer and one message, written straight into a migrated database. */
function seedQueued(file: string, from: number, count: number): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  const customer = db.prepare('insert into customers (id, display_name, created_at) values (?, ?, ?)');
  const conversation = db.prepare(
    `insert into conversations (id, customer_id, channel, thread_key, status, waiting_since, last_message_at, created_at, updated_at)
     values (?, ?, 'webchat', ?, 'queued', ?, ?, ?, ?)`,
  );
  const message = db.prepare(
    `insert into messages (id, conversation_id, channel, external_id, direction, author, text, created_at)
     values (?, ?, 'webchat', ?, 'in', 'customer', ?, ?)`,
  );
  const t0 = Date.now() - 86_400_000;
  db.transaction(() => {
    for (let i = from; i < from + count; i++) {
      const at = t0 + i;
      const c = newId(at);
      const v = newId(at);
      customer.run(c, `Customer ${i}`, at);
      conversation.run(v, c, `seed-${i}`, at, at, at, at);
      message.run(newId(at), v, `seed-${i}`, `My order ${i} has not arrived yet, can someone look?`, at);
    }
  })();
  db.close();
}

async function queueList(): Promise<void> {
  const dir = await tempDir('switchboard-ceiling-');
  const file = join(dir.path, 'switchboard.db');
  await (await openStore({ sqliteFile: file })).close();
  let seeded = 0;
  for (const size of [10_000, 100_000]) {
    seedQueued(file, seeded, size - seeded);
    seeded = size;
    const app = await startOn(dir.path);
    const { token } = await app.createAgent('bench');
    const url = `${app.url}/api/conversations?status=queued`;
    const headers = { authorization: `Bearer ${token}` };
    const body = await (await fetch(url, { headers })).text();
    const job = (u: string): LoadJob => ({
      kind: 'requests',
      requests: [{ url: u, method: 'GET', headers }],
      total: 400,
      concurrency: 10,
      expectStatus: 200,
    });
    const ours = await warmThenLoad(job(url), WARM / 30);
    await app.stop();
    const hello = await startHello(() => body);
    const peer = await warmThenLoad(job(`${hello.url}/api/conversations`), WARM / 30);
    await hello.close();
    record(
      `list-${size}`,
      {
        figure: `\`GET /api/conversations?status=queued\`, ${size.toLocaleString('en')} queued (${Math.round(body.length / 1024)} KB page)`,
        unit: 'req/s',
        ceilingName: 'hello-world GET returning the same JSON',
        goal: '≥ 40 %, flat',
        higherIsBetter: true,
        ratio: 'percent',
      },
      400 / ours.seconds,
      400 / peer.seconds,
    );
  }
  await dir.rm();
}

// ---------------------------------------------------------------------------------------------
// Memory (ceilings-memory.ts): the compiled `switchboard start`, as `npm start` runs it.

async function seedForMemory(): Promise<{ dir: { path: string; rm(): Promise<void> }; token: string }> {
  const dir = await tempDir('switchboard-ceiling-');
  const file = join(dir.path, 'switchboard.db');
  const store = await openStore({ sqliteFile: file });
  await store.close();
  seedQueued(file, 0, 100_000);
  const app = await startOn(dir.path);
  const { token } = await app.createAgent('bench');
  await app.stop();
  return { dir, token };
}

// ---------------------------------------------------------------------------------------------

function table(): string {
  const lines = ['| figure | switchboard (min / median / max) | ceiling (min / median / max) | ratio | goal |', '|---|---|---|---|---|'];
  for (const r of rows.values()) {
    const ours = median(r.ours);
    const ceiling = median(r.ceiling);
    const ratio =
      r.ratio === 'percent' ? `${Math.round((100 * ours) / ceiling)} %` : r.ratio === 'times' ? `${(ours / ceiling).toFixed(1)}×` : '—';
    lines.push(`| ${r.figure} (${r.unit}) | ${triple(r.ours)} | ${r.ceilingName}: ${triple(r.ceiling)} | ${ratio} | ${r.goal} |`);
  }
  return lines.join('\n');
}

const { matcher } = await loadFaq(SAMPLE_FAQ);
for (const q of ANSWERED) if (!matcher.match(q).answered) throw new Error(`the sample FAQ does not answer "${q}"`);
const only = new Set(args.only.split(','));
if (only.has('memory') || (only.has('instances') && PG_URL)) await ensureCompiled();
const memorySeed = only.has('memory') ? await seedForMemory() : undefined;
for (let round = 1; round <= ROUNDS; round++) {
  console.error(`round ${round}/${ROUNDS}…`);
  if (only.has('ingest')) await sqliteIngest(round, matcher);
  if (only.has('pg') && PG_URL) await pgIngest(round, matcher);
  if (only.has('webchat')) await webchat();
  if (only.has('list')) await queueList();
  if (memorySeed) await memoryRound(record, memorySeed.dir.path, memorySeed.token);
  if (only.has('instances') && PG_URL) await instancesRound(record, PG_URL, CUSTOMERS);
}
await memorySeed?.dir.rm();

const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')} at the end`;
const out = [
  `Measured ${when} UTC with \`${PG_URL ? 'TEST_DATABASE_URL=… ' : ''}npm run bench:ceilings -- --rounds ${ROUNDS}\` (${ROUNDS} interleaved rounds; ${MESSAGES} messages from ${CUSTOMERS} customers per ingest round${PG_URL ? ', half as many on PostgreSQL' : ''}) on ${machine}.${PG_URL ? '' : ' PostgreSQL rows: set TEST_DATABASE_URL.'}`,
  '',
  table(),
].join('\n');
console.log(out);

if (!args.dry && only.size === 6) {
  const path = join(ROOT, 'docs', 'performance.md');
  const doc = await readFile(path, 'utf8');
  const begin = '<!-- ceilings:begin (written by npm run bench:ceilings) -->';
  const end = '<!-- ceilings:end -->';
  const at = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (at < 0 || to < 0) throw new Error(`docs/performance.md needs the ${begin} and ${end} markers`);
  await writeFile(path, `${doc.slice(0, at + begin.length)}\n${out}\n${doc.slice(to)}`);
  console.error('written to docs/performance.md');
}
