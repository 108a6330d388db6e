import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { QueryDb } from '../dialect.js';
import { MAX_PAYLOAD_BYTES, VISITOR_CHANGES, type RelayedSignal } from '../../domain/relayed-signal.js';

/**
 * Instances on one PostgreSQL database tell each other of their commits and signals with
 * LISTEN/NOTIFY on one channel (the channel is per database, so deployments on other databases
 * hear nothing).
 *
 * Commit wake-ups are sent with `pg_notify` inside the committing transaction: the server
 * queues them at commit, atomically with the rows, so a committed change always wakes the
 * listeners that were listening then, even if this process dies right after committing, and a
 * rolled-back one wakes nobody. A `pg_notify` after the commit could be lost between the two (a
 * crash, a broken connection). The price is that transactions which notify take turns at
 * commit; the ones that append events already do (events-repo.ts's append lock).
 *
 * Notifications sent while a listening connection is down are never delivered to it, so on each
 * (re)connect everything is woken once; a slow poll (Store.checkForeignEvents) stays as a net
 * for what no notification reports (a half-open connection not yet noticed).
 */
export const CHANNEL = 'switchboard';

/** The listening connections' application_name, so operators (and tests) can find them in pg_stat_activity. */
export const LISTENER_NAME = 'switchboard-listen';

/** Signals waiting for the server at most; past it `publish` drops them (they are hints). */
const MAX_UNSENT = 1000;

export interface Wake {
  events: boolean;
  outbox: boolean;
  webhooks: boolean;
}

/** What goes over the channel: the sending instance's id, then a wake-up or a signal. */
type Notice = { o: string; w?: string; s?: RelayedSignal };

export interface InstanceChannelLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface InstanceChannelHandlers {
  /** Another instance committed what `wake` names. */
  wake(wake: Wake): void;
  /** The listening connection (re)connected: notifications during the gap were lost, wake everything. */
  reconnected(): void;
  signal(s: RelayedSignal): void;
}

/** Reconnect pauses double from 200 ms to 10 s, spread over [half, full] so instances cut off together do not retry in step. */
const reconnectDelay = (attempt: number) => {
  const base = Math.min(10_000, 200 * 2 ** (attempt - 1));
  return Math.round(base / 2 + (Math.random() * base) / 2);
};

/**
 * One dedicated listening connection per instance (pooled connections are handed to other
 * queries, which would end the LISTEN with them), reconnected with backoff when it drops. It
 * also sends this instance's signals, which are hints: one sent while it reconnects is dropped.
 */
export class InstanceChannel {
  /** Names this process in its notifications, so it skips its own (it already acted on them). */
  readonly id = randomUUID();
  private client: pg.Client | undefined;
  private closed = false;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** (Re)connections made so far (tests, logs). */
  connects = 0;
  private sending: Promise<unknown> = Promise.resolve();
  private unsent = 0;

  constructor(
    private readonly url: string,
    private readonly handlers: InstanceChannelHandlers,
    private readonly log: InstanceChannelLog,
  ) {}

  /** Resolves after the first attempt; a failed one is retried in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** The notification a transaction that wrote `wake` sends before it commits (see the module comment). */
  async announce(db: QueryDb, wake: Wake): Promise<void> {
    const w = `${wake.events ? 'e' : ''}${wake.outbox ? 'o' : ''}${wake.webhooks ? 'w' : ''}`;
    if (!w) return;
    await db.run(sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ o: this.id, w } satisfies Notice)})`);
  }

  /** Sends a signal to the other instances; false when it is too big, the connection is down or MAX_UNSENT wait already. */
  publish(signal: RelayedSignal): boolean {
    const payload = JSON.stringify({ o: this.id, s: signal } satisfies Notice);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) return false;
    const client = this.client;
    // A database too slow to take them (heartbeats arrive all the time) does not pile them up here.
    if (!client || this.unsent >= MAX_UNSENT) return false;
    // One at a time, in order, on the listening connection (node-postgres would queue them too, but warns).
    this.unsent++;
    this.sending = this.sending
      .then(() => client.query('select pg_notify($1, $2)', [CHANNEL, payload]))
      .catch(() => undefined)
      .finally(() => this.unsent--);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const c = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: LISTENER_NAME });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.client === c) this.client = undefined;
      void c.end().catch(() => undefined);
      if (!this.closed) this.scheduleReconnect();
    };
    c.on('error', onLost);
    c.on('end', onLost);
    c.on('notification', (m) => {
      if (m.channel === CHANNEL && m.payload) this.receive(m.payload);
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
    } catch (err) {
      this.log.warn('listening for other instances failed', { err: String(err), attempt: this.attempt + 1 });
      onLost();
      return;
    }
    if (lost) return;
    if (this.closed) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.attempt = 0;
    this.connects++;
    if (this.connects > 1) this.log.info('listening for other instances again');
    this.handlers.reconnected();
  }

  private scheduleReconnect(): void {
    if (this.retry) return;
    this.attempt++;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, reconnectDelay(this.attempt));
    this.retry.unref();
  }

  /** Anyone who may connect to the database may notify on the channel: what does not parse is ignored. */
  private receive(payload: string): void {
    let n: Notice;
    try {
      n = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (typeof n !== 'object' || n === null || n.o === this.id) return;
    try {
      if (typeof n.w === 'string')
        this.handlers.wake({ events: n.w.includes('e'), outbox: n.w.includes('o'), webhooks: n.w.includes('w') });
      else if (wellFormed(n.s)) this.handlers.signal(n.s);
    } catch (err) {
      this.log.warn('handling another instance notification failed', { err: String(err) });
    }
  }
}

/** A signal's shape as relayed; a `holder` that is not one would let a signal past the visibility check. */
function wellFormed(s: unknown): s is RelayedSignal {
  if (typeof s !== 'object' || s === null) return false;
  const r = s as Record<string, unknown>;
  if (typeof r.event !== 'string' || typeof r.data !== 'object' || r.data === null) return false;
  if (r.to === 'session') return typeof r.sessionId === 'string';
  // Its fields are checked as a widget's request would be where it is applied (adapters/webchat/presence-relay.ts).
  if (r.to === 'visitors')
    return (
      r.event === 'hello' ||
      ((VISITOR_CHANGES as readonly unknown[]).includes(r.event) && typeof (r.data as Record<string, unknown>).visitorId === 'string')
    );
  if (r.to !== 'agents') return false;
  if (r.holder === undefined) return true;
  const h = r.holder as Record<string, unknown> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    (h.assigneeId === null || typeof h.assigneeId === 'string') &&
    (h.participantIds === undefined || (Array.isArray(h.participantIds) && h.participantIds.every((p) => typeof p === 'string')))
  );
}
