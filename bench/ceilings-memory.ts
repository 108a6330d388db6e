/**
 * The `memory` group of `npm run bench:ceilings`: resident memory of `switchboard start` as
 * `npm start` runs it (compiled, plain node; see compiled.ts) idle, on 100,000 stored messages
 * after serving the queue, and holding 10,000 idle web-chat event streams — each beside the
 * hello-world ceiling compiled and run the same way (for the streams, holding as many from the
 * same client, bench/sse-streams.ts).
 */
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { SAMPLE_FAQ, tempDir } from '../test/support/app.js';
import { startCompiled, startCompiledHello, type Proc } from './compiled.js';
import { holdStreams } from './sse-crowd.js';

export type RecordRow = (
  key: string,
  init: { figure: string; unit: string; ceilingName: string; goal: string; higherIsBetter: boolean; ratio?: 'percent' | 'times' | 'none' },
  ours: number,
  ceiling: number,
) => void;

export const SSE_STREAMS = 10_000;
const PER_SESSION = 5;
/** Long enough for what start-up or the load left behind to be collected at the process's own pace. */
const SETTLE_MS = 1_500;

async function rssAfter(start: () => Promise<Proc>, work: (p: Proc) => Promise<() => Promise<void>>): Promise<number> {
  const p = await start();
  try {
    const undo = await work(p);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const rss = p.rssMb();
    await undo();
    return rss;
  } finally {
    await p.stop();
  }
}

const nothing = async () => async () => {};
const streams = async (p: Proc) => {
  const crowd = await holdStreams(p.url, SSE_STREAMS, Math.ceil(SSE_STREAMS / PER_SESSION));
  return () => crowd.close();
};

/** One round of the group; call ensureCompiled() first. */
export async function memoryRound(record: RecordRow, seededDir: string, token: string): Promise<void> {
  const env = (dataDir: string) => ({ DATA_DIR: dataDir, FAQ_DIR: SAMPLE_FAQ });
  const idleDir = await tempDir('switchboard-ceiling-');
  const idle = await rssAfter(() => startCompiled(env(idleDir.path)), nothing);
  await idleDir.rm();
  const full = await rssAfter(
    () => startCompiled(env(seededDir)),
    async (p) => {
      for (let i = 0; i < 20; i++)
        await (await fetch(`${p.url}/api/conversations?status=queued`, { headers: { authorization: `Bearer ${token}` } })).text();
      return async () => {};
    },
  );
  const sseDir = await tempDir('switchboard-ceiling-');
  const sse = await rssAfter(
    () =>
      startCompiled({
        ...env(sseDir.path),
        ...NO_RATE_LIMITS,
        SSE_MAX_STREAMS_PER_SESSION: String(PER_SESSION),
        SSE_MAX_STREAMS_PER_IP: String(SSE_STREAMS + 100),
      }),
    streams,
  );
  await sseDir.rm();
  const hello = await rssAfter(startCompiledHello, nothing);
  const helloSse = await rssAfter(startCompiledHello, streams);

  const info = { unit: 'MB', ceilingName: 'hello-world, compiled', goal: '< 300 MB', higherIsBetter: false, ratio: 'times' as const };
  record('rss-idle', { ...info, figure: 'RSS idle (`switchboard start`, compiled, as `npm start` runs it)' }, idle, hello);
  record('rss-full', { ...info, figure: 'RSS with 100,000 stored messages, after serving the queue' }, full, hello);
  record(
    'rss-sse',
    {
      ...info,
      figure: `RSS with ${SSE_STREAMS.toLocaleString('en')} open SSE streams`,
      ceilingName: `hello-world, compiled, holding ${SSE_STREAMS.toLocaleString('en')} idle SSE streams, same client`,
    },
    sse,
    helloSse,
  );
}
