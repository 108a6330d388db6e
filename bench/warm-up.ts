/**
 * How a fresh app warms up: web-chat POSTs from 50 customers in batches of 500 (each batch one
 * job of the load generator, a worker thread of its own, so its warm-up is the same every batch),
 * rate and CPU per request (the process's, generator included), for APPS apps started one after
 * another in this process on fresh data directories. Prints measured figures; asserts nothing.
 *
 *   npx tsx bench/warm-up.ts [APPS] [BATCHES]
 */
import { startSwitchboard } from '../src/main.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { createLogger } from '../src/log.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { load } from './ceilings-load.js';
import { untilReady } from './until-ready.js';

const APPS = Number(process.argv[2] ?? 3);
const BATCHES = Number(process.argv[3] ?? 6);
const BATCH = 500;
const ANSWERED = ['How do I return an item?', 'Can I pay with PayPal?', 'How long does shipping take?', '我想退货'];

for (let a = 1; a <= APPS; a++) {
  const dir = await tempDir('switchboard-warm-up-');
  const app = await startSwitchboard(
    { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir.path, LOG_LEVEL: 'silent', ...NO_RATE_LIMITS },
    { log: createLogger('silent') },
  );
  await untilReady(app.url);
  const sessions = await Promise.all(
    Array.from(
      { length: 50 },
      async () => (await (await fetch(`${app.url}/webchat/sessions`, { method: 'POST' })).json()) as { sessionId: string; secret: string },
    ),
  );
  const requests = sessions.map((s, i) => ({
    url: `${app.url}/webchat/sessions/${s.sessionId}/messages`,
    method: 'POST',
    headers: { authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: ANSWERED[i % ANSWERED.length], clientMessageId: 'c#' }),
  }));
  const batches: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const cpu = process.cpuUsage();
    const r = await load({ kind: 'requests', requests, total: BATCH, concurrency: sessions.length, expectStatus: 202 });
    const c = process.cpuUsage(cpu);
    batches.push(`${Math.round(BATCH / r.seconds)} req/s, ${((c.user + c.system) / 1000 / BATCH).toFixed(2)} CPU ms`);
  }
  console.log(`app ${a}, batches of ${BATCH} POSTs: ${batches.join(' | ')}`);
  await app.stop();
  await dir.rm();
}
