import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSwitchboard, type Running } from '../../src/main.js';
import { createLogger, type LogLevel } from '../../src/log.js';
import type { Clock } from '../../src/domain/clock.js';

export const SAMPLE_FAQ = join(import.meta.dirname, '..', '..', 'faq');

/** A temporary data directory; `rm()` deletes it. */
export async function tempDir(prefix = 'switchboard-'): Promise<{ path: string; rm(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, rm: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Every test client shares the loopback address, so the per-address limits would make tests
 * depend on each other; tests of the limits set the ones they test.
 */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_IP_PER_MINUTE: '0',
  RATE_LIMIT_AGENT_PER_MINUTE: '0',
  RATE_LIMIT_SESSION_CREATE_PER_MINUTE: '0',
  RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: '0',
  RATE_LIMIT_DELAY_MS: '0',
};

/**
 * Starts the real app on a random loopback port with the sample FAQ. Without a data directory it
 * gets a fresh one of its own, removed when it stops (never the checkout's `./data`).
 */
export async function startApp(
  env: Record<string, string | undefined> = {},
  dataDir?: string,
  overrides: { clock?: Clock } = {},
): Promise<Running> {
  const own = dataDir === undefined && env.DATA_DIR === undefined ? await tempDir() : undefined;
  const app = await startSwitchboard(
    { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, ...NO_RATE_LIMITS, ...env, DATA_DIR: own?.path ?? dataDir ?? env.DATA_DIR },
    // TEST_LOG_LEVEL=debug shows the app's logs while debugging a test.
    { log: createLogger((process.env.TEST_LOG_LEVEL as LogLevel | undefined) ?? 'silent'), ...overrides },
  ).catch(async (err: unknown) => {
    await own?.rm();
    throw err;
  });
  if (!own) return app;
  const stop = app.stop.bind(app);
  app.stop = async () => {
    await stop();
    await own.rm();
  };
  return app;
}

/** The app on a data directory of its own, which a test may restart on the same data; `close()` stops it and removes the directory. */
export async function appOnOwnData(env: Record<string, string | undefined>): Promise<{
  readonly app: Running;
  /** Stops the app, runs `whileDown`, and starts it again on the same data. */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
  close(): Promise<void>;
}> {
  const dir = await tempDir();
  let app = await startApp(env, dir.path);
  return {
    get app() {
      return app;
    },
    async restart(whileDown) {
      await app.stop();
      await whileDown?.();
      app = await startApp(env, dir.path);
    },
    async close() {
      await app.stop();
      await dir.rm();
    },
  };
}

export async function api(app: Running, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Kept here too for the tests that import it with the app helpers.
export { eventually } from './eventually.js';
