/**
 * A crowd of idle event streams held by bench/sse-streams.ts in a process of its own, so its
 * sockets count in neither the server's memory nor its event loop.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export interface Crowd {
  /** From spawning the holder to every stream having its first bytes. */
  openMs: number;
  close(): Promise<void>;
}

/** Opens `streams` idle web-chat streams on `base`, spread over `sessions` sessions. */
export async function holdStreams(base: string, streams: number, sessions: number): Promise<Crowd> {
  const t = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'sse-streams.ts'), base, String(streams), String(sessions)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stream holder exited with ${code}`)));
  });
  if (line !== `open ${streams}`) throw new Error(`stream holder: ${line}`);
  return {
    openMs: performance.now() - t,
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
