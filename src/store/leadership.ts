import pg from 'pg';

/** What leadership reports (src/log.ts's Logger fits); the store imports nothing but src/domain. */
export interface LeadershipLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Some inbound work must run on one instance only (Telegram long polling, the IMAP mailbox).
 * `hold` runs `start` while this instance holds the named lock and `stop` when it loses it.
 */
export interface Leadership {
  /** Resolves once the first attempt is made; with a sole instance, start's failure is thrown here. */
  hold(name: string, start: () => Promise<void>, stop: () => Promise<void>): Promise<void>;
  /** Each held name: 'leader' while this instance runs it, else 'follower' (readiness reports it). */
  roles(): Record<string, 'leader' | 'follower'>;
  close(): Promise<void>;
}

/** SQLite runs one instance: it always leads, so a channel that cannot start stops start-up. */
export function soleLeadership(): Leadership {
  const stops: (() => Promise<void>)[] = [];
  const led: Record<string, 'leader'> = {};
  return {
    async hold(name, start, stop) {
      await start();
      stops.push(stop);
      led[name] = 'leader';
    },
    roles: () => ({ ...led }),
    async close() {
      for (const s of stops) await s();
    },
  };
}

/**
 * PostgreSQL: a session-level advisory lock on a dedicated connection. The lock lives exactly as
 * long as that connection, so a crashed leader's lock is released by the server and another
 * instance takes over within `retryMs`.
 */
export function postgresLeadership(url: string, log: LeadershipLog, retryMs = 5_000): Leadership {
  let closed = false;
  const loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  const roles: Record<string, 'leader' | 'follower'> = {};

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });

  async function lead(name: string, start: () => Promise<void>, stop: () => Promise<void>) {
    roles[name] = 'follower';
    while (!closed) {
      const client = new pg.Client({ connectionString: url });
      let lost!: () => void;
      const connectionLost = new Promise<void>((resolve) => (lost = resolve));
      client.on('error', () => lost());
      client.on('end', () => lost());
      try {
        await client.connect();
        const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [name]);
        if (rows[0]?.ok) {
          log.info('leading', { name });
          await start();
          roles[name] = 'leader';
          const stopped = new Promise<void>((resolve) => wakers.add(resolve));
          await Promise.race([connectionLost, stopped]);
          log.info('no longer leading', { name });
          roles[name] = 'follower';
          await stop();
        }
      } catch (err) {
        log.warn('leadership attempt failed', { name, err });
      } finally {
        await client.end().catch(() => undefined);
      }
      if (!closed) await sleep(retryMs);
    }
  }

  return {
    async hold(name, start, stop) {
      loops.push(lead(name, start, stop));
    },
    roles: () => ({ ...roles }),
    async close() {
      closed = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
  };
}
