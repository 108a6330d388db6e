import { SqlConversationsRepo } from './conversations-repo.js';
import { SqlCustomersRepo } from './customers-repo.js';
import { SqlDraftsRepo } from './drafts-repo.js';
import { SqlMessagesRepo } from './messages-repo.js';
import { SqlOutboxRepo } from './outbox-repo.js';
import { SqlAgentsRepo, SqlAgentTokensRepo } from './agents-repo.js';
import { SqlAuditRepo } from './audit-repo.js';
import { SqlChannelStateRepo } from './channel-state-repo.js';
import { SqlSettingsRepo } from './settings-repo.js';
import { SqlEventsRepo } from './events-repo.js';
import { SqlWebchatSessionsRepo } from './webchat-sessions-repo.js';
import { SqlRateLimitsRepo } from './rate-limits-repo.js';
import { SqlFaqSuggestionsRepo } from './faq-suggestions-repo.js';
import { SqlMonitorRepo } from './monitor-repo.js';
import { SqlLabelsRepo } from './labels-repo.js';
import { SqlParticipantsRepo } from './participants-repo.js';
import { SqlCannedRepo } from './canned-repo.js';
import { SqlAgentRoutingRepo, SqlRoutingRulesRepo, SqlTeamsRepo } from './teams-repo.js';
import { SqlSearchRepo } from './search-repo.js';
import { backfillSearch } from './search-backfill.js';
import { SqlWebhooksRepo } from './webhooks-repo.js';
import { SqlWebhookDeliveriesRepo } from './webhook-deliveries-repo.js';
import { SqlEmailCopiesRepo } from './email-copies-repo.js';
import { SqlReportsRepo } from './reports-repo.js';
import { SqlAttachmentsRepo } from './attachments-repo.js';
import { SqlLlmReservationsRepo } from './llm-reservations-repo.js';
import type { Database, QueryDb } from './dialect.js';
import type { Repos } from './ports.js';
import { openSqlite } from './sqlite/database.js';
import { openPostgres } from './pg/database.js';
import { InstanceChannel, type InstanceChannelLog, type Wake } from './pg/notify.js';
import type { RelayedSignal } from '../domain/relayed-signal.js';

export type { Repos } from './ports.js';

export class Store {
  private readonly commitListeners = new Set<() => void>();
  private readonly outboxListeners = new Set<() => void>();
  private readonly webhookListeners = new Set<() => void>();
  private readonly signalListeners = new Set<(s: RelayedSignal) => void>();
  private readonly joinListeners = new Set<() => void>();
  private channel: InstanceChannel | undefined;
  /** The newest event sequence `checkForeignEvents` saw (-1: none yet). */
  private lastSeenSeq = -1;

  constructor(readonly database: Database) {}

