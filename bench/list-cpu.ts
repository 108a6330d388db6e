/**
 * CPU time per `GET /api/conversations?status=queued` page, in process: QUEUED queued
 * conversations are seeded, then REQUESTS pages are fetched one at a time and the process's CPU
 * time (user + system, client included) is divided by them. Run under `node --cpu-prof` to see
 * where it goes. Prints measured figures; asserts nothing.
 *
 *   npx tsx bench/list-cpu.ts [QUEUED] [REQUESTS]
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startSwitchboard } from '../src/main.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { untilReady } from './until-ready.js';
import { createLogger } from '../src/log.js';
import { openStore } from '../src/store/store.js';
import { newId } from '../src/domain/ids.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';

const QUEUED = Number(process.argv[2] ?? 10_000);
const REQUESTS = Number(process.argv[3] ?? 300);

const dir = await tempDir('switchboard-bench-list-');
const file = join(dir.path, 'switchboard.db');
await (await openStore({ sqliteFile: file })).close();
{
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
    for (let i = 0; i < QUEUED; i++) {
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

const app = await startSwitchboard(
  { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir.path, LOG_LEVEL: 'silent', ...NO_RATE_LIMITS },
  { log: createLogger('silent') },
);
await untilReady(app.url);
const { token } = await app.createAgent('bench');
const url = `${app.url}/api/conversations?status=queued`;
const headers = { authorization: `Bearer ${token}` };
const get = async () => {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return res.text();
};
for (let i = 0; i < 30; i++) await get(); // warm-up
const cpu = process.cpuUsage();
const t = performance.now();
for (let i = 0; i < REQUESTS; i++) await get();
const used = process.cpuUsage(cpu);
const wall = performance.now() - t;
console.log(
  `${QUEUED} queued, ${REQUESTS} pages: ${((used.user + used.system) / 1000 / REQUESTS).toFixed(2)} CPU ms/page, ${(wall / REQUESTS).toFixed(2)} wall ms/page`,
);
await app.stop();
await dir.rm();
