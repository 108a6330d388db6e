/**
 * Search stays indexed: the time of a search at 10k and at 100k messages (SQLite; PostgreSQL too
 * when TEST_DATABASE_URL is set). A scan of the text would take ten times longer at ten times the
 * rows; an index lookup stays near flat (what grows is the number of hits ranked, kept equal here:
 * the searched words occur in a fixed number of messages). Prints figures; asserts nothing.
 *
 *   npm run bench:search [-- SMALL LARGE]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../src/store/store.js';
import { newId } from '../src/domain/ids.js';
import { parseQuery } from '../src/domain/search-text.js';

const small = Number(process.argv[2] ?? 10_000);
const large = Number(process.argv[3] ?? 100_000);
const WORDS = 'order parcel delivery return refund invoice account password shipping address colour size'.split(' ');
const ZH = ['包裹', '快递', '发票', '地址', '颜色', '尺寸', '账户', '密码'];
/** Messages holding the searched words: the same count at every size, so only the index's depth changes. */
const NEEDLES = 50;
const QUERIES = ['zorblax', '我想退货', '退货', 'zorblax refund'];

function filler(i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
  return `${w(1)} ${w(2)} about my ${w(3)} number ${i} ${ZH[i % ZH.length]}${ZH[(i + 3) % ZH.length]} ${w(4)}`;
}

async function fill(store: Store, from: number, to: number, conversationIds: string[]) {
  for (let start = from; start < to; start += 1000) {
    await store.tx(async (r) => {
      for (let i = start; i < Math.min(to, start + 1000); i++) {
        const needle = i % Math.floor(large / NEEDLES) === 0 && i < small;
        await r.messages.insert({
          id: newId(),
          conversationId: conversationIds[i % conversationIds.length]!,
          channel: 'webchat',
          externalId: null,
          direction: 'in',
          author: 'customer',
          agentId: null,
          text: needle ? `zorblax refund please, 我想退货 ${i}` : filler(i),
          meta: null,
          createdAt: i,
        });
      }
    });
  }
}

async function timeQueries(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const q of QUERIES) {
    const req = { terms: parseQuery(q).terms, kinds: ['message' as const], viewerId: 'agent-x', limit: 50 };
    await store.read((r) => r.search.search(req));
    const runs: number[] = [];
    let hits = 0;
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      hits = (await store.read((r) => r.search.search(req))).length;
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    out[q] = `${runs[10]!.toFixed(2)} ms (${hits} hits)`;
  }
  return out;
}

async function run(name: string, store: Store) {
  const conversationIds: string[] = [];
  await store.tx(async (r) => {
    const customerId = newId();
    await r.customers.insert({
      id: customerId,
      displayName: 'Bench',
      email: null,
      locale: null,
      createdAt: 0,
      erasedAt: null,
      tier: 'standard',
      notes: null,
      mergedInto: null,
    });
    for (let c = 0; c < 100; c++) {
      const id = newId();
      conversationIds.push(id);
      await r.conversations.insert({
        id,
        customerId,
        channel: 'webchat',
        threadKey: id,
        status: 'queued',
        assigneeId: c % 2 ? 'agent-y' : null,
        lastAssigneeId: null,
        team: null,
        priority: 'normal',
        locale: null,
        subject: null,
        waitingSince: 0,
        lastMessageAt: 0,
        resolvedAt: null,
        csat: null,
        createdAt: 0,
        updatedAt: 0,
        redactedAt: null,
        slaStartedAt: null,
        firstRespondedAt: null,
        firstResponseBreachedAt: null,
        resolutionBreachedAt: null,
        snoozedUntil: null,
      });
    }
  });
  await fill(store, 0, small, conversationIds);
  const atSmall = await timeQueries(store);
  await fill(store, small, large, conversationIds);
  const atLarge = await timeQueries(store);
  console.log(`\n${name}: median of 20 searches (agent scope, limit 50)`);
  for (const q of QUERIES)
    console.log(
      `  ${JSON.stringify(q).padEnd(18)} ${String(small).padStart(7)} msgs: ${atSmall[q]!.padEnd(22)} ${large} msgs: ${atLarge[q]}`,
    );
  const plan = await store.read((r) =>
    r.search.explain({ terms: parseQuery('退货').terms, kinds: ['message'], viewerId: 'agent-x', limit: 50 }),
  );
  console.log(`  plan: ${plan.join(' | ')}`);
}

const dir = await mkdtemp(join(tmpdir(), 'sb-search-bench-'));
try {
  const store = await openStore({ sqliteFile: join(dir, 'bench.db') });
  await run('SQLite', store);
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

const url = process.env.TEST_DATABASE_URL;
if (url) {
  const name = `bench_search_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const target = new URL(url);
    target.pathname = `/${name}`;
    const store = await openStore({ databaseUrl: target.toString(), sqliteFile: '' });
    await store.tx((r) => r.state.set('analyze', '1', 0));
    await run('PostgreSQL', store);
    await store.close();
  } finally {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}
