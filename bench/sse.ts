/**
 * What idle event streams cost another customer: a web-chat customer's round trip (POST an FAQ
 * question, answer seen on their SSE stream) with no other streams open, then with STREAMS idle
 * streams of other sessions open (a separate process holds them), in alternating rounds, with the
 * server's RSS and the event hub's reads per turn. Goal: the loaded p50 within 2 ms of idle, RSS
 * under 300 MB with the streams open. Prints measured figures; asserts nothing.
 *
 *   npm run bench:sse [-- STREAMS TURNS ROUNDS]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startSwitchboard } from '../src/main.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { createLogger } from '../src/log.js';
import { openStreams } from '../src/kit/sse.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { WebchatCustomer } from '../test/support/webchat-client.js';

const STREAMS = Number(process.argv[2] ?? 10_000);
const TURNS = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 2);
const PER_SESSION = 5;

const dir = await tempDir('switchboard-bench-sse-');
const app = await startSwitchboard(
  {
    PORT: '0',
    HOST: '127.0.0.1',
    FAQ_DIR: SAMPLE_FAQ,
    DATA_DIR: dir.path,
    SSE_MAX_STREAMS_PER_SESSION: String(PER_SESSION),
    SSE_MAX_STREAMS_PER_IP: String(STREAMS + 100),
    ...NO_RATE_LIMITS,
  },
  { log: createLogger('silent') },
);

const customer = await WebchatCustomer.open(app.url);
const stream = customer.stream();

async function turns(n: number): Promise<{ ms: number[]; reads: number }> {
  const ms: number[] = [];
  const reads = app.hub.reads;
  for (let i = 0; i < n; i++) {
    // Only the events that arrived since the question are looked at, so waiting costs the same in every phase.
    const from = stream.events.length;
    const answered = () =>
      stream.events.slice(from).some((e) => e.event === 'message' && (e.data as { direction: string }).direction === 'out');
    const t = performance.now();
    await customer.say('How do I return an item?');
    while (!answered()) await new Promise((r) => setImmediate(r));
    ms.push(performance.now() - t);
  }
  return { ms, reads: (app.hub.reads - reads) / n };
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
/** RSS after a full collection, so it shows what is held rather than garbage not yet collected. */
const rssMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};

async function openCrowd(): Promise<{ close(): Promise<void>; openMs: number }> {
  const t = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'sse-streams.ts'), app.url, String(STREAMS), String(Math.ceil(STREAMS / PER_SESSION))],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stream holder exited with ${code}`)));
  });
  if (line !== `open ${STREAMS}`) throw new Error(`stream holder: ${line}`);
  while (openStreams() < STREAMS + 1) await new Promise((r) => setTimeout(r, 50));
  return {
    openMs: performance.now() - t,
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
      while (openStreams() > 1) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

await turns(20); // warm-up
const rows: string[] = [];
const idleAll: number[] = [];
const loadedAll: number[] = [];
let peakRss = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const idle = await turns(TURNS);
  const idleRss = rssMb();
  const crowd = await openCrowd();
  const loadedRss = rssMb();
  const loaded = await turns(TURNS);
  peakRss = Math.max(peakRss, loadedRss);
  await crowd.close();
  idleAll.push(...idle.ms);
  loadedAll.push(...loaded.ms);
  rows.push(
    `| ${round} | ${q(idle.ms, 0.5).toFixed(2)} / ${q(idle.ms, 0.99).toFixed(2)} | ${q(loaded.ms, 0.5).toFixed(2)} / ${q(loaded.ms, 0.99).toFixed(2)} | ` +
      `${(q(loaded.ms, 0.5) - q(idle.ms, 0.5)).toFixed(2)} | ${idle.reads.toFixed(1)} / ${loaded.reads.toFixed(1)} | ${idleRss.toFixed(0)} / ${loadedRss.toFixed(0)} | ${(crowd.openMs / 1000).toFixed(1)} |`,
  );
}

console.log(
  `web-chat round trip (POST an FAQ question → answer on SSE), ${TURNS} turns per phase, ${STREAMS} idle streams over ${Math.ceil(STREAMS / PER_SESSION)} sessions\n`,
);
console.log(
  '| round | idle p50 / p99 ms | with streams p50 / p99 ms | p50 cost ms (goal < 2) | hub reads per turn idle / loaded | RSS MB idle / with streams (goal < 300) | streams opened in s |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log(
  `| all | ${q(idleAll, 0.5).toFixed(2)} / ${q(idleAll, 0.99).toFixed(2)} | ${q(loadedAll, 0.5).toFixed(2)} / ${q(loadedAll, 0.99).toFixed(2)} | ${(q(loadedAll, 0.5) - q(idleAll, 0.5)).toFixed(2)} | | peak ${peakRss.toFixed(0)} | |`,
);

stream.close();
await app.stop();
await dir.rm();
