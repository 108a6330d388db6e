import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NO_RATE_LIMITS, SAMPLE_FAQ } from './app.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'switchboard.mjs');

/** The service as operators run it (`switchboard start`), in a process of its own. */
export interface ServiceProcess {
  url: string;
  pid: number;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  stop(): Promise<void>;
}

export async function startProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, LOG_LEVEL: 'info', ...NO_RATE_LIMITS, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    const timer = setTimeout(() => reject(new Error('the service did not start within 60 s')), 60_000);
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'switchboard started' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`the service exited with ${code} before it started`)));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
