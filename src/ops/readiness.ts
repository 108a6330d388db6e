import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelAdapter } from '../domain/channel.js';
import type { Leadership } from '../store/leadership.js';
import type { Store } from '../store/store.js';

/** A database that does not answer within this is reported down rather than holding the probe. */
const DATABASE_TIMEOUT_MS = 2_000;

export interface ReadinessDeps {
  dialect: 'sqlite' | 'pg';
  /** Undefined while start-up is still connecting to the database and applying migrations. */
  store: () => Store | undefined;
  /** False while the FAQ index is being built at start-up (inbound messages wait for it). */
  faqReady: () => boolean;
  /** The channels, once start-up has built them. */
  adapters: () => readonly ChannelAdapter[];
  leadership: () => Leadership | undefined;
  /** The lock name a single-consumer channel's poller is held under (main.ts names them). */
  lockOf: (channel: ChannelAdapter['channel']) => string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Why not ready, one short phrase each (`faq: building`, `database: connecting`, …); empty when ready. */
  reasons: string[];
  /** False until start-up has started every channel (or handed it to leadership). */
  started: boolean;
  stopping: boolean;
  faq: { ok: boolean; state: 'building' | 'ready' };
  database: { ok: boolean; dialect: 'sqlite' | 'pg'; error?: string };
  migrations: { ok: boolean; applied: string | null; expected: string | null };
  /** Single-consumer pollers (Telegram polling, the Discord gateway, IMAP): who runs them here. */
  pollers: Record<string, 'leader' | 'follower'>;
  /** running: inbound works on this instance; standby: another instance holds its poller. */
  channels: { channel: string; state: 'running' | 'standby' | 'starting' }[];
}

/**
 * What `/readyz` answers for load balancers and orchestrators: ready when start-up finished (the
 * FAQ index built, every channel started), the database answers and holds every migration this
 * build ships. The server listens before all that, so `/readyz` says what it is still waiting for. A follower is ready: its channels
 * are on standby while another instance polls them, and it serves the API and sends replies.
 */
export class Readiness {
  private started = false;
  private stopping = false;
  private readonly expectedMigrationAt: number | null;

  constructor(private readonly d: ReadinessDeps) {
    this.expectedMigrationAt = newestShippedMigration(d.dialect);
  }

  markStarted(): void {
    this.started = true;
  }

  /** Shutting down: answer 503 so load balancers stop sending new requests here. */
  markStopping(): void {
    this.stopping = true;
  }

  async check(): Promise<ReadinessReport> {
    const dialect = this.d.dialect;
    const store = this.d.store();
    let database: ReadinessReport['database'] = { ok: true, dialect };
    let applied: number | null = null;
    if (!store) database = { ok: false, dialect, error: 'connecting and applying migrations' };
    else {
      try {
        applied = await withTimeout(
          store.tx((r) => r.monitor.lastMigrationAt()),
          DATABASE_TIMEOUT_MS,
        );
      } catch (err) {
        database = { ok: false, dialect, error: err instanceof Error ? err.message : String(err) };
      }
    }
    const expected = this.expectedMigrationAt;
    const migrations = {
      ok: database.ok && applied !== null && (expected === null || applied >= expected),
      applied: applied === null ? null : new Date(applied).toISOString(),
      expected: expected === null ? null : new Date(expected).toISOString(),
    };
    const pollers = this.d.leadership()?.roles() ?? {};
    const channels = this.d.adapters().map((a) => {
      const role = a.singleConsumer ? pollers[this.d.lockOf(a.channel)] : undefined;
      const state: 'running' | 'standby' | 'starting' = !this.started ? 'starting' : role === 'follower' ? 'standby' : 'running';
      return { channel: a.channel, state };
    });
    const faq = { ok: this.d.faqReady(), state: this.d.faqReady() ? ('ready' as const) : ('building' as const) };
    const reasons = [
      ...(this.stopping ? ['stopping'] : []),
      ...(faq.ok ? [] : ['faq: building']),
      ...(!store ? ['database: connecting'] : !database.ok ? [`database: ${database.error}`] : []),
      ...(store && database.ok && !migrations.ok ? ['migrations: not applied'] : []),
      ...(!this.started && !this.stopping ? ['channels: starting'] : []),
    ];
    return {
      ready: this.started && !this.stopping && faq.ok && database.ok && migrations.ok,
      reasons,
      stopping: this.stopping,
      started: this.started,
      faq,
      database,
      migrations,
      pollers,
      channels,
    };
  }
}

/** The newest migration in the journal this build carries (drizzle/<dialect>/meta/_journal.json). */
function newestShippedMigration(dialect: 'sqlite' | 'pg'): number | null {
  const file = join(import.meta.dirname, '..', '..', 'drizzle', dialect, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { when: number }[] };
  return journal.entries.reduce<number | null>((max, e) => Math.max(max ?? 0, e.when), null);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