  /** Every read and write goes through a transaction so SQLite's single connection is never shared mid-transaction. */
  async tx<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    const hooks: (() => void)[] = [];
    let appended = false;
    let enqueued = false;
    let webhooked = false;
    const result = await this.database.transaction(async (db) => {
      const repos = this.repos(db, hooks, {
        onEvent: () => (appended = true),
        onOutbox: () => (enqueued = true),
        onWebhook: () => (webhooked = true),
      });
      const value = await fn(repos);
      await (repos.events as SqlEventsRepo).flush();
      // Before the commit, so the wake-up is delivered exactly when the rows are (pg/notify.ts).
      if (this.channel && (appended || enqueued || webhooked))
        await this.channel.announce(db, { events: appended, outbox: enqueued, webhooks: webhooked });
      return value;
    });
    for (const h of hooks) h();
    if (enqueued) this.notifyOutbox();
    if (webhooked) for (const l of this.webhookListeners) l();
    if (appended) this.notifyEvents();
    return result;
  }

  /**
   * Runs `fn`, which only reads, on committed data; on SQLite it does not wait behind queued
   * writes. Anything that writes, or reads to decide a write, uses `tx`.
   */
  read<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    return this.database.read((db) => fn(this.repos(db, [], { onEvent: refuseWrite, onOutbox: refuseWrite, onWebhook: refuseWrite })));
  }

  /** Called after a transaction that added outbox rows commits; the outbox worker uses it to wake up. */
  onOutbox(listener: () => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  /** Called after a transaction that added webhook deliveries commits; the webhook worker uses it to wake up. */
  onWebhookDeliveries(listener: () => void): () => void {
    this.webhookListeners.add(listener);
    return () => this.webhookListeners.delete(listener);
  }

  private notifyOutbox(): void {
    for (const l of this.outboxListeners) l();
  }

  /** Called after a transaction that appended events commits; SSE streams use it to wake up. */
  onEvents(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  notifyEvents(): void {
    for (const l of this.commitListeners) l();
  }

  /**
   * With several instances on one PostgreSQL: listens for the other instances' commits and
   * signals (LISTEN/NOTIFY, see pg/notify.ts), and from now on each commit here tells them.
   * Resolves after the first connection attempt; a failed one is retried in the background.
   */
  async joinInstances(url: string, log: InstanceChannelLog): Promise<() => Promise<void>> {
    if (this.database.dialect !== 'pg' || this.channel) return async () => {};
    const channel = new InstanceChannel(
      url,
      {
        wake: (w) => this.wake(w),
        // Notifications sent while the connection was down are lost: wake everything once.
        reconnected: () => {
          this.wake({ events: true, outbox: true, webhooks: true });
          for (const l of this.joinListeners) l();
        },
        signal: (s) => {
          for (const l of this.signalListeners) l(s);
        },
      },
      log,
    );
    this.channel = channel;
    await channel.start();
    return async () => {
      if (this.channel === channel) this.channel = undefined;
      await channel.close();
    };
  }

  /** Passes an ephemeral signal to the other instances (false: not sent, too big or not connected). */
  relaySignal(signal: RelayedSignal): boolean {
    return this.channel?.publish(signal) ?? false;
  }

  /** Called each time the listening connection (re)connects: signals relayed while it was down were lost. */
  onInstancesJoined(listener: () => void): () => void {
    this.joinListeners.add(listener);
    return () => this.joinListeners.delete(listener);
  }

  /** Called with each signal another instance relayed. */
  onRelayedSignal(listener: (s: RelayedSignal) => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  private wake(w: Wake): void {
    if (w.outbox) this.notifyOutbox();
    if (w.webhooks) for (const l of this.webhookListeners) l();
    if (w.events) this.notifyEvents();
  }

  /**
   * The safety net under `joinInstances`, run every INSTANCE_POLL_SECONDS (src/main.ts): one
   * cheap query finds other instances' commits that no notification reported (a listening
   * connection that died without the socket saying so yet) and wakes the local streams, the
   * outbox and the webhook worker. The first check always wakes them, covering commits made
   * before the checks began; a failed one wakes nothing and throws.
   */
  async checkForeignEvents(): Promise<void> {
    if (this.database.dialect !== 'pg') return;
    const seq = await this.read((r) => r.events.maxSeq());
    if (seq !== this.lastSeenSeq) this.wake({ events: true, outbox: true, webhooks: true });
    this.lastSeenSeq = seq;
  }

  close(): Promise<void> {
    return this.database.close();
  }

  private repos(db: QueryDb, hooks: (() => void)[], written: { onEvent: () => void; onOutbox: () => void; onWebhook: () => void }): Repos {
    const { ops } = this.database;
    const search = new SqlSearchRepo(db, this.database.dialect, ops);
    return {
      conversations: new SqlConversationsRepo(db, ops),
      customers: new SqlCustomersRepo(db, search),
      drafts: new SqlDraftsRepo(db),
      messages: new SqlMessagesRepo(db, search),
      outbox: new SqlOutboxRepo(db, ops, written.onOutbox),
      agents: new SqlAgentsRepo(db),
      agentTokens: new SqlAgentTokensRepo(db),
      audit: new SqlAuditRepo(db),
      events: new SqlEventsRepo(db, ops, written.onEvent, written.onWebhook),
      webchat: new SqlWebchatSessionsRepo(db),
      rateLimits: new SqlRateLimitsRepo(db),
      state: new SqlChannelStateRepo(db),
      settings: new SqlSettingsRepo(db),
      faqSuggestions: new SqlFaqSuggestionsRepo(db),
      labels: new SqlLabelsRepo(db),
      participants: new SqlParticipantsRepo(db),
      canned: new SqlCannedRepo(db),
      webhooks: new SqlWebhooksRepo(db, ops),
      webhookDeliveries: new SqlWebhookDeliveriesRepo(db, ops),
      emailCopies: new SqlEmailCopiesRepo(db, ops),
      monitor: new SqlMonitorRepo(db, this.database.dialect),
      teams: new SqlTeamsRepo(db),
      agentRouting: new SqlAgentRoutingRepo(db),
      routingRules: new SqlRoutingRulesRepo(db),
      search,
      reports: new SqlReportsRepo(db),
      attachments: new SqlAttachmentsRepo(db),
      llmReservations: new SqlLlmReservationsRepo(db),
      lock: (key) => ops.lockKey(db, key),
      afterCommit: (fn) => hooks.push(fn),
    };
  }
}

function refuseWrite(): never {
  throw new Error('store: a read wrote');
}

export async function openStore(opts: { databaseUrl?: string; sqliteFile: string }): Promise<Store> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : openSqlite(opts.sqliteFile);
  const store = new Store(database);
  await backfillSearch(store);
  return store;
}
