/**
 * What one idle event stream holds in the server: memory after a full collection with no
 * streams, then with each of STREAMS... idle web-chat streams open (held by bench/sse-streams.ts
 * in a process of its own), and the bytes per stream between them. Prints measured figures;
 * asserts nothing.
 *
 *   npx tsx --expose-gc bench/sse-memory.ts [STREAMS...]   (default 1000 10000)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startSwitchboard } from '../src/main.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { createLogger } from '../src/log.js';
import { openStreams } from '../src/kit/sse.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';

const COUNTS = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000];
const PER_SESSION = 5;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const dir = await tempDir('switchboard-bench-sse-memory-');
const app = await startSwitchboard(
  {
    PORT: '0',
    HOST: '127.0.0.1',
    FAQ_DIR: SAMPLE_FAQ,
    DATA_DIR: dir.path,
    SSE_MAX_STREAMS_PER_SESSION: String(PER_SESSION),
    SSE_MAX_STREAMS_PER_IP: String(Math.max(...COUNTS) + 100),
    ...NO_RATE_LIMITS,
  },
  { log: createLogger('silent') },
);

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 300));
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
};
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

const base = await settle();
console.log(`no streams: RSS ${mb(base.rss)} MB, heap ${mb(base.heap)} MB, external ${mb(base.external)} MB`);
for (const n of COUNTS) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'sse-streams.ts'), app.url, String(n), String(Math.ceil(n / PER_SESSION))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stream holder exited with ${code}`)));
  });
  if (line !== `open ${n}`) throw new Error(`stream holder: ${line}`);
  while (openStreams() < n) await new Promise((r) => setTimeout(r, 50));
  const m = await settle();
  const per = (k: 'rss' | 'heap' | 'external') => Math.round((m[k] - base[k]) / n);
  console.log(
    `${n} streams: RSS ${mb(m.rss)} MB, heap ${mb(m.heap)} MB, external ${mb(m.external)} MB; per stream: RSS ${per('rss')} B, heap ${per('heap')} B, external ${per('external')} B`,
  );
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  while (openStreams() > 0) await new Promise((r) => setTimeout(r, 50));
}
await app.stop();
await dir.rm();
