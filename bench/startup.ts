/**
 * Start-up time to the first 200 from /healthz (the server listens) and from /readyz (the FAQ index
 * built, the database migrated, every channel started), and resident memory once idle, of the service run
 * from the TypeScript sources through tsx, from the compiled build (dist/), and of a Hono
 * hello-world on @hono/node-server as the ceiling — interleaved rounds on the same machine,
 * min/median/max. Each switchboard start begins on a fresh data directory (migrations included).
 *
 *   npm run bench:startup [-- ROUNDS]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, isCurrent } from '../scripts/build.mjs';

const ROOT = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const IDLE_MS = 3_000;

const HELLO = `import { serve } from '@hono/node-server'; import { Hono } from 'hono';
const app = new Hono(); app.get('/healthz', (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });`;

const subjects: { name: string; args: string[]; ready: string }[] = [
  { name: 'switchboard, tsx (sources)', args: ['--import', 'tsx', 'src/cli.ts', 'start'], ready: '/readyz' },
  { name: 'switchboard, compiled (dist/)', args: ['dist/src/cli.js', 'start'], ready: '/readyz' },
  { name: 'hello-world, compiled JS', args: ['--input-type=module', '-e', HELLO], ready: '/healthz' },
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kb) / 1024;
}

async function measure(args: string[], ready: string): Promise<{ startMs: number; readyMs: number; rss: number }> {
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'switchboard-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const until = async (path: string) => {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    const startMs = await until('/healthz');
    const readyMs = await until(ready);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { startMs, readyMs, rss: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await rm(data, { recursive: true, force: true });
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};
const fmt = (x: { min: number; median: number; max: number }, digits: number) =>
  `${x.min.toFixed(digits)} / ${x.median.toFixed(digits)} / ${x.max.toFixed(digits)}`;

if (!isCurrent()) await build();
const results = new Map<string, { startMs: number; readyMs: number; rss: number }[]>(subjects.map((s) => [s.name, []]));
for (let round = 1; round <= rounds; round++) {
  for (const s of subjects) {
    const r = await measure(s.args, s.ready);
    results.get(s.name)!.push(r);
    process.stderr.write(`round ${round}: ${s.name}: ${r.startMs.toFixed(0)} / ${r.readyMs.toFixed(0)} ms, ${r.rss.toFixed(0)} MB\n`);
  }
}

const hello = results.get(subjects[2]!.name)!;
const helloStart = stats(hello.map((r) => r.startMs)).median;
const helloRss = stats(hello.map((r) => r.rss)).median;
console.log(`\n${rounds} interleaved rounds, min / median / max; idle RSS read ${IDLE_MS / 1000} s after /readyz first answered 200\n`);
console.log('| run | start → /healthz (ms) | × hello-world | start → /readyz 200 (ms) | × hello-world | idle RSS (MB) | × hello-world |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, rs] of results) {
  const start = stats(rs.map((r) => r.startMs));
  const ready = stats(rs.map((r) => r.readyMs));
  const rss = stats(rs.map((r) => r.rss));
  console.log(
    `| ${name} | ${fmt(start, 0)} | ${(start.median / helloStart).toFixed(1)} | ${fmt(ready, 0)} | ${(ready.median / helloStart).toFixed(1)} | ${fmt(rss, 0)} | ${(rss.median / helloRss).toFixed(1)} |`,
  );
}
