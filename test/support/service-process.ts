/**
 * The real service as a child process (`switchboard start`), for tests that kill it: the
 * compiled output when a build is present, else the TypeScript sources through tsx's loader
 * (`node --import tsx`, one process, so a SIGKILL kills the service itself and not a wrapper).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_FAQ } from './app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const COMPILED = [join(ROOT, 'dist', 'src', 'cli.js'), join(ROOT, 'dist', 'cli.js')].find((f) => existsSync(f));

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything the process wrote, stdout and stderr interleaved. */
  readonly output: () => string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startService(env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  const args = COMPILED ? [COMPILED, 'start'] : ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'start'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', FAQ_DIR: SAMPLE_FAQ, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /switchboard is running at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service exited (code ${code}, signal ${signal}) before it started:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
