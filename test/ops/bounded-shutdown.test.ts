/**
 * SIGTERM ends the real process in bounded time even when a database connection cannot be given
 * back: another session holds the outbox table locked, so the outbox worker's query waits on the
 * lock with a pool connection checked out, and the pool's end (the store's close) would wait for
 * it forever. Per-step timeouts let the shutdown go past it; SHUTDOWN_GRACE_SECONDS ends the
 * process when even they take too long.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { startService, type ServiceProcess } from '../support/service-process.js';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

describe.skipIf(!TEST_DATABASE_URL)('shutdown with a database connection that is never given back', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let locker: pg.Client | undefined;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
  });
  afterEach(async () => {
    await service?.kill('SIGKILL');
    service = undefined;
    await locker?.end().catch(() => undefined);
    locker = undefined;
  });
  afterAll(async () => {
    await db?.drop();
    await dir?.rm();
  });

  /** The service's connections to its database, other than the locker's. */
  const serviceBackends = async (c: pg.Client) =>
    (
      await c.query<{ wait: string | null }>(
        'select wait_event_type as wait from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      )
    ).rows;

  /** Starts the service, then locks the outbox table until a query of the service waits on the lock. */
  async function startStuck(env: Record<string, string>): Promise<{ service: ServiceProcess; locker: pg.Client }> {
    const s = await startService({ DATABASE_URL: db.url, DATA_DIR: dir.path, SHUTDOWN_TIMEOUT_MS: '1000', ...env });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('begin');
    await c.query('lock table outbox in access exclusive mode');
    await eventually(async () => (await serviceBackends(c)).some((b) => b.wait === 'Lock'), 10_000, 'a service query waiting on the lock');
    return { service: s, locker: c };
  }

  /** SIGTERM, then the exit and how long it took, or undefined when the process was still running after `ms`. */
  async function terminate(s: ServiceProcess, ms: number): Promise<{ exit: Exit; tookMs: number } | undefined> {
    const t0 = Date.now();
    const exit = await Promise.race([s.kill('SIGTERM'), new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
    return exit && { exit, tookMs: Date.now() - t0 };
  }

  it('past SHUTDOWN_GRACE_SECONDS the process exits 1, naming the step it waited for, and its connections are gone', async () => {
    ({ service, locker } = await startStuck({ SHUTDOWN_GRACE_SECONDS: '3' }));
    const ended = await terminate(service, 15_000);
    const output = service.output();
    expect(ended, `still running 15 s after SIGTERM:\n${output}`).toBeDefined();
    service = undefined;
    expect(ended!.exit, output).toEqual({ code: 1, signal: null });
    // 3 s of grace; the store's 5 s step was cut short by it.
    expect(ended!.tookMs).toBeGreaterThanOrEqual(2_900);
    expect(ended!.tookMs).toBeLessThan(6_000);
    const forced = output.split('\n').find((l) => l.includes('"msg":"shutdown did not finish in time; exiting"'));
    expect(forced, output).toBeDefined();
    expect(JSON.parse(forced!)).toMatchObject({ level: 'error', graceSeconds: 3, unfinished: ['store'] });
    // The exit closed every connection the instance had; the one stuck behind the lock notices once it gets the lock.
    await locker.query('rollback');
    await eventually(async () => (await serviceBackends(locker!)).length === 0, 5_000, 'the service connections to close');
    await locker.end();
    locker = undefined;
  }, 120_000);

  it('with a longer grace the per-step timeouts alone end the shutdown: the stuck step is logged and the process exits 0', async () => {
    ({ service, locker } = await startStuck({ SHUTDOWN_GRACE_SECONDS: '60' }));
    const ended = await terminate(service, 30_000);
    const output = service.output();
    expect(ended, `still running 30 s after SIGTERM:\n${output}`).toBeDefined();
    service = undefined;
    expect(ended!.exit, output).toEqual({ code: 0, signal: null });
    // 1 s of drain (SHUTDOWN_TIMEOUT_MS) and the store's 5 s step, well before the grace.
    expect(ended!.tookMs).toBeLessThan(15_000);
    const skipped = output
      .split('\n')
      .filter((l) => l.includes('"msg":"shutdown step did not finish in time; going on without it"'))
      .map((l) => (JSON.parse(l) as { step: string }).step);
    expect(skipped, output).toContain('store');
    expect(output).not.toContain('shutdown did not finish in time; exiting');
    await locker.query('rollback');
    await eventually(async () => (await serviceBackends(locker!)).length === 0, 5_000, 'the service connections to close');
    await locker.end();
    locker = undefined;
  }, 120_000);
});
