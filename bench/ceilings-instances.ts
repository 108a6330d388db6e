/**
 * The `instances` group of `npm run bench:ceilings` (needs TEST_DATABASE_URL): the same ingest and
 * API figures with 1 and then 3 `switchboard start` processes (compiled, as `npm start` runs them)
 * on one fresh PostgreSQL database. Web-chat POSTs (each stored and answered by the FAQ before its
 * 202) and queue-list GETs are spread round-robin over the instances by a load generator in a
 * worker thread of the bench process; the 1-instance run is the row's reference. All processes
 * share the machine's cores with each other, with PostgreSQL and with the load generator, so on a
 * small machine 3 instances measure the cost of coordination more than added capacity.
 */
import pg from 'pg';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { openStore } from '../src/store/store.js';
import { createAgent } from '../src/queue/agents.js';
import { systemClock } from '../src/domain/clock.js';
import { SAMPLE_FAQ, tempDir } from '../test/support/app.js';
import { startCompiled, type Proc } from './compiled.js';
import { load, type LoadJob } from './ceilings-load.js';
import type { RecordRow } from './ceilings-memory.js';

const POSTS = 1000;
const GETS = 300;
/** Conversations handed to the queue before the GETs, so the list has a page to read. */
const QUEUED = 60;
const ANSWERED = 'How do I return an item?';
const UNANSWERED = 'Quarterly partnership proposal for your marketing team';

/** A database of its own on the server at `serverUrl`, migrated, with an admin for the API. */
async function freshDatabase(serverUrl: string): Promise<{ url: string; token: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  const name = `switchboard_instances_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Migrations first, so the instances start on a ready schema (as test/failover does).
  const store = await openStore({ databaseUrl: url.toString(), sqliteFile: '' });
  const { token } = await createAgent(store, systemClock, 'bench', 'admin');
  await store.close();
  return {
    url: url.toString(),
    token,
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

type Session = { sessionId: string; secret: string };

async function sessionsOn(bases: string[], n: number): Promise<Session[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${bases[i % bases.length]}/webchat/sessions`, { method: 'POST' });
      if (res.status !== 201) throw new Error(`session: ${res.status}`);
      return (await res.json()) as Session;
    }),
  );
}

function posts(bases: string[], sessions: Session[], text: string, total: number): LoadJob {
  return {
    kind: 'requests',
    // Customer i on instance i mod n, as a proxy spreading connections would place them.
    requests: sessions.map((s, i) => ({
      url: `${bases[i % bases.length]}/webchat/sessions/${s.sessionId}/messages`,
      method: 'POST',
      headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, clientMessageId: 'c#' }),
    })),
    total,
    concurrency: sessions.length,
    expectStatus: 202,
  };
}

interface Figures {
  postsPerSecond: number;
  getsPerSecond: number;
  queued: number;
}

async function measure(serverUrl: string, instances: number, customers: number): Promise<Figures> {
  const db = await freshDatabase(serverUrl);
  const dirs = await Promise.all(Array.from({ length: instances }, () => tempDir('switchboard-instances-')));
  const procs: Proc[] = [];
  try {
    procs.push(
      ...(await Promise.all(
        dirs.map((d) => startCompiled({ DATABASE_URL: db.url, DATA_DIR: d.path, FAQ_DIR: SAMPLE_FAQ, ...NO_RATE_LIMITS })),
      )),
    );
    const bases = procs.map((p) => p.url);
    const queuedBy = await sessionsOn(bases, QUEUED);
    const handedOff = await load(posts(bases, queuedBy, UNANSWERED, QUEUED));
    if (handedOff.errors) throw new Error(`hand-off POSTs: ${handedOff.errors} failed`);

    const ingest = await load(posts(bases, await sessionsOn(bases, customers), ANSWERED, POSTS));
    if (ingest.errors) throw new Error(`web-chat POSTs on ${instances} instance(s): ${ingest.errors} failed`);

    const headers = { authorization: `Bearer ${db.token}` };
    const listUrl = (base: string) => `${base}/api/conversations?status=queued`;
    const page = (await (await fetch(listUrl(bases[0]!), { headers })).json()) as { items: unknown[] };
    const list = await load({
      kind: 'requests',
      requests: bases.map((b) => ({ url: listUrl(b), method: 'GET', headers })),
      total: GETS,
      concurrency: 10,
      expectStatus: 200,
    });
    if (list.errors) throw new Error(`queue-list GETs on ${instances} instance(s): ${list.errors} failed`);
    return { postsPerSecond: POSTS / ingest.seconds, getsPerSecond: GETS / list.seconds, queued: page.items.length };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await db.drop();
    for (const d of dirs) await d.rm();
  }
}

/** One round: 1 instance, then 3; call ensureCompiled() first. */
export async function instancesRound(record: RecordRow, serverUrl: string, customers: number): Promise<void> {
  const one = await measure(serverUrl, 1, customers);
  const three = await measure(serverUrl, 3, customers);
  console.error(
    `instances: POST ${one.postsPerSecond.toFixed(0)} → ${three.postsPerSecond.toFixed(0)} msgs/s (${(three.postsPerSecond / one.postsPerSecond).toFixed(2)}×), ` +
      `queue list ${one.getsPerSecond.toFixed(0)} → ${three.getsPerSecond.toFixed(0)} req/s (${(three.getsPerSecond / one.getsPerSecond).toFixed(2)}×), ${three.queued} rows a page`,
  );
  const info = { ceilingName: '1 instance, same database server and client', goal: '—', higherIsBetter: true, ratio: 'times' as const };
  record(
    'instances-post',
    {
      ...info,
      figure: `web-chat \`POST …/messages\` accepted (stored, FAQ-answered), ${customers} concurrent, PostgreSQL, 3 instances`,
      unit: 'msgs/s',
    },
    three.postsPerSecond,
    one.postsPerSecond,
  );
  record(
    'instances-list',
    {
      ...info,
      figure: `\`GET /api/conversations?status=queued\` (${three.queued} rows), 10 concurrent, PostgreSQL, 3 instances`,
      unit: 'req/s',
    },
    three.getsPerSecond,
    one.getsPerSecond,
  );
}
