/**
 * `npm run bench:flood [-- ROUND_TRIPS_PER_CUSTOMER CUSTOMERS FLOOD_CONNECTIONS]`
 *
 * One customer floods the web chat (messages into its session and new sessions, as fast as
 * FLOOD_CONNECTIONS connections go) while other customers ask FAQ questions; their round trip
 * (POST until the bot's answer arrives on their event stream) is measured idle and under the
 * flood, against the service in its own process with its default limits. The ceiling: p99
 * under flood within 2x of idle. Customers are told apart by X-Forwarded-For (TRUST_PROXY=1),
 * as behind a reverse proxy.
 */
import { Worker } from 'node:worker_threads';
import { tempDir } from '../test/support/app.js';
import { startProcess } from '../test/support/process.js';
import { RawSseReader } from '../test/support/webchat-client.js';

const [perCustomer = 15, customers = 8, connections = 32] = process.argv.slice(2).map(Number);
const UNSET = '';

const dir = await tempDir('switchboard-flood-');
// Blank values mean "unset": the service runs with its documented default limits.
const service = await startProcess({
  DATA_DIR: dir.path,
  TRUST_PROXY: '1',
  RATE_LIMIT_IP_PER_MINUTE: UNSET,
  RATE_LIMIT_AGENT_PER_MINUTE: UNSET,
  RATE_LIMIT_SESSION_CREATE_PER_MINUTE: UNSET,
  RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: UNSET,
  RATE_LIMIT_DELAY_MS: UNSET,
});

async function customer(ip: string) {
  const headers = { 'x-forwarded-for': ip };
  const res = await fetch(`${service.url}/webchat/sessions`, { method: 'POST', headers });
  if (res.status !== 201) throw new Error(`session for ${ip}: ${res.status}`);
  const s = (await res.json()) as { sessionId: string; secret: string };
  const auth = { ...headers, authorization: `Bearer ${s.secret}` };
  const stream = new RawSseReader(`${service.url}/webchat/sessions/${s.sessionId}/events`, auth);
  const answers = () => stream.events.filter((e) => e.event === 'message' && (e.data as { author: string }).author === 'bot').length;
  return {
    /** Milliseconds from sending a question to its answer arriving on the stream. */
    async roundTrip(): Promise<number> {
      const before = answers();
      const t0 = performance.now();
      const sent = await fetch(`${service.url}/webchat/sessions/${s.sessionId}/messages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'How do I return an item?', clientMessageId: crypto.randomUUID() }),
      });
      if (sent.status !== 202) throw new Error(`customer ${ip} refused: ${sent.status}`);
      while (answers() <= before) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    },
    close: () => stream.close(),
  };
}

async function measure(ipPrefix: string): Promise<number[]> {
  const people = await Promise.all(Array.from({ length: customers }, (_, i) => customer(`${ipPrefix}.${i + 1}`)));
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  await Promise.all(
    people.map(async (p) => {
      for (let i = 0; i < perCustomer; i++) samples.push(await p.roundTrip());
    }),
  );
  for (const p of people) p.close();
  return samples;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// The flooder runs in a thread of its own, so its loop does not slow the measuring one.
const FLOODER = `
const { workerData, parentPort } = require('node:worker_threads');
const { url, connections } = workerData;
const headers = { 'x-forwarded-for': '198.18.0.66' };
let stop = false;
const counts = {};
parentPort.on('message', () => { stop = true; });
(async () => {
  const s = await (await fetch(url + '/webchat/sessions', { method: 'POST', headers })).json();
  const loops = Array.from({ length: connections }, async (_, i) => {
    while (!stop) {
      const res = i % 4 === 0
        ? await fetch(url + '/webchat/sessions', { method: 'POST', headers })
        : await fetch(url + '/webchat/sessions/' + s.sessionId + '/messages', {
            method: 'POST',
            headers: { ...headers, authorization: 'Bearer ' + s.secret, 'content-type': 'application/json' },
            body: JSON.stringify({ text: 'flood ' + Math.random(), clientMessageId: crypto.randomUUID() }),
          });
      await res.arrayBuffer();
      counts[res.status] = (counts[res.status] ?? 0) + 1;
    }
  });
  await Promise.all(loops);
  parentPort.postMessage(counts);
})();
`;

try {
  // Warm-up: first requests pay for lazy initialisation.
  await measure('198.19.0');
  const idle = await measure('198.19.1');

  const flooder = new Worker(FLOODER, { eval: true, workerData: { url: service.url, connections } });
  const floodCounts = new Promise<Record<string, number>>((resolve) => flooder.once('message', resolve));
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = performance.now();
  const flooded = await measure('198.19.2');
  const seconds = (performance.now() - t0) / 1000;
  flooder.postMessage('stop');
  const counts = await floodCounts;
  await flooder.terminate();

  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`web chat round trip of ${customers} customers × ${perCustomer} FAQ questions (bot answer on the event stream)`);
  console.log(`  idle          p50 ${pct(idle, 50).toFixed(1)} ms   p99 ${pct(idle, 99).toFixed(1)} ms`);
  console.log(`  under flood   p50 ${pct(flooded, 50).toFixed(1)} ms   p99 ${pct(flooded, 99).toFixed(1)} ms`);
  console.log(
    `  flood: ${connections} connections from one address, ${requests} requests in ${seconds.toFixed(1)} s+ (${Math.round(requests / (seconds + 1))}/s), answers ${JSON.stringify(counts)}`,
  );
  const ratio = pct(flooded, 99) / pct(idle, 99);
  console.log(`  p99 under flood / idle: ${ratio.toFixed(2)}× (ceiling 2×) ${ratio <= 2 ? 'within' : 'OVER'}`);
} finally {
  await service.stop();
  await dir.rm();
}
