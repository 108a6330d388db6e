import { ConversationsRepo } from './conversations-repo.js';
import { CustomersRepo } from './customers-repo.js';
import { DraftsRepo } from './drafts-repo.js';
import { MessagesRepo } from './messages-repo.js';
import { OutboxRepo } from './outbox-repo.js';
import { AgentsRepo } from './agents-repo.js';
import { ChannelStateRepo } from './channel-state-repo.js';
import { EventsRepo } from './events-repo.js';
import { WebchatSessionsRepo } from './webchat-sessions-repo.js';
import { sql } from 'drizzle-orm';
import { openPostgres, openSqlite, type Database, type Db } from './database.js';

/** The repositories, bound to one transaction. This is the only storage interface the rest of the code sees. */
export interface Repos {
  conversations: ConversationsRepo;
  customers: CustomersRepo;
  drafts: DraftsRepo;
  messages: MessagesRepo;
  outbox: OutboxRepo;
  agents: AgentsRepo;
  events: EventsRepo;
  webchat: WebchatSessionsRepo;
  state: ChannelStateRepo;
  /**
   * Serialises transactions that touch the same key (a thread, an identity) until this one ends:
   * a transaction-scoped advisory lock on PostgreSQL; SQLite transactions are already exclusive.
   */
  lock(key: string): Promise<void>;
  /** Runs after this transaction commits (e.g. wake SSE streams); dropped on rollback. */
  afterCommit(fn: () => void): void;
}

export class Store {
  private readonly commitListeners = new Set<() => void>();

  constructor(readonly database: Database) {}

  /** Every read and write goes through a transaction so SQLite's single connection is never shared mid-transaction. */
  async tx<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    const hooks: (() => void)[] = [];
    let appended = false;
    const result = await this.database.transaction((db) => fn(this.repos(db, hooks, () => (appended = true))));
    for (const h of hooks) h();
    if (appended) this.notifyEvents();
    return result;
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
   * With several instances on one PostgreSQL, another instance's commits raise no local
   * notification; one cheap query a second finds them and wakes the local streams and outbox.
   * The first check always wakes them, covering commits made before the watch began.
   */
  watchForeignEvents(intervalMs = 1000): () => void {
    if (this.database.dialect !== 'pg') return () => {};
    let last = -1;
    const timer = setInterval(async () => {
      const seq = await this.tx((r) => r.events.maxSeq()).catch(() => last);
      if (seq !== last) this.notifyEvents();
      last = seq;
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): Promise<void> {
    return this.database.close();
  }

  private repos(db: Db, hooks: (() => void)[], onEvent: () => void): Repos {
    return {
      conversations: new ConversationsRepo(db, this.database),
      customers: new CustomersRepo(db),
      drafts: new DraftsRepo(db),
      messages: new MessagesRepo(db),
      outbox: new OutboxRepo(db, this.database),
      agents: new AgentsRepo(db),
      events: new EventsRepo(db, this.database.dialect, onEvent),
      webchat: new WebchatSessionsRepo(db),
      state: new ChannelStateRepo(db),
      lock: async (key) => {
        if (this.database.dialect === 'pg') await this.database.execute(db, sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      },
      afterCommit: (fn) => hooks.push(fn),
    };
  }
}

export async function openStore(opts: { databaseUrl?: string; sqliteFile: string }): Promise<Store> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : openSqlite(opts.sqliteFile);
  return new Store(database);
}
