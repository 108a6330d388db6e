/**
 * What one idle event stream holds in the server: `switchboard start` as `npm start` runs it
 * (compiled, plain node, a process of its own; see compiled.ts), its RSS with no streams and then
 * with each of STREAMS... idle web-chat streams open (held by bench/sse-streams.ts), and the bytes
 * per stream between them. With `--heap`, the server writes a heap snapshot at each point (node's
 * --heapsnapshot-signal, which collects garbage first) and the top constructors by retained-here
 * bytes per stream are printed, against the snapshot with none open. Prints measured figures;
 * asserts nothing.
 *
 *   npx tsx bench/sse-memory.ts [--heap] [STREAMS...]   (default 1000 10000)
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NO_RATE_LIMITS } from './no-rate-limits.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { ensureCompiled, startCompiled } from './compiled.js';
import { holdStreams } from './sse-crowd.js';

const argv = process.argv.slice(2);
const HEAP = argv.includes('--heap');
const numbers = argv.filter((a) => a !== '--heap').map(Number);
const COUNTS = numbers.length ? numbers : [1000, 10_000];
const PER_SESSION = 5;
const SETTLE_MS = 1_500;

await ensureCompiled();
const dir = await tempDir('switchboard-bench-sse-memory-');
const snapshots = join(dir.path, 'snapshots');
const app = await startCompiled({
  FAQ_DIR: SAMPLE_FAQ,
  DATA_DIR: dir.path,
  SSE_MAX_STREAMS_PER_SESSION: String(PER_SESSION),
  SSE_MAX_STREAMS_PER_IP: String(Math.max(...COUNTS) + 100),
  ...NO_RATE_LIMITS,
  ...(HEAP ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}` } : {}),
});

/** Self bytes and count per constructor (or closure name / node type) in one heap snapshot. */
type Census = Map<string, { bytes: number; count: number }>;

async function snapshot(): Promise<Census> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(snapshots, { recursive: true });
  const before = new Set(await readdir(snapshots));
  process.kill(app.pid, 'SIGUSR2');
  let file: string | undefined;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    file = (await readdir(snapshots)).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    // The file is written in one go; it is complete once it parses.
    if (file) {
      try {
        return census(JSON.parse(await readFile(join(snapshots, file), 'utf8')));
      } catch {
        /* still being written */
      }
    }
  }
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function census(s: Snapshot): Census {
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out: Census = new Map();
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = types[s.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? `${type}:${s.strings[s.nodes[i + nameAt]!]}` : type;
    const e = out.get(name) ?? { bytes: 0, count: 0 };
    e.bytes += s.nodes[i + sizeAt]!;
    e.count++;
    out.set(name, e);
  }
  return out;
}

const settle = async () => {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return { rss: app.rssMb(), heap: HEAP ? await snapshot() : undefined };
};
const total = (c: Census) => [...c.values()].reduce((n, e) => n + e.bytes, 0);

const base = await settle();
console.log(`no streams: RSS ${base.rss.toFixed(1)} MB${base.heap ? `, heap ${(total(base.heap) / 1048576).toFixed(1)} MB` : ''}`);
for (const n of COUNTS) {
  const crowd = await holdStreams(app.url, n, Math.ceil(n / PER_SESSION));
  const m = await settle();
  const rssPer = Math.round(((m.rss - base.rss) * 1048576) / n);
  const heapPer = m.heap && base.heap ? Math.round((total(m.heap) - total(base.heap)) / n) : undefined;
  console.log(`${n} streams: RSS ${m.rss.toFixed(1)} MB; per stream: RSS ${rssPer} B${heapPer === undefined ? '' : `, heap ${heapPer} B`}`);
  if (m.heap && base.heap) {
    const grown = [...m.heap].map(([k, e]) => {
      const b = base.heap!.get(k) ?? { bytes: 0, count: 0 };
      return { k, bytes: (e.bytes - b.bytes) / n, count: (e.count - b.count) / n };
    });
    grown.sort((a, b) => b.bytes - a.bytes);
    for (const g of grown.slice(0, 25)) console.log(`  ${g.bytes.toFixed(0).padStart(6)} B  ${g.count.toFixed(2).padStart(6)} ×  ${g.k}`);
  }
  await crowd.close();
  await new Promise((r) => setTimeout(r, 1000));
}
await app.stop();
await dir.rm();
