/**
 * What idle event streams cost another customer: a web-chat customer's round trip (POST an FAQ
 * question, answer seen on their SSE stream) with no other streams open, then with STREAMS idle
 * streams of other sessions open (a separate process holds them), in alternating rounds, with the
 * server's RSS. The server is `switchboard start` as `npm start` runs it (compiled, plain node,
 * a process of its own; see compiled.ts). Goal: the loaded p50 within 2 ms of idle, RSS under
 * 300 MB with the streams open. Prints measured figures; asserts nothing.
 *
 *   npm run bench:sse [-- STREAMS TURNS ROUNDS]
 */
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { WebchatCustomer } from '../test/support/webchat-client.js';
import { ensureCompiled, startCompiled } from './compiled.js';
import { holdStreams } from './sse-crowd.js';

const STREAMS = Number(process.argv[2] ?? 10_000);
const TURNS = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 2);
const PER_SESSION = 5;
/** Before reading RSS: what the last phase left behind is collected at the process's own pace. */
const SETTLE_MS = 1_500;

await ensureCompiled();
const dir = await tempDir('switchboard-bench-sse-');
const app = await startCompiled({
  FAQ_DIR: SAMPLE_FAQ,
  DATA_DIR: dir.path,
  SSE_MAX_STREAMS_PER_SESSION: String(PER_SESSION),
  SSE_MAX_STREAMS_PER_IP: String(STREAMS + 100),
  ...NO_RATE_LIMITS,
});

const customer = await WebchatCustomer.open(app.url);
const stream = customer.stream();

async function turns(n: number): Promise<{ ms: number[] }> {
  const ms: number[] = [];
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
  return { ms };
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const settledRss = async () => {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return app.rssMb();
};

await turns(20); // warm-up
const rows: string[] = [];
const idleAll: number[] = [];
const loadedAll: number[] = [];
let peakRss = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const idle = await turns(TURNS);
  const idleRss = await settledRss();
  const crowd = await holdStreams(app.url, STREAMS, Math.ceil(STREAMS / PER_SESSION));
  const loadedRss = await settledRss();
  const loaded = await turns(TURNS);
  peakRss = Math.max(peakRss, loadedRss);
  await crowd.close();
  idleAll.push(...idle.ms);
  loadedAll.push(...loaded.ms);
  rows.push(
    `| ${round} | ${q(idle.ms, 0.5).toFixed(2)} / ${q(idle.ms, 0.99).toFixed(2)} | ${q(loaded.ms, 0.5).toFixed(2)} / ${q(loaded.ms, 0.99).toFixed(2)} | ` +
      `${(q(loaded.ms, 0.5) - q(idle.ms, 0.5)).toFixed(2)} | ${idleRss.toFixed(0)} / ${loadedRss.toFixed(0)} | ${(crowd.openMs / 1000).toFixed(1)} |`,
  );
}

console.log(
  `web-chat round trip (POST an FAQ question → answer on SSE), ${TURNS} turns per phase, ${STREAMS} idle streams over ${Math.ceil(STREAMS / PER_SESSION)} sessions\n`,
);
console.log(
  '| round | idle p50 / p99 ms | with streams p50 / p99 ms | p50 cost ms (goal < 2) | RSS MB idle / with streams (goal < 300) | streams opened in s |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log(
  `| all | ${q(idleAll, 0.5).toFixed(2)} / ${q(idleAll, 0.99).toFixed(2)} | ${q(loadedAll, 0.5).toFixed(2)} / ${q(loadedAll, 0.99).toFixed(2)} | ${(q(loadedAll, 0.5) - q(idleAll, 0.5)).toFixed(2)} | peak ${peakRss.toFixed(0)} | |`,
);

stream.close();
await app.stop();
await dir.rm();
