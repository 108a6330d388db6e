/**
 * Switchboard as operators run it, for the benchmarks that measure a process: `npm start` runs
 * bin/switchboard.mjs, which runs the compiled build in dist/ under plain node (building first
 * when a source is newer). The benchmarks build here, in their own process, so the build never
 * counts in the measured process's memory or start-up, and then start the same
 * bin/switchboard.mjs. The hello-world ceiling is compiled the same way (esbuild, one file to
 * one file) and run under plain node too, so neither side carries tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { ensureBuilt } from '../scripts/build.mjs';

export const ROOT = join(import.meta.dirname, '..');
/** SHUTDOWN_TIMEOUT_MS's default is 10 s; a process still there well after it is stuck. */
const STOP_MS = 30_000;

export interface Proc {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resident memory now (VmRSS), in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function rssMbOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Builds dist/ unless current, and the hello-world ceiling beside it (dist/bench/ceilings-hello.js). */
export async function ensureCompiled(): Promise<void> {
  await ensureBuilt();
  await esbuild({
    entryPoints: [join(ROOT, 'bench', 'ceilings-hello.ts')],
    outfile: join(ROOT, 'dist', 'bench', 'ceilings-hello.js'),
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

async function startProcess(args: string[], env: Record<string, string>, readyPath: string, port: number): Promise<Proc> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env, PORT: String(port), HELLO_PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    // A graceful stop that does not end keeps the bench from hanging, and is said so.
    const timer = setTimeout(() => {
      process.stderr.write(`${args.join(' ')} (pid ${child.pid}) did not exit ${STOP_MS / 1000} s after SIGTERM; killed\n`);
      child.kill('SIGKILL');
    }, STOP_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`${url}${readyPath}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 2400) throw new Error(`${args.join(' ')} was not ready in 2 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid!, child, rssMb: () => rssMbOf(child.pid!), stop };
}

/** `switchboard start` as `npm start` runs it; resolves once `/readyz` answers 200. Call ensureCompiled() first. */
export async function startCompiled(env: Record<string, string>, port?: number): Promise<Proc> {
  return startProcess([join(ROOT, 'bin', 'switchboard.mjs'), 'start'], env, '/readyz', port ?? (await freePort()));
}

/** The hello-world ceiling (bench/ceilings-hello.ts), compiled, under plain node. Call ensureCompiled() first. */
export async function startCompiledHello(): Promise<Proc> {
  return startProcess([join(ROOT, 'dist', 'bench', 'ceilings-hello.js')], {}, '/healthz', await freePort());
}
