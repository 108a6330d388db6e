import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';

/**
 * Which outbox workers are alive. Every worker process leases rows under its own owner id; a
 * worker that was killed mid-send leaves leases behind, and they are released as soon as their
 * owner is known dead instead of waiting for the lease to expire.
 */
export interface Liveness {
  /** This process's owner id, written into every lease it takes. */
  readonly owner: string;
  /** Those of `owners` that are certainly dead (never this process). */
  deadAmong(owners: string[]): Promise<string[]>;
  close(): Promise<void>;
}

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** SQLite: one process owns the database file, so every other owner is a previous, dead run. */
export function soleLiveness(owner = newOwnerId()): Liveness {
  return {
    owner,
    deadAmong: async (owners) => owners.filter((o) => o !== owner),
    close: async () => {},
  };
}

const keyOf = (owner: string) => `switchboard:outbox-owner:${owner}`;

/**
 * PostgreSQL: each instance holds a session-level advisory lock named by its owner id on a
 * connection of its own. The server drops that lock the moment the process's connection dies
 * (a SIGKILL closes the socket), so an owner whose lock can be taken is dead; an owner whose
 * lock is held — alive, or merely slow — keeps its leases until they expire.
 */
export async function postgresLiveness(url: string, owner = newOwnerId()): Promise<Liveness> {
  let client: pg.Client | undefined;
  let closed = false;
  // One query at a time on the one connection.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const run = tail.then(async () => fn(await connected()));
    tail = run.catch(() => undefined);
    return run;
  };

  async function connected(): Promise<pg.Client> {
    if (client) return client;
    const c = new pg.Client({ connectionString: url });
    // A lost connection drops our lock; the next call reconnects and takes it again.
    c.on('error', () => {
      if (client === c) client = undefined;
    });
    c.on('end', () => {
      if (client === c) client = undefined;
    });
    await c.connect();
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [keyOf(owner)]);
    if (!rows[0]?.ok) {
      await c.end().catch(() => undefined);
      throw new Error(`outbox owner ${owner} is already held by another connection`);
    }
    client = c;
    return c;
  }

  await serial(async () => undefined);
  return {
    owner,
    deadAmong: (owners) =>
      serial(async (c) => {
        const dead: string[] = [];
        for (const o of owners) {
          if (o === owner || closed) continue;
          const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [keyOf(o)]);
          if (!rows[0]?.ok) continue;
          dead.push(o);
          await c.query('select pg_advisory_unlock(hashtextextended($1, 0))', [keyOf(o)]);
        }
        return dead;
      }),
    async close() {
      closed = true;
      await tail;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
